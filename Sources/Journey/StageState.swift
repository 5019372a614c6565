import Core

/// What has happened to one stage of one case, folded from its events.
public struct StageState: Hashable, Sendable, Codable {
    public var started: CalendarDate?
    public var completed: CalendarDate?
    public var cancelled: CalendarDate?
    public var blocks: [BlockedPeriod] = []
    /// The reason recorded when the stage started before what it waits for was done.
    public var atRiskOverride: String?
    /// The day of the stage's latest event, which the next event may not precede.
    public var lastEventDate: CalendarDate?

    public init() {}

    public var status: StageStatus {
        if cancelled != nil { return .cancelled }
        if completed != nil { return .completed }
        if let last = blocks.last, last.end == nil { return .blocked }
        if started != nil { return .inProgress }
        return .notStarted
    }

    /// The day the stage stopped holding anything up: completion or cancellation.
    public var finished: CalendarDate? { completed ?? cancelled }

    /// Days blocked up to `asOf` (open blocks count until then).
    public func blockedDays(asOf: CalendarDate) -> Int {
        blocks.reduce(0) { total, block in total + block.start.days(until: block.end ?? asOf) }
    }
}

/// A period a stage spent blocked.
public struct BlockedPeriod: Hashable, Sendable, Codable {
    public var start: CalendarDate
    public var end: CalendarDate?
    public var reason: String
}

public enum StageStatus: String, Hashable, Sendable, Codable {
    case notStarted = "not-started"
    case inProgress = "in-progress"
    case blocked
    case completed
    case cancelled
}
