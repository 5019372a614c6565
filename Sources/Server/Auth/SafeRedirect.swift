import Foundation

/// Where signing in may send the browser afterwards: only a path on this site, so the
/// sign-in form cannot be used to bounce users to another one.
///
/// Browsers are lenient with `Location`: they drop tabs and newlines (`/\t/evil.com` becomes
/// `//evil.com`, another host), treat `\` as `/`, and some decode `%2F`. So a target must,
/// both as sent and percent-decoded, start with exactly one `/` and contain no backslash,
/// whitespace or control character anywhere; otherwise the default page is used.
enum SafeRedirect {
    static let fallback = "/network"
    static let maximumLength = 2048

    static func target(_ next: String?) -> String {
        guard let next, next.utf8.count <= maximumLength, let decoded = next.removingPercentEncoding,
            isLocalPath(next), isLocalPath(decoded)
        else { return fallback }
        return next
    }

    private static func isLocalPath(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//")
            && !path.unicodeScalars.contains { scalar in
                scalar == "\\" || scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
                    || scalar.properties.generalCategory == .format
            }
    }
}
