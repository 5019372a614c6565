import CareNetwork
import Core
import Journey
import Coverage
import Foundation
import Storage

/// A PA request as a person filed it — the API's JSON body, the PA page's evaluation
/// authorization form, the evaluation page's therapy form — before it is a
/// ``PriorAuthorizationFiling``. Fields keep the API's names.
struct PriorAuthorizationFilingInput {
    /// `nil`: a new ID is made.
    var id: String?
    var caseID: String
    var plan: String?
    /// `evaluation`, `transplant` or `therapy`; `nil` asks for the case's own product (therapy).
    var serviceKind: String?
    var serviceProduct: String?
    var urgency: String
    var criteriaSet: String?
    var criteriaVersion: Int?
}

extension CurePathAPI {
    /// Files a draft PA request: the one path the API and the pages share. Only the center
    /// (or the mediator on its behalf) files; a case outside the caller's scope is "not
    /// found" before anything else about the filing is described.
    func file(_ input: PriorAuthorizationFilingInput) async throws -> (request: PriorAuthorization, created: Bool) {
        try Self.requireActor(.center)
        let caseID: CaseID = try Identifier.validated(input.caseID, field: "caseId")
        guard let record = try await store.cases.find(caseID), Self.partyScope.includes(center: record.centerID, payer: record.payerID) else {
            throw NotFoundError(entity: "case", id: caseID.rawValue)
        }
        let service = try input.serviceKind.map { kind throws(ValidationError) in
            try RequestedService.parse(kind: kind, product: input.serviceProduct, field: "service")
        } ?? .therapy(record.productID)
        let id: PriorAuthorizationID = try Parse.identifier(input.id, field: "id") ?? PriorAuthorizationID("pa-" + UUID().uuidString.prefix(12).lowercased())
        return try await file(PriorAuthorizationFiling(
            id: id, caseID: caseID, plan: try Parse.identifier(input.plan, field: "plan"), service: service,
            urgency: try Urgency.parse(input.urgency, field: "urgency"),
            criteriaSet: try Parse.identifier(input.criteriaSet, field: "criteriaSet"), criteriaVersion: input.criteriaVersion))
    }
}
