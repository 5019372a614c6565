import Core
import CareNetwork

/// What a settlement posting is for: one clause of one contract version, for one patient and
/// one period. A slot's postings add up to what the clause says is owed.
///
/// The slot is what makes settlement idempotent: the engine computes what each slot should
/// hold, compares it with what the ledger already holds, and posts only the difference — a
/// reversal of what is there and a new posting — never an edit.
public struct PostingSlot: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var contractID: ContractID
    public var contractVersion: Int
    public var patientID: PatientID
    /// The contract clause: `payment.upfront`, `payment.installments`, `consequences.ti-refund`…
    public var clause: String
    /// Which occurrence of the clause: `infusion`, an installment number, `year-3`, `result`.
    public var period: String

    public init(contractID: ContractID, contractVersion: Int, patientID: PatientID, clause: String, period: String) {
        self.contractID = contractID
        self.contractVersion = contractVersion
        self.patientID = patientID
        self.clause = clause
        self.period = period
    }

    /// `zynteglo-ti@1/pat-001/consequences.ti-refund/result`.
    public var rawValue: String { "\(contractID)@\(contractVersion)/\(patientID)/\(clause)/\(period)" }

    public init?(rawValue: String) {
        let parts = rawValue.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, let at = parts[0].lastIndex(of: "@"), let version = Int(parts[0][parts[0].index(after: at)...]),
            !parts[1].isEmpty, !parts[2].isEmpty, !parts[3].isEmpty
        else { return nil }
        self.init(
            contractID: ContractID(String(parts[0][..<at])), contractVersion: version, patientID: PatientID(String(parts[1])),
            clause: String(parts[2]), period: String(parts[3])
        )
    }

    public var description: String { rawValue }

    public static func < (lhs: PostingSlot, rhs: PostingSlot) -> Bool {
        (lhs.contractID, lhs.contractVersion, lhs.patientID, lhs.clause, lhs.period)
            < (rhs.contractID, rhs.contractVersion, rhs.patientID, rhs.clause, rhs.period)
    }
}

/// The idempotency key of a ledger transaction: unique in the ledger, the same every time
/// the same settlement is computed from the same ledger, so storage can insert with
/// "only if absent" and a re-run or a retried request posts nothing twice.
public enum PostingKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The `sequence`-th posting to a settlement slot: 1 for the original, then a reversal
    /// and a replacement for each correction.
    case settlement(PostingSlot, sequence: Int)
    /// A recorded payment, named by its reference (a bank transfer's id).
    case payment(reference: String)

    /// `zynteglo-ti@1/pat-001/payment.upfront/infusion#1`, `payment:ACH-20260401-7781`.
    public var rawValue: String {
        switch self {
        case .settlement(let slot, let sequence): "\(slot.rawValue)#\(sequence)"
        case .payment(let reference): "payment:\(reference)"
        }
    }

    public init?(rawValue: String) {
        if rawValue.hasPrefix("payment:") {
            let reference = String(rawValue.dropFirst("payment:".count))
            guard !reference.isEmpty else { return nil }
            self = .payment(reference: reference)
            return
        }
        guard let hash = rawValue.lastIndex(of: "#"), let sequence = Int(rawValue[rawValue.index(after: hash)...]), sequence > 0,
            let slot = PostingSlot(rawValue: String(rawValue[..<hash]))
        else { return nil }
        self = .settlement(slot, sequence: sequence)
    }

    public var slot: PostingSlot? {
        if case .settlement(let slot, _) = self { return slot }
        return nil
    }

    public var description: String { rawValue }

    public static func < (lhs: PostingKey, rhs: PostingKey) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension PostingKey: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let key = PostingKey(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a posting key: \(text)"))
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
