import Access
import Core
import Coverage
import Foundation
import Storage

/// A step on a PA request as a person submitted it — the API's JSON body or the request
/// page's form — before it is a ``PriorAuthorizationTransition``. Fields keep the API's
/// names; a page maps them to its own form fields when it shows an error.
struct PriorAuthorizationStepInput {
    var id: String
    var action: String
    /// When the step happened; `nil` is now.
    var at: Date?
    var reason: String?
    var requestedItems: [String] = []
    /// The service a revision asks for: `evaluation`, `transplant` or `therapy`.
    var serviceKind: String?
    var serviceProduct: String?
    var urgency: String?
    var payerReference: String?
    var validFrom: String?
    var validTo: String?
}

extension CurePathAPI {
    /// Applies a step to a PA request: the one path the API and the request page share.
    ///
    /// Who may take the step is decided first (the center files, answers and appeals; the
    /// payer decides), then the step is read, then the request's own rules (state, time
    /// order, required reasons) refuse or apply it. A request outside the caller's scope is
    /// "not found".
    func apply(_ input: PriorAuthorizationStepInput, to rawID: String) async throws -> (request: PriorAuthorization, applied: Bool) {
        let id: PriorAuthorizationID = try Identifier.validated(rawID, field: "requestId")
        guard let action = PriorAuthorizationAction(rawValue: input.action) else {
            throw ValidationError(field: "action", problem: "must be one of \(PriorAuthorizationAction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try Self.requireActor(action.actor)
        let now = clock()
        let at = input.at ?? now
        guard at <= now.addingTimeInterval(300) else {
            throw ValidationError(field: "at", problem: "\(at.formatted(.iso8601)) is in the future (now is \(now.formatted(.iso8601)))")
        }
        var items: [String] = []
        for (index, item) in input.requestedItems.enumerated() {
            if let text = try Parse.text(item, field: "requestedItems[\(index)]", maxLength: 500) { items.append(text) }
        }
        let service = try input.serviceKind.map { kind throws(ValidationError) in
            try RequestedService.parse(kind: kind, product: input.serviceProduct, field: "service")
        }
        let urgency = try input.urgency.map { raw throws(ValidationError) in try Urgency.parse(raw, field: "urgency") }
        let transition = PriorAuthorizationTransition(
            id: try Identifier.validated(input.id, field: "id"), action: action, at: at, reason: try Parse.text(input.reason, field: "reason"),
            requestedItems: items, service: service, urgency: urgency,
            payerReference: try Parse.text(input.payerReference, field: "payerReference", maxLength: 100),
            validFrom: try Parse.date(input.validFrom, field: "validFrom"), validTo: try Parse.date(input.validTo, field: "validTo"),
            recordedBy: RequestIdentity.current?.principal.userID.rawValue, receivedAt: now
        )
        return try await store.priorAuthorizations.apply(transition, to: id, scope: Self.partyScope)
    }
}
