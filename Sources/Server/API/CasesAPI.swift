import Access
import APIContract
import CareNetwork
import Core
import Foundation
import Journey
import Storage

extension CurePathAPI {
    func listCases(_ input: Operations.ListCases.Input) async throws -> Operations.ListCases.Output {
        let query = input.query
        let filter = try Parse.filter(center: query.center, payer: query.payer, product: query.product, referredFrom: query.referredFrom, referredTo: query.referredTo)
        let limit = query.limit ?? 50
        let offset = query.offset ?? 0
        guard (1...500).contains(limit) else { throw ValidationError(field: "limit", problem: "must be between 1 and 500, got \(limit)") }
        guard offset >= 0 else { throw ValidationError(field: "offset", problem: "must not be negative, got \(offset)") }
        let status = query.status.map { CaseStatus(rawValue: $0.rawValue)! }
        let page = try await store.cases.list(CaseQuery(filter: filter, status: status, scope: RequestIdentity.caseScope, limit: limit, offset: offset))
        let directory = try await store.reference.directory()
        let items = page.items.map { summary in
            Components.Schemas.CaseListItem(summary, today: today(at: directory.center(summary.centerID)))
        }
        return .ok(.init(body: .json(.init(items: items, total: page.total, limit: limit, offset: offset))))
    }

    func openCase(_ input: Operations.OpenCase.Input) async throws -> Operations.OpenCase.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let (record, outcome) = try await open(CaseOpening(
            id: body.id, patientID: body.patientId, productID: body.productId, centerID: body.centerId,
            payerID: body.payerId, referralDate: body.referralDate))
        let detail = try await caseDetail(record.id)
        return outcome.isNew ? .created(.init(body: .json(detail))) : .ok(.init(body: .json(detail)))
    }

    func getCase(_ input: Operations.GetCase.Input) async throws -> Operations.GetCase.Output {
        let id: CaseID = try Identifier.validated(input.path.caseId, field: "caseId")
        try await requireInScope(id)
        return .ok(.init(body: .json(try await caseDetail(id))))
    }

    func listJourneyEvents(_ input: Operations.ListJourneyEvents.Input) async throws -> Operations.ListJourneyEvents.Output {
        let id: CaseID = try Identifier.validated(input.path.caseId, field: "caseId")
        try await requireInScope(id)
        guard let history = try await store.cases.history(of: id) else { throw NotFoundError(entity: "case", id: id.rawValue) }
        return .ok(.init(body: .json(.init(items: history.events.map { .init($0, caseID: id, status: history.journey.status) }))))
    }

    func recordJourneyEvent(_ input: Operations.RecordJourneyEvent.Input) async throws -> Operations.RecordJourneyEvent.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let (id, result) = try await record(JourneyEventInput(
            id: body.id, kind: body.kind.rawValue, stage: body.stage, date: body.date, reason: body.reason,
            lossReason: body.lossReason?.rawValue, atRiskOverride: body.atRiskOverride, note: body.note
        ), onCase: input.path.caseId)
        let recorded = Components.Schemas.RecordedJourneyEvent(result.event, caseID: id, status: result.caseStatus)
        return result.outcome.isNew ? .created(.init(body: .json(recorded))) : .ok(.init(body: .json(recorded)))
    }

    /// The case with its metrics counted to today at its center.
    func caseDetail(_ id: CaseID) async throws -> Components.Schemas.CaseDetail {
        guard let history = try await store.cases.history(of: id) else { throw NotFoundError(entity: "case", id: id.rawValue) }
        let center = try await store.reference.directory().center(history.record.centerID)
        let metrics = CaseMetrics(journey: history.journey, asOf: today(at: center))
        return Components.Schemas.CaseDetail(history.record, metrics: metrics)
    }
}

extension Components.Schemas.CaseListItem {
    init(_ summary: CaseSummary, today: CalendarDate) {
        self.init(
            id: summary.caseID.rawValue, centerId: summary.centerID.rawValue, payerId: summary.payerID.rawValue,
            productId: summary.productID.rawValue, referralDate: summary.referralDate.description,
            status: .init(rawValue: summary.status.rawValue)!, lossReason: summary.lossReason.map { .init(rawValue: $0.rawValue)! },
            closedOn: summary.closedOn?.description, currentStages: summary.currentStages.map(\.rawValue),
            referralToInfusionDays: summary.referralToInfusionDays,
            elapsedDays: summary.referralDate.days(until: summary.closedOn ?? today)
        )
    }
}

extension Components.Schemas.RecordedJourneyEvent {
    init(_ recorded: RecordedJourneyEvent, caseID: CaseID, status: CaseStatus) {
        let event = recorded.event
        self.init(
            id: event.id.rawValue, caseId: caseID.rawValue, sequence: recorded.sequence, kind: .init(rawValue: event.kind.rawValue)!,
            stage: event.stage?.rawValue, date: event.date.description, reason: event.reason,
            lossReason: event.lossReason.map { .init(rawValue: $0.rawValue)! }, atRiskOverride: event.atRiskOverride, note: event.note,
            recordedAt: recorded.recordedAt, caseStatus: .init(rawValue: status.rawValue)!
        )
    }
}

extension Components.Schemas.CaseDetail {
    init(_ record: Case, metrics: CaseMetrics) {
        self.init(
            id: record.id.rawValue, patientId: record.patientID.rawValue, productId: record.productID.rawValue,
            centerId: record.centerID.rawValue, payerId: record.payerID.rawValue, templateId: record.templateID,
            referralDate: record.referralDate.description, status: .init(rawValue: metrics.status.rawValue)!,
            lossReason: metrics.lossReason.map { .init(rawValue: $0.rawValue)! }, closedOn: metrics.closedOn?.description,
            asOf: metrics.asOf.description, referralToInfusionDays: metrics.referralToInfusionDays, elapsedDays: metrics.elapsedDays,
            currentStages: metrics.currentStages.map(\.rawValue),
            stages: metrics.stages.map { stage in
                .init(
                    stage: stage.stage.rawValue, name: stage.name, status: .init(rawValue: stage.status.rawValue)!,
                    started: stage.started?.description, ended: stage.ended?.description, days: stage.days, waitingDays: stage.waitingDays,
                    blockedDays: stage.blockedDays,
                    blocks: stage.blocks.map { .init(start: $0.start.description, end: $0.end?.description, reason: $0.reason) },
                    atRiskOverride: stage.atRiskOverride, onCriticalPath: stage.onCriticalPath
                )
            },
            criticalPath: metrics.criticalPath?.steps.map { .init(stage: $0.stage.rawValue, waitingDays: $0.waitingDays, activeDays: $0.activeDays) }
        )
    }
}
