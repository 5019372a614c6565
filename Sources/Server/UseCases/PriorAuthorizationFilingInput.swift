import CareNetwork
import Core
import Journey
import Coverage
import Criteria
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
    /// found" before anything about it is described (``file(_:)-PriorAuthorizationFiling``).
    func file(_ input: PriorAuthorizationFilingInput) async throws -> (request: PriorAuthorization, created: Bool) {
        // What was sent is read first, as the API always has; who files and which case come next.
        let id: PriorAuthorizationID = try Parse.identifier(input.id, field: "id") ?? PriorAuthorizationID("pa-" + UUID().uuidString.prefix(12).lowercased())
        let caseID: CaseID = try Identifier.validated(input.caseID, field: "caseId")
        let plan: PlanID? = try Parse.identifier(input.plan, field: "plan")
        let service = try input.serviceKind.map { kind throws(ValidationError) in
            try RequestedService.parse(kind: kind, product: input.serviceProduct, field: "service")
        }
        let urgency = try Urgency.parse(input.urgency, field: "urgency")
        let criteriaSet: CriteriaSetID? = try Parse.identifier(input.criteriaSet, field: "criteriaSet")
        try Self.requireActor(.center)
        // Without a service named, the case's own therapy; reading the case here is safe, as
        // file(_: PriorAuthorizationFiling) answers "not found" for a case out of scope
        // before anything else.
        let record = service == nil ? try await store.cases.find(caseID) : nil
        guard let service = service ?? record.map({ RequestedService.therapy($0.productID) }) else {
            throw NotFoundError(entity: "case", id: caseID.rawValue)
        }
        return try await file(PriorAuthorizationFiling(
            id: id, caseID: caseID, plan: plan, service: service, urgency: urgency, criteriaSet: criteriaSet, criteriaVersion: input.criteriaVersion))
    }
}
