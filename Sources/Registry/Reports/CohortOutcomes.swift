import Core
import Outcomes

/// The outcomes of a group of infused patients (a center, a product, or all), as counts a
/// report shows after ``SmallCells``: survival, severe toxicity, non-relapse mortality and
/// volume.
///
/// Every figure is read from the same outcome events the contracts settle on, corrections
/// applied (``OutcomeHistory``): a CRS grade entered once feeds this report, the follow-up
/// schedule and any contract measure alike. Only events on or after the infusion count.
public struct CohortOutcomes: Hashable, Sendable {
    /// One infused patient: the day of infusion and every outcome event recorded for them.
    public struct Patient: Sendable {
        public var infusedOn: CalendarDate
        public var events: [OutcomeEvent]

        public init(infusedOn: CalendarDate, events: [OutcomeEvent]) {
            self.infusedOn = infusedOn
            self.events = events
        }
    }

    public var infused: Int
    public var infusedPerYear: [Int: Int]
    /// For the Kaplan–Meier curve: a death on its day, else censored at the last day known
    /// alive (``lastKnownAlive(_:_:)``).
    public var survival: [KaplanMeier.Subject]
    /// Patients with cytokine release syndrome of grade 3 or more (ASTCT grading) at any time.
    public var severeCRS: Int
    /// Patients with ICANS of grade 3 or more.
    public var severeICANS: Int
    /// Deaths with no relapse or progression recorded before them.
    public var nonRelapseDeaths: Int
    /// Of those, deaths within a year of infusion — the usual non-relapse-mortality horizon.
    public var nonRelapseDeathsFirstYear: Int

    /// Grade 3 is where a toxicity needs intensive care (ASTCT consensus), and it is what
    /// labels and registries report.
    public static let severeGrade = 3
    /// Response categories that mean the disease came back (docs/OUTCOME_CODES.md).
    public static let relapseResponses: Set<String> = ["relapse", "progression"]

    public init(_ patients: [Patient], asOf: CalendarDate) {
        infused = patients.count
        infusedPerYear = [:]
        survival = []
        severeCRS = 0
        severeICANS = 0
        nonRelapseDeaths = 0
        nonRelapseDeathsFirstYear = 0
        for patient in patients {
            infusedPerYear[patient.infusedOn.year, default: 0] += 1
            let events = OutcomeHistory.effective(patient.events, knownOn: asOf)
                .filter { $0.date >= patient.infusedOn && $0.date <= asOf }
            let death = events.filter { $0.kind == .death }.map(\.date).min()
            if let death {
                survival.append(.init(days: patient.infusedOn.days(until: death), died: true))
                let relapsed = events.contains { event in
                    event.kind == .responseAssessment && event.date <= death && event.value.map(Self.relapseResponses.contains) == true
                }
                if !relapsed {
                    nonRelapseDeaths += 1
                    if patient.infusedOn.days(until: death) <= 365 { nonRelapseDeathsFirstYear += 1 }
                }
            } else {
                survival.append(.init(days: patient.infusedOn.days(until: Self.lastKnownAlive(patient.infusedOn, events)), died: false))
            }
            if events.contains(where: { if case .cytokineReleaseSyndrome(let grade) = $0.kind { grade >= Self.severeGrade } else { false } }) {
                severeCRS += 1
            }
            if events.contains(where: { if case .neurotoxicity(let grade) = $0.kind { grade >= Self.severeGrade } else { false } }) {
                severeICANS += 1
            }
        }
    }

    /// The last day a patient without a recorded death is known to have been alive: the day of
    /// their latest outcome event on or after infusion (a visit, an assessment, a loss to
    /// follow-up), else the infusion itself. Never the report's day: a patient nobody has seen
    /// since infusion is not known to be alive today, and counting them so would draw a survival
    /// curve that stays at 100% for want of follow-up.
    static func lastKnownAlive(_ infusedOn: CalendarDate, _ events: [OutcomeEvent]) -> CalendarDate {
        events.lazy.filter { $0.kind != .death }.map(\.date).max().map { max($0, infusedOn) } ?? infusedOn
    }
}
