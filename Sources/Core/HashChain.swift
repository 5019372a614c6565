import Crypto
import Foundation

/// An entry of an append-only log in which each entry carries the hash of the one before:
/// editing, deleting or reordering stored history breaks the chain at the first altered
/// entry. The custody log and the audit log are both such chains.
public protocol HashChained {
    /// 1, 2, 3 … in the order entries were appended.
    var sequence: Int { get }
    var previousHash: String { get }
    var hash: String { get }
    /// Every field but `hash`, in a fixed order, in a form validated fields cannot forge.
    var canonicalText: String { get }
}

/// Hashing and verification shared by every hash-chained log.
public enum HashChain {
    /// The hash a chain's first entry points back to.
    public static let genesis = String(repeating: "0", count: 64)

    /// The result of checking a stored chain.
    public struct Verification: Hashable, Sendable, Codable {
        public var intact: Bool
        public var entryCount: Int
        /// The sequence number of the first entry that does not link correctly.
        public var firstBrokenSequence: Int?
        public var problem: String?
    }

    /// Lowercase hex SHA-256 of the text's UTF-8 bytes.
    public static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Joins fields with the unit separator (U+001F), which validated fields cannot contain.
    public static func canonical(_ fields: [String]) -> String { fields.joined(separator: "\u{1F}") }

    /// Recomputes every link of a chain given in sequence order and reports the first entry
    /// whose sequence, back-link or own hash does not match.
    public static func verify<Entry: HashChained>(_ chain: [Entry]) -> Verification {
        var expectedPrevious = genesis
        for (index, entry) in chain.enumerated() {
            let problem: String?
            if entry.sequence != index + 1 {
                problem = "expected entry \(index + 1), found \(entry.sequence): an entry is missing or reordered"
            } else if entry.previousHash != expectedPrevious {
                problem = "entry \(entry.sequence) does not link to the entry before it"
            } else if entry.hash != hash(entry.canonicalText) {
                problem = "entry \(entry.sequence) was altered after it was recorded"
            } else {
                problem = nil
            }
            if let problem {
                return Verification(intact: false, entryCount: chain.count, firstBrokenSequence: index + 1, problem: problem)
            }
            expectedPrevious = entry.hash
        }
        return Verification(intact: true, entryCount: chain.count, firstBrokenSequence: nil, problem: nil)
    }

    /// Whether text is safe inside a canonical form (no control characters).
    public static func isCanonicalSafe(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
