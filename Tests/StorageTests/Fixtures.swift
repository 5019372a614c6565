import CareNetwork
import Core
import DemoNetwork
import Journey
import Storage

/// A small network for storage tests: the demo's reference data, patients and 40 cases.
enum Fixtures {
    static let demo = DemoNetwork.build(seed: 7, caseCount: 40)

    /// Loads the demo reference data and patients (no cases).
    static func loadReference(into store: Store) async throws {
        try await store.reference.insert(demo.directory)
        try await store.reference.insert(patients: demo.patients, identifiers: demo.personalIdentifiers, coverage: demo.coveragePeriods)
    }

    /// Loads the reference data and opens ``newCase()``: the start of most storage tests.
    static func openCase(in store: Store) async throws -> Case {
        try await loadReference(into: store)
        let record = newCase()
        _ = try await store.cases.open(record)
        return record
    }

    /// A new open CAR-T case for the first demo patient.
    static func newCase(id: String = "case-test-1", referral: CalendarDate = CalendarDate(year: 2026, month: 3, day: 2)!) -> Case {
        let product = demo.products.first { $0.journeyTemplate == "car-t" }!
        return Case(
            id: CaseID(id), patientID: demo.patients[0].id, productID: product.id, centerID: demo.centers[0].id,
            payerID: demo.payers[0].id, templateID: "car-t", referralDate: referral
        )
    }

    static func date(_ text: String) -> CalendarDate { CalendarDate(iso8601: text)! }

    /// The demo patients covered on `date`, each with the payer that covered them then: a unit
    /// is enrolled only under a payer that covered the patient on the day of infusion.
    static func covered(on date: CalendarDate) -> [(patient: PatientID, payer: PayerID)] {
        demo.patients.compactMap { patient in
            demo.coveragePeriods.filter { $0.patientID == patient.id }.inForce(on: date).map { (patient.id, $0.payerID) }
        }
    }

    static func event(_ id: String, _ kind: JourneyEventKind, _ stage: StageKey?, _ date: String, reason: String? = nil, lossReason: LossReason? = nil, override: String? = nil) -> JourneyEvent {
        JourneyEvent(id: JourneyEventID(id), kind: kind, stage: stage, date: Self.date(date), reason: reason, lossReason: lossReason, atRiskOverride: override)
    }
}
