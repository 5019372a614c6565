import CareNetwork
import Core
import Journey
import Registry
import Storage

/// What the registry holds for one center's infused patients as of a day: each patient's
/// follow-up visits and the data-entry burden behind them. The follow-up page shows one
/// center's; the site-burden report compares every center the caller may see.
struct CenterRegistryRecord {
    var center: Center
    var followUps: [TreatedPatientFollowUp]
    var burden: SiteBurden

    /// `contracts` counts each patient's contract enrollments (``Store/contracts``), read once by the caller.
    static func load(_ store: Store, center: Center, directory: Directory, contracts: [PatientID: Int], asOf: CalendarDate) async throws -> CenterRegistryRecord {
        var followUps: [TreatedPatientFollowUp] = []
        var burdened: [SiteBurden.Patient] = []
        for infused in try await InfusedPatient.load(store, JourneyFilter(centerID: center.id)) {
            guard let product = directory.product(infused.product) else { continue }
            followUps.append(TreatedPatientFollowUp.status(
                patient: infused.patient, center: center.id, product: product.id, infusionDate: infused.infusedOn, schedule: .for(product.modality),
                events: infused.events, asOf: asOf))
            burdened.append(.init(infusedOn: infused.infusedOn, events: infused.events, contracts: contracts[infused.patient, default: 0]))
        }
        return CenterRegistryRecord(center: center, followUps: followUps, burden: SiteBurden(burdened, asOf: asOf))
    }

    /// Contract enrollments per patient.
    static func contractCounts(_ store: Store) async throws -> [PatientID: Int] {
        var counts: [PatientID: Int] = [:]
        for enrollment in try await store.contracts.treatedPatients() { counts[enrollment.patientID, default: 0] += 1 }
        return counts
    }
}
