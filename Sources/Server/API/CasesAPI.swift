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
        let record = try await newCase(from: body)
        let outcome = try await store.cases.open(record)
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
        let id: CaseID = try Identifier.validated(input.path.caseId, field: "caseId")
        try await requireInScope(id)
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        guard let record = try await store.cases.find(id) else { throw NotFoundError(entity: "case", id: id.rawValue) }
        let event = try JourneyEventInput(
            id: body.id, kind: body.kind.rawValue, stage: body.stage, date: body.date, reason: body.reason,
            lossReason: body.lossReason?.rawValue, atRiskOverride: body.atRiskOverride, note: body.note
        ).event()
        let center = try await store.reference.directory().center(record.centerID)
        let result = try await store.cases.record(event, on: id, notAfter: today(at: center))
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

    private func newCase(from body: Components.Schemas.NewCase) async throws -> Case {
        let patientID: PatientID = try Identifier.validated(body.patientId, field: "patientId")
        let productID: ProductID = try Identifier.validated(body.productId, field: "productId")
        let centerID: CenterID = try Identifier.validated(body.centerId, field: "centerId")
        let caseID: CaseID = try body.id.map { raw throws(ValidationError) in try Identifier.validated(raw, field: "id") }
            ?? CaseID("case-\(UUID().uuidString.prefix(8).lowercased())")
        let referral = try CalendarDate.parse(body.referralDate, field: "referralDate")
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
        if let raw = body.payerId {
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
        return Case(id: caseID, patientID: patientID, productID: productID, centerID: centerID, payerID: payerID,
                    templateID: template.reference, referralDate: referral)
    }
}

/// A journey event as submitted through the API or a page form, before it is a domain value.
struct JourneyEventInput {
    var id: String?
    var kind: String
    var stage: String?
    var date: String
    var reason: String?
    var lossReason: String?
    var atRiskOverride: String?
    var note: String?

    func event() throws(ValidationError) -> JourneyEvent {
        guard let kind = JourneyEventKind(rawValue: kind) else {
            throw ValidationError(field: "kind", problem: "must be one of \(JourneyEventKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let lossReason = try lossReason.map { raw throws(ValidationError) -> LossReason in
            guard let reason = LossReason(rawValue: raw) else {
                throw ValidationError(field: "lossReason", problem: "must be one of \(LossReason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return reason
        }
        let stage = try Parse.text(stage, field: "stage", maxLength: 64)
        if kind != .lost, stage == nil { throw ValidationError(field: "stage", problem: "is required for a '\(kind.rawValue)' event") }
        if kind == .lost, stage != nil { throw ValidationError(field: "stage", problem: "must be empty for a 'lost' event: the whole case is lost") }
        let eventID: JourneyEventID = try Parse.identifier(id, field: "id") ?? JourneyEventID("evt-\(UUID().uuidString.lowercased())")
        return JourneyEvent(
            id: eventID, kind: kind, stage: stage.map { StageKey(rawValue: $0) }, date: try CalendarDate.parse(date, field: "date"),
            reason: try Parse.text(reason, field: "reason"), lossReason: lossReason,
            atRiskOverride: try Parse.text(atRiskOverride, field: "atRiskOverride"), note: try Parse.text(note, field: "note")
        )
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
