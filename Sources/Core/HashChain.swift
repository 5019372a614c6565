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
    /// The hash MACed under the audit key (``ChainKeys``), `<key id>:<hex>`; nil on entries
    /// recorded before keyed MACs, which a later keyed entry anchors through the links.
    var mac: String? { get set }
    /// Every field but `hash` and `mac`, in a fixed order, in a form validated fields cannot forge.
    var canonicalText: String { get }
}

/// Hashing and verification shared by every hash-chained log.
public enum HashChain {
    /// The hash a chain's first entry points back to.
    public static let genesis = String(repeating: "0", count: 64)

    /// The head of a chain as a checkpoint outside the database recorded it: how many entries
    /// there were and the last one's MAC. The database can delete its tail or a whole chain;
    /// it cannot make the checkpoint forget them.
    public struct Head: Hashable, Sendable, Codable {
        public var count: Int
        public var mac: String

        public init(count: Int, mac: String) {
            self.count = count
            self.mac = mac
        }
    }

    /// The result of checking a stored chain.
    public struct Verification: Hashable, Sendable, Codable {
        public var intact: Bool
        public var entryCount: Int
        /// The sequence number of the first entry that does not link correctly, or the first
        /// missing one.
        public var firstBrokenSequence: Int?
        public var problem: String?
        /// Entries the log should hold and does not (a gap, or a tail the checkpoint recorded).
        public var missing: ClosedRange<Int>?
        /// How many entries the checkpoint records, when there is one.
        public var checkpointCount: Int?
    }

    /// Lowercase hex SHA-256 of the text's UTF-8 bytes.
    public static func hash(_ text: String) -> String { hex(SHA256.hash(data: Data(text.utf8))) }

    /// Lowercase hex of bytes.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Joins fields with the unit separator (U+001F), which validated fields cannot contain.
    public static func canonical(_ fields: [String]) -> String { fields.joined(separator: "\u{1F}") }

    /// `entry` with its MAC under the current key.
    public static func signed<Entry: HashChained>(_ entry: Entry, with keys: ChainKeys) -> Entry {
        var signed = entry
        signed.mac = keys.mac(entry.hash)
        return signed
    }

    /// Recomputes every link of a chain given in sequence order and reports the first entry
    /// whose sequence, back-link, own hash or MAC does not match, or the entries missing.
    ///
    /// - Parameters:
    ///   - keys: the audit keys; with them, every entry must carry a valid MAC or be anchored
    ///     by a later one that does. Without them only the unkeyed links are checked, which
    ///     anyone able to write the database can recompute.
    ///   - checkpoint: the head recorded outside the database; the chain must reach it and
    ///     hold the entry it recorded.
    public static func verify<Entry: HashChained>(_ chain: [Entry], keys: ChainKeys? = nil, checkpoint: Head? = nil) -> Verification {
        func broken(at sequence: Int, _ problem: String, missing: ClosedRange<Int>? = nil) -> Verification {
            Verification(
                intact: false, entryCount: chain.count, firstBrokenSequence: sequence, problem: problem, missing: missing,
                checkpointCount: checkpoint?.count)
        }
        var expectedPrevious = genesis
        // The first of the entries since the last valid MAC that carry none.
        var unanchoredFrom: Int?
        for (index, entry) in chain.enumerated() {
            let expected = index + 1
            if entry.sequence > expected {
                let gap = expected...(entry.sequence - 1)
                let which = gap.count == 1 ? "entry \(expected) is missing" : "entries \(expected)–\(entry.sequence - 1) are missing"
                return broken(at: expected, "\(which): the log goes from entry \(index) to entry \(entry.sequence)", missing: gap)
            }
            if entry.sequence != expected {
                return broken(at: expected, "expected entry \(expected), found \(entry.sequence): entries are duplicated or reordered")
            }
            if entry.previousHash != expectedPrevious {
                return broken(at: expected, "entry \(expected) does not link to the entry before it")
            }
            if entry.hash != hash(entry.canonicalText) {
                return broken(at: expected, "entry \(expected) was altered after it was recorded")
            }
            if let keys {
                switch entry.mac.map({ keys.check($0, of: entry.hash) }) {
                case nil: unanchoredFrom = unanchoredFrom ?? expected
                case .valid: unanchoredFrom = nil
                case .invalid:
                    return broken(at: expected, "entry \(expected) does not match its MAC: it was altered, or re-hashed without the audit key")
                case .unknownKey(let id):
                    return broken(at: expected, "entry \(expected) is signed with audit key '\(id)', which is not configured")
                }
            }
            expectedPrevious = entry.hash
        }
        if let from = unanchoredFrom {
            return broken(
                at: from,
                "entries \(from)–\(chain.count) carry no MAC under the audit key: they were rewritten without it, or recorded before keyed MACs and never anchored")
        }
        if let checkpoint, checkpoint.count > 0 {
            if chain.count < checkpoint.count {
                let gap = (chain.count + 1)...checkpoint.count
                if chain.isEmpty {
                    return broken(at: 1, "the log is missing entirely: the checkpoint records \(checkpoint.count) entries", missing: gap)
                }
                return broken(
                    at: chain.count + 1,
                    "the log ends at entry \(chain.count) but the checkpoint records \(checkpoint.count) entries: "
                        + (gap.count == 1 ? "entry \(gap.lowerBound) is missing" : "entries \(gap.lowerBound)–\(gap.upperBound) are missing"),
                    missing: gap)
            }
            if chain[checkpoint.count - 1].mac != checkpoint.mac {
                return broken(
                    at: checkpoint.count,
                    "entry \(checkpoint.count) is not the entry the checkpoint recorded: the log was rewritten up to there")
            }
        }
        return Verification(
            intact: true, entryCount: chain.count, firstBrokenSequence: nil, problem: nil, missing: nil, checkpointCount: checkpoint?.count)
    }

    /// Whether text is safe inside a canonical form (no control characters).
    public static func isCanonicalSafe(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
