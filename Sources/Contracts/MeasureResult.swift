import Core
import Outcomes

/// Where a measure stands for one patient.
public enum MeasureStatus: String, Hashable, Sendable, Codable {
    case met
    case notMet
    /// Not decided yet: the window or grace period is still open, or an extension runs.
    case pending
    /// The data never came and the contract says a person must decide; nothing is posted.
    case escalated

    /// The two results a consequence can be attached to.
    public enum Decided: String, Hashable, Sendable, Codable, CaseIterable {
        case met
        case notMet

        public var status: MeasureStatus { self == .met ? .met : .notMet }
    }
}

/// What a result rests on: the events themselves, or the contract's missing-data rule.
public enum ResultBasis: String, Hashable, Sendable, Codable {
    case observed
    /// Missing data, met by the contract's `assumeMet` rule.
    case assumedMet
    /// Missing data, not met by the contract's `assumeNotMet` rule.
    case assumedNotMet
    /// Missing data so far; the window, grace period or extension is still open.
    case awaitingData
    case escalated

    /// Whether the missing-data rule decided (or is deciding) this result; such results are flagged.
    public var restsOnMissingData: Bool { self != .observed }
}

/// One measure's result for one patient as of a settlement date, with the events behind it.
///
/// Every posting an outcome triggers cites this, so a payer disputing a refund can see
/// which events were read, when the result was decided, and whether the data was complete.
public struct MeasureResult: Hashable, Sendable, Codable {
    public var measureID: MeasureID
    public var status: MeasureStatus
    public var basis: ResultBasis
    /// The day the result became known: the end of the grace period, or the day a late or
    /// failing event was recorded. `nil` while pending.
    public var decidedOn: CalendarDate?
    /// The day the outcome failed (a hospitalization, a loss of response, a death), or the
    /// window's end for measures assessed at a point in time; `nil` unless not met.
    public var failureDate: CalendarDate?
    /// The window's last day.
    public var windowEnd: CalendarDate
    /// The outcome events read to reach the result.
    public var evidence: [OutcomeEventID]
    /// The result in words, for statements and flags.
    public var explanation: String

    public init(
        measureID: MeasureID, status: MeasureStatus, basis: ResultBasis, decidedOn: CalendarDate?, failureDate: CalendarDate?,
        windowEnd: CalendarDate, evidence: [OutcomeEventID], explanation: String
    ) {
        self.measureID = measureID
        self.status = status
        self.basis = basis
        self.decidedOn = decidedOn
        self.failureDate = failureDate
        self.windowEnd = windowEnd
        self.evidence = evidence
        self.explanation = explanation
    }
}
