import CareNetwork
import Core
import Journey
import Outcomes
import Storage

/// An infused patient as the registry pages read one: the case's product, the day of
/// infusion and every outcome event on file — the one place the follow-up page, the
/// site-burden page and the outcomes report find their patients.
struct InfusedPatient {
    var patient: PatientID
    var product: ProductID
    var infusedOn: CalendarDate
    var events: [OutcomeEvent]

    /// The patients of the infused cases `filter` selects.
    static func load(_ store: Store, _ filter: JourneyFilter) async throws -> [InfusedPatient] {
        var found: [InfusedPatient] = []
        for summary in try await store.cases.summaries(filter) where summary.status == .infused {
            guard let infusion = summary.closedOn, let patient = try await store.cases.find(summary.caseID)?.patientID else { continue }
            found.append(InfusedPatient(patient: patient, product: summary.productID, infusedOn: infusion, events: try await store.outcomes.events(of: patient)))
        }
        return found
    }
}
