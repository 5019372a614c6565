import Core

/// The merged plan of tests for one patient: the smallest set of tests that satisfies every
/// candidate payer at once, each with the window in which it must be done.
///
/// Payers ask for the same echocardiogram with different freshness limits; done once inside
/// the strictest window, it counts for all of them. This is the "union of pretests done
/// once" that spares patients repeated testing (more than 2–3 weeks of PA pretesting is
/// unreasonable for them, per the seed documents).
public struct PretestPlan: Hashable, Sendable {
    /// One test (or measurement) to do.
    public struct Item: Hashable, Sendable, CustomStringConvertible {
        /// The fact the test produces (`pretests.echo`, `labs.lvef`, `ecog`).
        public var name: String
        /// The sets that need it, in the order the candidates were given.
        public var neededBy: [CriteriaSetID]
        /// The strictest freshness limit among those sets, in days.
        public var freshForDays: Int
        /// The earliest day a result still counts for every set at submission (never before the plan's date).
        public var notBefore: CalendarDate
        /// The day it must be done by: the planned submission date.
        public var doneBy: CalendarDate
        /// The latest result on file, when there is one that is too old.
        public var lastDone: CalendarDate?

        public var description: String { "\(name): between \(notBefore) and \(doneBy) (fresh for \(freshForDays) days; for \(neededBy.map(\.rawValue).joined(separator: ", ")))" }
    }

    /// A test already on file that is fresh for every set that needs it on the submission date.
    public struct Done: Hashable, Sendable {
        public var name: String
        public var date: CalendarDate
        /// Last day it still counts for every set that needs it.
        public var validUntil: CalendarDate
        public var neededBy: [CriteriaSetID]
    }

    public var asOf: CalendarDate
    public var submitBy: CalendarDate
    /// Tests to do, by name.
    public var items: [Item]
    public var alreadyDone: [Done]
    /// Missing facts with no freshness limit (birth date, an exclusion never assessed, a lab
    /// with no limit); gathered once, they count for every set.
    public var otherMissing: [MissingItem]

    /// Plans the tests for `candidates` (typically the sets of every payer the patient might
    /// be covered by), evaluated on `asOf` and to be submitted by `submitBy`.
    ///
    /// One item per test name, which is the smallest set: different tests never stand in for
    /// each other here (an echocardiogram is not assumed to replace a MUGA scan).
    public static func plan(for facts: ClinicalFacts, candidates: [CriteriaSet], asOf: CalendarDate, submitBy: CalendarDate) -> PretestPlan {
        let submitBy = max(submitBy, asOf)
        // name → (strictest days, sets, latest result on file)
        var needs: [String: (days: Int, sets: [CriteriaSetID], latest: CalendarDate?)] = [:]
        var order: [String] = []
        var otherMissing: [MissingItem] = []
        var seenMissing: Set<MissingItem> = []
        for set in candidates {
            for criterion in set.criteria {
                var requirement: (name: String, days: Int, latest: CalendarDate?)?
                switch criterion.rule {
                case .pretest(let code, let within):
                    requirement = ("pretests.\(code)", within, facts.latestPretest(code, asOf: asOf)?.date)
                case .organ(let threshold):
                    if let within = threshold.withinDays {
                        requirement = ("labs.\(threshold.lab.rawValue)", within, facts.latestLab(threshold.lab, asOf: asOf)?.date)
                    }
                case .ecog(_, let within?):
                    requirement = ("ecog", within, facts.latestPerformanceStatus(asOf: asOf)?.date)
                default: break
                }
                if let requirement {
                    if var need = needs[requirement.name] {
                        need.days = min(need.days, requirement.days)
                        if !need.sets.contains(set.id) { need.sets.append(set.id) }
                        needs[requirement.name] = need
                    } else {
                        needs[requirement.name] = (requirement.days, [set.id], requirement.latest)
                        order.append(requirement.name)
                    }
                    continue
                }
                let result = CriteriaEvaluator.evaluate(facts, criterion, asOf: asOf)
                for item in result.missing where item.kind == .fact && seenMissing.insert(item).inserted {
                    otherMissing.append(item)
                }
            }
        }
        var items: [Item] = []
        var done: [Done] = []
        for name in order {
            let need = needs[name]!
            let earliest = submitBy.adding(days: -need.days)
            if let latest = need.latest, latest >= earliest {
                done.append(Done(name: name, date: latest, validUntil: latest.adding(days: need.days), neededBy: need.sets))
            } else {
                items.append(Item(name: name, neededBy: need.sets, freshForDays: need.days, notBefore: max(earliest, asOf), doneBy: submitBy, lastDone: need.latest))
            }
        }
        return PretestPlan(asOf: asOf, submitBy: submitBy, items: items, alreadyDone: done, otherMissing: otherMissing)
    }
}
