import Access
import CareNetwork
import Core
import Foundation
import Journey
import Storage

/// A case as a person opened it — the API's JSON body or the new-case page's form — before
/// it is a ``Case``. Fields keep the API's names.
struct CaseOpening {
    /// `nil`: a new ID is made.
    var id: String?
    var patientID: String
    var productID: String
    var centerID: String
    /// `nil`: the payer of the patient's coverage in force on the referral date.
    var payerID: String?
    var referralDate: String
}

extension CurePathAPI {
    /// Opens a case: the one path the API and the new-case page share. A center opens cases
    /// only at itself, and only for a patient it has a documented relationship with; any
    /// other patient gets the same answer as one that does not exist.
    func open(_ opening: CaseOpening) async throws -> (record: Case, outcome: RecordingOutcome) {
        let patientID: PatientID = try Identifier.validated(opening.patientID, field: "patientId")
        let productID: ProductID = try Identifier.validated(opening.productID, field: "productId")
        let centerID: CenterID = try Identifier.validated(opening.centerID, field: "centerId")
        let caseID: CaseID = try opening.id.map { raw throws(ValidationError) in try Identifier.validated(raw, field: "id") }
            ?? CaseID("case-\(UUID().uuidString.prefix(8).lowercased())")
        let referral = try CalendarDate.parse(opening.referralDate, field: "referralDate")
        let directory = try await store.reference.directory()
        guard let product = directory.product(productID) else { throw ValidationError(field: "productId", problem: "no product '\(productID)'") }
        guard let center = directory.center(centerID) else { throw ValidationError(field: "centerId", problem: "no center '\(centerID)'") }
        guard AccessPolicy.scope(RequestIdentity.caseScope, includesCaseAt: centerID, payers: []) else {
            throw Problem(status: .forbidden, type: "forbidden", title: "Not allowed",
                          detail: "centerId: cases can be opened only at your own center")
        }
        // A case needs a documented relationship with the patient (``PatientRelationships``):
        // one the center registered, was referred or already treats. A patient without one
        // gets the same answer as a patient that does not exist.
        guard let organization = RequestIdentity.current?.principal.organization,
              try await store.reference.patient(patientID) != nil,
              try await store.relationships.relationships(of: patientID).permitsCase(at: centerID, by: organization)
        else {
            throw ValidationError(field: "patientId", problem: "no patient '\(patientID)' that your organization registered, was referred or treats")
        }
        RequestIdentity.touch("patient:\(patientID)", "case:\(caseID)")
        if referral > today(at: center) {
            throw ValidationError(field: "referralDate", problem: "\(referral) is in the future at the center", rule: "time-order")
        }
        let payerID: PayerID
        if let raw = opening.payerID {
            payerID = try Identifier.validated(raw, field: "payerId")
            guard directory.payer(payerID) != nil else { throw ValidationError(field: "payerId", problem: "no payer '\(payerID)'") }
        } else {
            guard let coverage = try await store.reference.coveragePeriods(of: patientID).inForce(on: referral) else {
                throw ValidationError(field: "payerId", problem: "the patient has no coverage in force on \(referral); give the payer explicitly")
            }
            payerID = coverage.payerID
        }
        guard let template = try await store.journeyTemplates.template(for: product.journeyTemplate) else {
            throw ValidationError(field: "productId", problem: "product '\(productID)' names journey template '\(product.journeyTemplate)', which is not filed")
        }
        let record = Case(id: caseID, patientID: patientID, productID: productID, centerID: centerID, payerID: payerID,
                          templateID: template.reference, referralDate: referral)
        return (record, try await store.cases.open(record))
    }
}
