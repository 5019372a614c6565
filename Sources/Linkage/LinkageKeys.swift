import Core
import Crypto
import Foundation

/// The secrets a linkage program runs on, as the mediator holds them.
///
/// Three kinds, because each party may know only some: the program's hashing secret (every
/// partner tokenizes and encodes CLKs with it, so equal people give equal tokens); each
/// partner's own encryption key (a partner's token file is readable by the mediator alone);
/// and the mediator's re-keying key (the match tokens the registry stores are useless to anyone
/// holding only partners' files). Keys come from configuration, never from the database.
public struct LinkageKeys: Sendable {
    public let hashingSecret: LinkageKey
    public let mediatorKey: LinkageKey
    private let partnerKeys: [String: LinkageKey]
    /// Development keys are published; they derive any partner's key so the demo works without setup.
    public let isDevelopment: Bool

    public init(hashingSecret: LinkageKey, mediatorKey: LinkageKey, partnerKeys: [String: LinkageKey]) {
        self.hashingSecret = hashingSecret
        self.mediatorKey = mediatorKey
        self.partnerKeys = partnerKeys
        isDevelopment = false
    }

    private init(development: ()) {
        hashingSecret = LinkageKey(utf8: "curepath development linkage secret")
        mediatorKey = LinkageKey(bytes: Array(SHA256.hash(data: Data("curepath development mediator key".utf8))))
        partnerKeys = [:]
        isDevelopment = true
    }

    /// Fixed, published keys for development, tests and the demo: they protect nothing, and
    /// `curepath serve` warns while they are in use.
    public static let development = LinkageKeys(development: ())

    /// The key a partner (an organization ID) encrypts its token files with.
    public func partnerKey(for organization: String) -> LinkageKey? {
        if let key = partnerKeys[organization] { return key }
        return isDevelopment ? Self.developmentPartnerKey(for: organization) : nil
    }

    /// The published development key of a partner, for `curepath tokenize` in the demo.
    public static func developmentPartnerKey(for organization: String) -> LinkageKey {
        LinkageKey(bytes: Array(SHA256.hash(data: Data("curepath development partner key \(organization)".utf8))))
    }

    /// Reads the configuration values: the secret as text (openlinktoken takes it so), the
    /// mediator key as 64 hex digits, partner keys as `org-id:hex,org-id:hex`.
    public static func parse(secret: String, mediatorKey: String, partnerKeys: String) throws(ValidationError) -> LinkageKeys {
        guard secret.utf8.count >= 16 else {
            throw ValidationError(field: "CUREPATH_LINKAGE_SECRET", problem: "must be at least 16 characters")
        }
        guard let mediator = hexBytes(mediatorKey), mediator.count == 32 else {
            throw ValidationError(field: "CUREPATH_LINKAGE_MEDIATOR_KEY", problem: "must be 64 hexadecimal digits (32 bytes)")
        }
        var partners: [String: LinkageKey] = [:]
        for item in partnerKeys.split(separator: ",") {
            let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let bytes = hexBytes(parts[1]), bytes.count == 32 else {
                throw ValidationError(field: "CUREPATH_LINKAGE_PARTNER_KEYS", problem: "must look like 'org-id:<64 hex digits>[,org-id:…]', got an item of \(item.count) characters")
            }
            partners[parts[0]] = LinkageKey(bytes: bytes)
        }
        return LinkageKeys(hashingSecret: LinkageKey(utf8: secret), mediatorKey: LinkageKey(bytes: mediator), partnerKeys: partners)
    }

    /// The bytes `text` spells in hexadecimal digits, or `nil` if it is not an even run of them.
    public static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
