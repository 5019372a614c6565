import Core

/// One line of therapy: the agents given together, when, and how the disease responded.
///
/// Criteria count lines and ask for specific agents or classes ("an anti-CD20 antibody and
/// an anthracycline"), and for refractory or relapsed disease within a number of months.
public struct TherapyLine: Hashable, Sendable, Codable {
    /// Non-proprietary names, lower case (`rituximab`, `doxorubicin`).
    public var agents: [String]
    /// Drug classes, lower case (`anti-cd20`, `anthracycline`, `car-t`, `autologous-hsct`).
    public var classes: [String]
    public var start: CalendarDate
    public var end: CalendarDate?
    public var outcome: TherapyOutcome?
    /// When refractoriness or relapse was established.
    public var outcomeDate: CalendarDate?

    /// The class that marks a line as CAR-T therapy, which is also the prior-CAR-T exclusion.
    public static let carTClass = "car-t"

    public init(
        agents: [String] = [], classes: [String] = [], start: CalendarDate, end: CalendarDate? = nil,
        outcome: TherapyOutcome? = nil, outcomeDate: CalendarDate? = nil
    ) {
        self.agents = agents
        self.classes = classes
        self.start = start
        self.end = end
        self.outcome = outcome
        self.outcomeDate = outcomeDate
    }

    static func isWellFormedName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}

/// How the disease responded to a line of therapy.
public enum TherapyOutcome: String, Hashable, Sendable, Codable, CaseIterable {
    /// Did not respond, or progressed on therapy.
    case refractory
    /// Responded, then came back.
    case relapsed
    /// Responded and has not come back.
    case response
}
