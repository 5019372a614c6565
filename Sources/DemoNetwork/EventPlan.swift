import Core
import Journey

/// A case's events as planned: day offsets from referral, put in recording order at the end.
///
/// The generator plans each stage on its own (all of prior authorization, then the
/// agreement, then apheresis…) and lets this type order the result, instead of replaying
/// ``CaseJourney`` after every event: ordering ten events is linear in practice, so a
/// hundred thousand cases take seconds. Events are ordered by day, then by the stage's place
/// in the template (a predecessor's events come before its successor's on the same day,
/// which is what the dependency and case-closed rules need), then by planning order.
struct EventPlan {
    struct Draft {
        var day: Int
        var rank: Int
        var sequence: Int
        var kind: JourneyEventKind
        var stage: StageKey?
        var reason: String?
        var lossReason: LossReason?
        var atRiskOverride: String?
        var note: String?
    }

    /// The end of a case without infusion.
    struct Loss {
        var day: Int
        var reason: LossReason
        var note: String?
    }

    private var drafts: [Draft] = []
    private let ranks: StageRanks

    init(ranks: StageRanks) {
        self.ranks = ranks
        drafts.reserveCapacity(20)
    }

    mutating func add(
        _ kind: JourneyEventKind, _ stage: StageKey, on day: Int, reason: String? = nil,
        atRiskOverride: String? = nil, note: String? = nil
    ) {
        drafts.append(
            Draft(
                day: day, rank: ranks.rank(of: stage), sequence: drafts.count, kind: kind, stage: stage,
                reason: reason, lossReason: nil, atRiskOverride: atRiskOverride, note: note
            )
        )
    }

    /// The events in recording order: cut at the loss (which comes last) and at `today`, with
    /// identifiers `evt-<case number>-<n>`.
    func events(caseNumber: String, referralDate: CalendarDate, loss: Loss?, today: CalendarDate) -> [JourneyEvent] {
        var ordered = drafts
        if let loss {
            ordered.removeAll { $0.day > loss.day }
            ordered.append(
                Draft(
                    day: loss.day, rank: Int.max, sequence: ordered.count, kind: .lost, stage: nil, reason: nil,
                    lossReason: loss.reason, atRiskOverride: nil, note: loss.note
                )
            )
        }
        ordered.sort { ($0.day, $0.rank, $0.sequence) < ($1.day, $1.rank, $1.sequence) }
        let lastDay = referralDate.days(until: today)
        var events: [JourneyEvent] = []
        events.reserveCapacity(ordered.count)
        for draft in ordered {
            guard draft.day <= lastDay else { break }
            events.append(
                JourneyEvent(
                    id: JourneyEventID("evt-\(caseNumber)-\(events.count + 1)"), kind: draft.kind, stage: draft.stage,
                    date: referralDate.adding(days: draft.day), reason: draft.reason, lossReason: draft.lossReason,
                    atRiskOverride: draft.atRiskOverride, note: draft.note
                )
            )
        }
        return events
    }
}

/// The position of each stage in the built-in templates, looked up once per event.
struct StageRanks: Sendable {
    private let ranks: [StageKey: Int]

    init(_ template: JourneyTemplate) {
        var ranks: [StageKey: Int] = [:]
        for (index, stage) in template.stages.enumerated() { ranks[stage.key] = index }
        self.ranks = ranks
    }

    func rank(of stage: StageKey) -> Int {
        guard let rank = ranks[stage] else { preconditionFailure("stage \(stage) is not in the template") }
        return rank
    }
}
