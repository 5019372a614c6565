import Crypto
import Foundation

/// The secret that makes a hash chain tamper-evident against someone who can write the
/// database.
///
/// A plain hash chain only catches edits made by someone who does not bother to re-hash:
/// the algorithm is public, so whoever can write the table can delete a row and recompute
/// every hash after it. Each entry's hash is therefore also MACed (HMAC-SHA256) under a key
/// kept outside the database (`CUREPATH_AUDIT_KEY`); without the key, rewritten history
/// carries MACs that do not match. A MAC names the key that made it (`a1:<hex>`), so keys can
/// be rotated: the first key signs what is appended now, the others still verify what they
/// signed.
public struct ChainKeys: Sendable {
    /// The key new MACs are made with.
    public let currentID: String
    private let keys: [String: SymmetricKey]

    public init(keys: [(id: String, key: SymmetricKey)]) throws(ValidationError) {
        guard let first = keys.first else { throw ValidationError(field: "CUREPATH_AUDIT_KEY", problem: "at least one key is required") }
        for (id, key) in keys where !Self.isPlainID(id) || key.bitCount != 256 {
            throw ValidationError(field: "CUREPATH_AUDIT_KEY", problem: "key '\(id)': ids must be plain words and keys 32 bytes")
        }
        currentID = first.id
        self.keys = Dictionary(keys.map { ($0.id, $0.key) }) { first, _ in first }
    }

    /// Parses `id:base64,id:base64` (the first is current), the form every CurePath key
    /// list is configured in.
    public static func parse(_ text: String) throws(ValidationError) -> ChainKeys {
        try ChainKeys(keys: try parseKeyList(text, field: "CUREPATH_AUDIT_KEY"))
    }

    /// Parses a configured key list `id:<base64 of 32 bytes>[,id:…]`, in order.
    public static func parseKeyList(_ text: String, field: String) throws(ValidationError) -> [(id: String, key: SymmetricKey)] {
        var keys: [(id: String, key: SymmetricKey)] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)), data.count == 32 else {
                throw ValidationError(field: field, problem: "must look like 'k1:<base64 of 32 random bytes>[,k0:…]'")
            }
            keys.append((String(parts[0]).trimmingCharacters(in: .whitespaces), SymmetricKey(data: data)))
        }
        return keys
    }

    /// A fixed, published key for development, tests and the demo. It detects nothing an
    /// attacker with the source code could not forge: `curepath serve` warns while it is in use.
    public static let development: ChainKeys = {
        let key = SymmetricKey(data: SHA256.hash(data: Data("curepath development audit key — not a secret".utf8)))
        return try! ChainKeys(keys: [("dev", key)])
    }()

    public var isDevelopment: Bool { currentID == "dev" }

    /// A new random key in the configuration format, for operators.
    public static func generateKey(id: String) -> String {
        "\(id):" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// `<key id>:<hex HMAC-SHA256 of the text>` under the current key.
    public func mac(_ text: String) -> String {
        "\(currentID):" + Self.mac(text, key: keys[currentID]!)
    }

    /// What checking a MAC found.
    public enum Check: Hashable, Sendable {
        case valid
        case invalid
        /// The MAC names a key that is not configured.
        case unknownKey(String)
    }

    public func check(_ mac: String, of text: String) -> Check {
        guard let colon = mac.firstIndex(of: ":") else { return .invalid }
        let id = String(mac[..<colon])
        guard let key = keys[id] else { return .unknownKey(id) }
        let expected = Data(Self.mac(text, key: key).utf8), found = Data(mac[mac.index(after: colon)...].utf8)
        // Compared in constant time: the MAC must not be guessable byte by byte.
        guard expected.count == found.count else { return .invalid }
        return zip(expected, found).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0 ? .valid : .invalid
    }

    private static func mac(_ text: String, key: SymmetricKey) -> String {
        HashChain.hex(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
    }

    private static func isPlainID(_ id: String) -> Bool {
        !id.isEmpty && id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}
