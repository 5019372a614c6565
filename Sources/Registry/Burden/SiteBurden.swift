import Core
import Outcomes

/// How much outcome data a treatment center has to enter, per patient-year of follow-up —
/// the work the registry exists to reduce.
///
/// Centers are already stretched; every program that asks them to key the same outcome
/// again (one form per contract, one per registry) multiplies the burden. CurePath takes an
/// outcome once and lets the follow-up schedule, the reports and every contract measure read
/// it, so the figure to watch is fields entered per patient-year, and the re-entry that would
/// have been needed if each contract collected its own. Outcomes that arrived as FHIR from
/// the center's records (event IDs ``electronicIDPrefix``…) were not keyed by anyone; they
/// are counted apart.
public struct SiteBurden: Hashable, Sendable {
    /// One infused patient as the burden counts them.
    public struct Patient: Sendable {
        public var infusedOn: CalendarDate
        public var events: [OutcomeEvent]
        /// Outcomes-based contracts the patient is enrolled in: each would otherwise collect its own copy.
        public var contracts: Int

        public init(infusedOn: CalendarDate, events: [OutcomeEvent], contracts: Int) {
            self.infusedOn = infusedOn
            self.events = events
            self.contracts = contracts
        }
    }

    /// The prefix of the event IDs FHIR ingest derives (docs/FHIR.md), which marks an
    /// outcome that came from a health record rather than a keyboard.
    public static let electronicIDPrefix = "fhir-"

    public var patients: Int
    /// Outcome events keyed (files, API, forms), corrections included: a correction is work too.
    public var eventsEntered: Int
    public var fieldsEntered: Int
    /// Outcome events received as FHIR.
    public var eventsReceived: Int
    /// Days of follow-up from infusion to death, loss to follow-up or `asOf`, summed.
    public var followUpDays: Int
    /// The fields that would have been keyed again if every contract collected its own copy
    /// of each outcome (the registry keeps one).
    public var reentryAvoided: Int

    public init(_ patients: [Patient], asOf: CalendarDate) {
        self.patients = patients.count
        eventsEntered = 0
        fieldsEntered = 0
        eventsReceived = 0
        followUpDays = 0
        reentryAvoided = 0
        for patient in patients {
            let known = patient.events.filter { $0.recordedOn <= asOf }
            let standing = OutcomeHistory.effective(known, knownOn: asOf)
            let end = standing.filter { $0.kind == .death || $0.kind == .lostToFollowUp }.map(\.date).min() ?? asOf
            followUpDays += max(0, patient.infusedOn.days(until: min(end, asOf)))
            for event in known {
                if event.id.rawValue.hasPrefix(Self.electronicIDPrefix) {
                    eventsReceived += 1
                } else {
                    let fields = Self.fieldsKeyed(event)
                    eventsEntered += 1
                    fieldsEntered += fields
                    reentryAvoided += fields * patient.contracts
                }
            }
        }
    }

    /// Patient-years of follow-up (365.25 days each).
    public var patientYears: Double { Double(followUpDays) / 365.25 }

    /// Keyed fields per patient-year of follow-up; `nil` before any follow-up.
    public var fieldsPerPatientYear: Double? { followUpDays > 0 ? Double(fieldsEntered) / patientYears : nil }

    /// What a person types for an event: who, when, what, each detail the kind has, and the
    /// event corrected. The ID, source and day received are filled in by the system.
    public static func fieldsKeyed(_ event: OutcomeEvent) -> Int {
        let details = event.details
        let optional = [details.reason, details.test, details.value, details.unit, details.grade, event.corrects?.rawValue]
        return 3 + optional.count { $0 != nil }
    }
}
