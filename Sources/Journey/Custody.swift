import Core
import Foundation

/// One link in a case's chain of identity and custody: who held the patient's cells, when,
/// and under which identifiers.
///
/// Each entry carries the SHA-256 hash of the entry before it, so the log is append-only
/// in effect: editing, deleting or reordering history in the database breaks the chain at
/// the first altered entry, and ``CustodyChain/verify(_:keys:checkpoint:)`` says where.
/// Storage also MACs each hash under the audit key and checkpoints the chain's head outside
/// the database, so re-hashing or cutting off the tail is caught as well.
public struct CustodyEntry: Hashable, Sendable, Codable, HashChained {
    public var caseID: CaseID
    /// 1, 2, 3 … in the order entries were appended.
    public var sequence: Int
    public var kind: CustodyEventKind
    /// When it happened, as an instant (stored and hashed as UTC ISO 8601).
    public var occurredAt: Date
    /// Who performed or received the handoff (a center, courier or manufacturing site).
    public var party: String
    /// The collection (chain of identity) ID assigned at apheresis, carried by every entry.
    public var collectionID: String
    /// The manufacturing lot, once assigned.
    public var lot: String?
    public var note: String?
    public var previousHash: String
    public var hash: String
    /// The hash MACed under the audit key, which storage adds as it appends (``HashChained``).
    public var mac: String?

    public init(
        caseID: CaseID, sequence: Int, kind: CustodyEventKind, occurredAt: Date, party: String, collectionID: String,
        lot: String?, note: String?, previousHash: String, hash: String, mac: String? = nil
    ) {
        self.caseID = caseID
        self.sequence = sequence
        self.kind = kind
        self.occurredAt = occurredAt
        self.party = party
        self.collectionID = collectionID
        self.lot = lot
        self.note = note
        self.previousHash = previousHash
        self.hash = hash
        self.mac = mac
    }

    /// The hash a chain's first entry points back to.
    public static let genesisHash = HashChain.genesis

    /// The text hashed for an entry: every field but the hash, in a fixed order, separated
    /// by a byte that validated fields cannot contain.
    public var canonicalText: String {
        HashChain.canonical([
            "v1", caseID.rawValue, String(sequence), kind.rawValue, CustodyEntry.timestamp(occurredAt), party,
            collectionID, lot ?? "", note ?? "", previousHash,
        ])
    }

    public var computedHash: String { HashChain.hash(canonicalText) }

    /// UTC ISO 8601 with seconds, the one form timestamps are hashed and exchanged in.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: TimeZone(identifier: "UTC")!))
    }
}

/// The steps of a cell product's journey between the patient's veins and back.
public enum CustodyEventKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Cells collected; the collection ID is assigned here.
    case collection
    /// Custody handed from one party to another (courier pickup, delivery).
    case handoff
    /// Manufacturing lot assigned at the manufacturing site.
    case manufacturingLot = "manufacturing-lot"
    /// Final product received at the center.
    case receipt
    case thaw
    case infusion
}

/// What a new custody entry says, before the chain gives it a sequence and hashes.
public struct CustodyRecord: Hashable, Sendable, Codable {
    public var kind: CustodyEventKind
    public var occurredAt: Date
    public var party: String
    public var collectionID: String
    public var lot: String?
    public var note: String?

    public init(kind: CustodyEventKind, occurredAt: Date, party: String, collectionID: String, lot: String? = nil, note: String? = nil) {
        self.kind = kind
        self.occurredAt = occurredAt
        self.party = party
        self.collectionID = collectionID
        self.lot = lot
        self.note = note
    }
}

/// Builds and checks a case's custody log.
public enum CustodyChain {
    /// The result of checking a stored chain.
    public typealias Verification = HashChain.Verification

