import APIContract
import Access
import CareNetwork
import Core
import Coverage
import Criteria
import Foundation
import Journey
import OpenAPIRuntime
import Storage

extension CurePathAPI {
    func listPriorAuthorizations(_ input: Operations.ListPriorAuthorizations.Input) async throws -> Operations.ListPriorAuthorizations.Output {
        let limit = input.query.limit ?? 50, offset = input.query.offset ?? 0
        guard (1...500).contains(limit) else { throw ValidationError(field: "limit", problem: "must be 1 to 500, got \(limit)") }
        guard offset >= 0 else { throw ValidationError(field: "offset", problem: "must not be negative, got \(offset)") }
        let query = PriorAuthorizationQuery(
            scope: Self.partyScope, status: input.query.status.flatMap { PriorAuthorizationStatus(rawValue: $0.rawValue) },
            clock: input.query.clock.flatMap { PriorAuthorizationQuery.ClockFilter(rawValue: $0.rawValue) },
            caseID: try Parse.identifier(input.query._case, field: "case"), limit: limit, offset: offset
        )
        let now = clock()
        let page = try await store.priorAuthorizations.queue(query, now: now)
        return .ok(.init(body: .json(.init(
            items: page.items.map { .init($0, now: now) }, total: page.total, open: page.open, overdue: page.overdue, dueSoon: page.dueSoon,
            limit: limit, offset: offset))))
    }

    func filePriorAuthorization(_ input: Operations.FilePriorAuthorization.Input) async throws -> Operations.FilePriorAuthorization.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let (request, created) = try await file(PriorAuthorizationFilingInput(
            id: body.id, caseID: body.caseId, plan: body.plan, serviceKind: body.service.kind.rawValue, serviceProduct: body.service.product,
            urgency: body.urgency.rawValue, criteriaSet: body.criteriaSet, criteriaVersion: body.criteriaVersion))
        let now = clock()
        return created ? .created(.init(body: .json(.init(request, now: now)))) : .ok(.init(body: .json(.init(request, now: now))))
    }

    func getPriorAuthorization(_ input: Operations.GetPriorAuthorization.Input) async throws -> Operations.GetPriorAuthorization.Output {
        let request = try await visiblePriorAuthorization(input.path.requestId)
        return .ok(.init(body: .json(.init(request, now: clock()))))
    }

    func transitionPriorAuthorization(_ input: Operations.TransitionPriorAuthorization.Input) async throws -> Operations.TransitionPriorAuthorization.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let (request, applied) = try await apply(PriorAuthorizationStepInput(
            id: body.id, action: body.action.rawValue, at: body.at, reason: body.reason, requestedItems: body.requestedItems ?? [],
            serviceKind: body.service?.kind.rawValue, serviceProduct: body.service?.product, urgency: body.urgency?.rawValue,
            payerReference: body.payerReference, validFrom: body.validFrom, validTo: body.validTo
        ), to: input.path.requestId)
        let now = clock()
        return applied ? .created(.init(body: .json(.init(request, now: now)))) : .ok(.init(body: .json(.init(request, now: now))))
    }

    // MARK: - Shared with the pages and the FHIR exchange

    /// Files a draft after checking that the criteria set it names exists and is the case's
    /// payer's (or the regional standard); the version defaults to the newest.
    func file(_ filing: PriorAuthorizationFiling) async throws -> (request: PriorAuthorization, created: Bool) {
        try Self.requireActor(.center)
        // The case first: a case outside the caller's scope is "not found" before any other
        // check can describe it (its payer, its patient).
        guard let record = try await store.cases.find(filing.caseID), Self.partyScope.includes(center: record.centerID, payer: record.payerID) else {
            throw NotFoundError(entity: "case", id: filing.caseID.rawValue)
        }
        RequestIdentity.touch("case:\(record.id)", "patient:\(record.patientID)", "prior-authorization:\(filing.id)")
        if let set = filing.criteriaSet {
            guard let stored = try await store.criteria.set(set, version: filing.criteriaVersion) else {
                throw ValidationError(field: "criteriaSet", problem: "criteria set '\(set)'\(filing.criteriaVersion.map { " version \($0)" } ?? "") does not exist")
            }
            if case .payer(let payer) = stored.owner, record.payerID != payer {
                throw ValidationError(field: "criteriaSet", problem: "'\(set)' is \(payer)'s criteria but the case's payer is \(record.payerID)")
            }
        }
        var resolved = filing
        if resolved.criteriaSet != nil, resolved.criteriaVersion == nil {
            resolved.criteriaVersion = try await store.criteria.set(resolved.criteriaSet!, version: nil)?.version
        }
        return try await store.priorAuthorizations.file(resolved, at: clock(), scope: Self.partyScope)
    }

    /// Whose requests the caller sees: its center's, those addressed to its payer, or all (the mediator).
    static var partyScope: PartyScope {
        switch RequestIdentity.caseScope {
        case .all: .all
        case .center(let id): .center(id)
        case .payer(let id): .payer(id)
        case .none: .none
        }
    }

    /// The center files, answers and appeals; the payer decides; the mediator may record either on their behalf.
    static func requireActor(_ actor: PriorAuthorizationAction.Actor) throws {
        let kind = RequestIdentity.current?.principal.organization.kind
        switch (actor, kind) {
        case (_, .mediator), (.center, .center), (.payer, .payer): return
        case (.center, _): throw Problem.forbidden("action: only the treatment center files, answers, appeals, revises or withdraws a request")
        case (.payer, _): throw Problem.forbidden("action: only the payer pends or decides a request")
        }
    }

    func visiblePriorAuthorization(_ raw: String) async throws -> PriorAuthorization {
        let id: PriorAuthorizationID = try Identifier.validated(raw, field: "requestId")
        guard let request = try await store.priorAuthorizations.find(id, scope: Self.partyScope) else {
            throw NotFoundError(entity: "prior authorization", id: id.rawValue)
        }
        return request
    }
}

extension Components.Schemas.RequestedService {
    init(_ service: RequestedService) {
        self.init(kind: .init(rawValue: service.kind.rawValue)!, product: service.product?.rawValue)
    }
}

extension Components.Schemas.PriorAuthorization {
    init(_ request: PriorAuthorization, now: Date) {
        self.init(
            id: request.id.rawValue, caseId: request.caseID.rawValue, patientId: request.patient.rawValue, centerId: request.center.rawValue,
            payerId: request.payer.rawValue, plan: request.plan?.rawValue, planType: request.planType.rawValue, service: .init(request.service),
            urgency: request.urgency.rawValue, criteriaSet: request.criteriaSet?.rawValue, criteriaVersion: request.criteriaVersion,
            status: .init(rawValue: request.status.rawValue)!, clock: .init(rawValue: request.clockStatus(at: now).rawValue)!,
            createdAt: request.createdAt, submittedAt: request.submittedAt, dueAt: request.dueAt, decidedAt: request.decidedAt,
            decidedOnTime: request.decidedOnTime(now: now), decisionReason: request.decisionReason, payerReference: request.payerReference,
            validFrom: request.validFrom?.description, validTo: request.validTo?.description,
            transitions: request.transitions.map {
                .init(id: $0.id.rawValue, action: $0.action.rawValue, at: $0.at, receivedAt: $0.receivedAt, reason: $0.reason, requestedItems: $0.requestedItems,
                      service: $0.service.map(Components.Schemas.RequestedService.init), urgency: $0.urgency?.rawValue, payerReference: $0.payerReference,
                      validFrom: $0.validFrom?.description, validTo: $0.validTo?.description, recordedBy: $0.recordedBy)
            }
        )
    }
}
