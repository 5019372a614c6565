import Core
import CareNetwork

/// Something a settlement could not decide alone, or decided by a contract's fallback rule,
/// that mediator operations should see.
///
/// Flags never block a settlement: missing data is settled by the contract's rule and
/// flagged; a patient the engine cannot settle (no such contract, wrong product) is skipped
/// and flagged, and nothing is posted for it.
public struct SettlementFlag: Hashable, Sendable, Codable, CustomStringConvertible {
    /// What kind of attention the flag asks for.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A measure result rests on the missing-data rule (`assumeMet`, `assumeNotMet`).
        case missingDataAssumed
        /// Data is missing; the grace period or an extension is still running.
        case missingDataAwaited
        /// Data is missing and the contract says a person decides; nothing is posted for it.
        case escalated
        /// An installment waits for a measure that is escalated or past its due date and undecided.
        case installmentHeld
        /// No coverage period is in force on a date a payer had to be found; the fallback was used.
        case noCoverage
        /// The payer found is not a party to the contract; the paying payer was used.
        case payerNotParty
        case unknownContract
        case outsideEffectivePeriod
        case productMismatch
        /// The ledger already holds postings for the patient dated after the settlement date;
        /// settlements run forward only, so nothing was posted.
        case postedAfterAsOf
    }

    public var kind: Kind
    public var contractID: ContractID?
    public var patientID: PatientID
    public var measureID: MeasureID?
    public var date: CalendarDate?
    public var message: String

    public init(kind: Kind, contractID: ContractID?, patientID: PatientID, measureID: MeasureID? = nil, date: CalendarDate? = nil, message: String) {
        self.kind = kind
        self.contractID = contractID
        self.patientID = patientID
        self.measureID = measureID
        self.date = date
        self.message = message
    }

    public var description: String {
        "\(kind.rawValue) \(contractID.map { "\($0)/" } ?? "")\(patientID)\(measureID.map { "/\($0)" } ?? ""): \(message)"
    }
}
