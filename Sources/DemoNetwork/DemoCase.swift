import Core
import Journey

/// One demo case and its recorded events, in the order they were recorded.
public struct DemoCase: Hashable, Sendable {
    public var record: Case
    /// Every event is accepted by ``CaseJourney/record(_:notAfter:)`` in this order, with the
    /// network's `today` as `notAfter`; the first is the referral starting on the referral date.
    public var events: [JourneyEvent]

    public init(record: Case, events: [JourneyEvent]) {
        self.record = record
        self.events = events
    }

    /// The built-in template the case follows.
    public var template: JourneyTemplate {
        guard let template = JourneyTemplate.named(record.templateID) else {
            preconditionFailure("demo case \(record.id) names unknown template \(record.templateID)")
        }
        return template
    }

    /// The journey its events replay to.
    public func journey() throws(ValidationError) -> CaseJourney {
        try CaseJourney(template: template, referralDate: record.referralDate, events: events)
    }
}