    /// Validates `record` against the chain so far and returns the entry to append.
    ///
    /// Rules of identity and order: the chain starts with a collection; every entry carries
    /// the collection ID assigned there; a lot is assigned once and then quoted by receipt,
    /// thaw and infusion; time never runs backwards; nothing follows the infusion.
    public static func append(_ record: CustodyRecord, to chain: [CustodyEntry], caseID: CaseID) throws(ValidationError) -> CustodyEntry {
        for (field, value) in [("party", record.party), ("collectionID", record.collectionID), ("lot", record.lot ?? ""), ("note", record.note ?? "")] {
            if !HashChain.isCanonicalSafe(value) {
                throw ValidationError(field: field, problem: "must not contain control characters")
            }
        }
        if record.party.trimmingWhitespace.isEmpty { throw ValidationError(field: "party", problem: "is required") }
        if record.collectionID.trimmingWhitespace.isEmpty { throw ValidationError(field: "collectionID", problem: "is required") }
        let previous = chain.last
        if let previous {
            if previous.kind == .infusion {
                throw ValidationError(field: "kind", problem: "the product was infused (entry \(previous.sequence)); the custody log is closed", rule: "custody-order")
            }
            if record.kind == .collection {
                throw ValidationError(field: "kind", problem: "the chain already starts with a collection; a new collection needs a new case", rule: "custody-order")
            }
            if record.collectionID != chain[0].collectionID {
                throw ValidationError(field: "collectionID", problem: "'\(record.collectionID)' does not match the collection ID '\(chain[0].collectionID)' assigned at collection", rule: "chain-of-identity")
            }
            if record.occurredAt < previous.occurredAt {
                throw ValidationError(field: "occurredAt", problem: "\(CustodyEntry.timestamp(record.occurredAt)) is before the previous entry (\(CustodyEntry.timestamp(previous.occurredAt)))", rule: "time-order")
            }
        } else if record.kind != .collection {
            throw ValidationError(field: "kind", problem: "the custody log must start with a collection", rule: "custody-order")
        }
        let assignedLot = chain.lazy.compactMap(\.lot).first
        switch record.kind {
        case .manufacturingLot:
            guard let lot = record.lot, !lot.trimmingWhitespace.isEmpty else {
                throw ValidationError(field: "lot", problem: "is required for a manufacturing-lot entry")
            }
            if let assignedLot, assignedLot != lot {
                throw ValidationError(field: "lot", problem: "lot '\(assignedLot)' was already assigned", rule: "chain-of-identity")
            }
        case .receipt, .thaw, .infusion:
            guard let assignedLot else {
                throw ValidationError(field: "kind", problem: "no manufacturing lot has been assigned yet", rule: "custody-order")
            }
            if record.lot != assignedLot {
                throw ValidationError(field: "lot", problem: "must be the assigned lot '\(assignedLot)'", rule: "chain-of-identity")
            }
        case .collection, .handoff:
            if let lot = record.lot, let assignedLot, lot != assignedLot {
                throw ValidationError(field: "lot", problem: "must be the assigned lot '\(assignedLot)'", rule: "chain-of-identity")
            }
        }
        var entry = CustodyEntry(
            caseID: caseID, sequence: (previous?.sequence ?? 0) + 1, kind: record.kind,
            occurredAt: Date(timeIntervalSince1970: record.occurredAt.timeIntervalSince1970.rounded(.down)),
            party: record.party, collectionID: record.collectionID, lot: record.lot, note: record.note,
            previousHash: previous?.hash ?? CustodyEntry.genesisHash, hash: ""
        )
        entry.hash = entry.computedHash
        return entry
    }

    /// Recomputes every link of a stored chain (in sequence order) and reports the first
    /// entry whose sequence, back-link, own hash or MAC does not match, or the entries
    /// missing against the checkpoint (``HashChain/verify(_:keys:checkpoint:)``).
    public static func verify(_ chain: [CustodyEntry], keys: ChainKeys? = nil, checkpoint: HashChain.Head? = nil) -> Verification {
        HashChain.verify(chain, keys: keys, checkpoint: checkpoint)
    }
}
