import APIContract
import Access
import CareNetwork
import Core
import Foundation
import Storage

extension CurePathAPI {
    /// A center related to the patient sends them to another center, which may then see the
    /// patient and open a case there. The only way a second center gains a patient.
    func referPatient(_ input: Operations.ReferPatient.Input) async throws -> Operations.ReferPatient.Output {
        let patientID: PatientID = try Identifier.validated(input.path.patientId, field: "patientId")
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        guard let current = RequestIdentity.current else { throw NotFoundError(entity: "patient", id: patientID.rawValue) }
        let organization = current.principal.organization
        let relationships = try await requirePatientRelated(patientID)
        let toCenter: CenterID = try Identifier.validated(body.toCenterId, field: "toCenterId")
        let directory = try await store.reference.directory()
        guard let center = directory.center(toCenter) else { throw ValidationError(field: "toCenterId", problem: "no center '\(toCenter)'") }
        guard relationships.permitsReferral(to: toCenter, by: organization) else {
            throw ValidationError(field: "toCenterId", problem: organization.centerID == toCenter
                ? "is your own center: a referral sends the patient to another center"
                : "only a center that registered, was referred or treats the patient may refer them")
        }
        let date = try CalendarDate.parse(body.date, field: "date")
        if date > today(at: center) { throw ValidationError(field: "date", problem: "\(date) is in the future", rule: "time-order") }
        let referral = Referral(
            id: try Parse.identifier(body.id, field: "id") ?? ReferralID("ref-\(UUID().uuidString.prefix(12).lowercased())"),
            patientID: patientID, fromOrganization: organization.id.rawValue, toCenter: toCenter, date: date,
            reason: try Parse.text(body.reason, field: "reason", maxLength: 500))
        RequestIdentity.touch("patient:\(patientID)", "referral:\(referral.id)", "center:\(toCenter)")
        let isNew = try await store.relationships.refer(referral, recordedBy: current.principal.userID.rawValue)
        let response = Components.Schemas.Referral(referral)
        return isNew ? .created(.init(body: .json(response))) : .ok(.init(body: .json(response)))
    }

    func listReferrals(_ input: Operations.ListReferrals.Input) async throws -> Operations.ListReferrals.Output {
        let patientID: PatientID = try Identifier.validated(input.path.patientId, field: "patientId")
        _ = try await requirePatientRelated(patientID)
        let referrals = try await store.relationships.referrals(of: patientID)
        return .ok(.init(body: .json(.init(items: referrals.map(Components.Schemas.Referral.init)))))
    }
}

extension Components.Schemas.Referral {
    init(_ referral: Referral) {
        self.init(
            id: referral.id.rawValue, patientId: referral.patientID.rawValue, fromOrganizationId: referral.fromOrganization,
            toCenterId: referral.toCenter.rawValue, date: referral.date.description, reason: referral.reason)
    }
}
