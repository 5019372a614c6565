import Core

public enum JourneyEventTag {}
public typealias JourneyEventID = Identifier<JourneyEventTag>

/// Something that happened on a case's journey, as recorded by a coordinator or a system.
///
/// Events are the record; stage states, metrics and the critical path are all derived from
/// them. An event names the calendar day it happened at the center, which may be earlier
/// than the day it was recorded.
public struct JourneyEvent: Hashable, Sendable, Codable {
    /// Chosen by the client (or generated) so that a retried submission is recognised.
    public var id: JourneyEventID
    public var kind: JourneyEventKind
    /// The stage concerned; `nil` only for ``JourneyEventKind/lost``.
    public var stage: StageKey?
    public var date: CalendarDate
    /// Why a stage was blocked or cancelled; for a loss, the ``LossReason`` is in `lossReason`.
    public var reason: String?
    public var lossReason: LossReason?
    /// Why the center started a stage before what it waits for was done, at its own risk.
    public var atRiskOverride: String?
    public var note: String?

    public init(
        id: JourneyEventID, kind: JourneyEventKind, stage: StageKey?, date: CalendarDate,
        reason: String? = nil, lossReason: LossReason? = nil, atRiskOverride: String? = nil, note: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.stage = stage
        self.date = date
        self.reason = reason
        self.lossReason = lossReason
        self.atRiskOverride = atRiskOverride
        self.note = note
    }
}

/// What an event says happened.
public enum JourneyEventKind: String, Hashable, Sendable, Codable, CaseIterable {
    case started
    case completed
    /// Work on the stage stopped for a reason (missing records, payer pended the request).
    case blocked
    case unblocked
    /// The stage will not happen: not needed for this case (no agreement for Medicare).
    case cancelled
    /// The case ended without infusion.
    case lost
}

/// Why a patient was not infused: the categories the journey reports count.
public enum LossReason: String, Hashable, Sendable, Codable, CaseIterable {
    case progression
    case death
    case ineligible
    case denied
    case manufacturingFailure = "manufacturing-failure"
    case declined
}
