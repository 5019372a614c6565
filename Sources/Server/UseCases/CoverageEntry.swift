import CareNetwork
import Core
import Foundation
import Storage

/// A coverage period as a person entered it — the API's JSON body or the patient page's
/// form — before it is a ``CoveragePeriod``. Fields keep the API's names.
struct CoverageEntry {
    /// `nil`: a new ID is made.
    var id: String?
    var payerID: String
    var planID: String
    var memberID: String?
    var start: String
    var end: String?
}

extension CurePathAPI {
    /// Adds a coverage period to a patient: the one path the API and the patient page share.
    /// Only an organization related to the patient may (``requirePatientRelated(_:)``); to
    /// anyone else the patient is "not found", before anything about the period is checked.
    func add(_ entry: CoverageEntry, toPatient rawPatientID: String) async throws -> (period: CoveragePeriod, isNew: Bool) {
        let patientID: PatientID = try Identifier.validated(rawPatientID, field: "patientId")
        try await requirePatientRelated(patientID)
        let payerID: PayerID = try Identifier.validated(entry.payerID, field: "payerId")
        let planID: PlanID = try Identifier.validated(entry.planID, field: "planId")
        let directory = try await store.reference.directory()
        guard directory.payer(payerID) != nil else { throw ValidationError(field: "payerId", problem: "no payer '\(payerID)'") }
        guard let plan = directory.plan(planID) else { throw ValidationError(field: "planId", problem: "no plan '\(planID)'") }
        guard plan.payerID == payerID else { throw ValidationError(field: "planId", problem: "plan '\(planID)' belongs to payer '\(plan.payerID)', not '\(payerID)'") }
        let start = try CalendarDate.parse(entry.start, field: "start")
        let end = try Parse.date(entry.end, field: "end")
        if let end, end < start { throw ValidationError(field: "end", problem: "\(end) is before start \(start)") }
        guard let memberID = try Parse.text(entry.memberID, field: "memberId", maxLength: 64) else {
            throw ValidationError(field: "memberId", problem: "is required")
        }
        let id: CoveragePeriodID = try Parse.identifier(entry.id, field: "id") ?? CoveragePeriodID("cov-\(UUID().uuidString.prefix(8).lowercased())")
        let period = CoveragePeriod(id: id, patientID: patientID, payerID: payerID, planID: planID, memberID: memberID, start: start, end: end)
        return (period, try await store.reference.add(period))
    }
}
