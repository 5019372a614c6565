import Access
import Foundation

/// The email of a sign-in attempt as the account it names: an address as
/// ``User/normalizedEmail(_:)`` accepts it (trimmed, lowercased, at most 254 characters)
/// with no control characters. Anything else names no account and is never looked up,
/// stored or echoed.
enum SignInEmail {
    static let maximumLength = 254
    /// How the audit log and the throttle name an attempt whose email was not an address.
    static let malformed = "(malformed)"

    static func normalized(_ raw: String) -> String? {
        // Bounded before any other work: a 15 KB "email" is refused on its length alone.
        guard raw.utf8.count <= 4 * maximumLength, !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
            let email = try? User.normalizedEmail(raw)
        else { return nil }
        return email
    }
}
