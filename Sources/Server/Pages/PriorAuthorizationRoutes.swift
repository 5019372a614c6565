import Access
import CareNetwork
import Core
import Coverage
import Criteria
import Foundation
import Hummingbird
import Journey
import Storage

/// The prior-authorization pages: the work queue, one request with its clock and next
/// steps, a patient's evaluation against every payer, and the clinical-facts form. Like the
/// other pages they work without JavaScript: GET forms filter, POST forms act and redirect.
struct PriorAuthorizationRoutes<Context: RequestContext>: Sendable {
    let store: Store
    let renderer: PageRenderer
    let api: CurePathAPI

    func register(on routes: DeclaredRoutes<Context>) {
        routes.get("/prior-authorizations", action: .readPriorAuthorizations, use: queue)
        routes.post("/prior-authorizations", action: .writePriorAuthorizations, use: file)
        routes.get("/prior-authorizations/:requestId", action: .readPriorAuthorizations, use: request)
        routes.post("/prior-authorizations/:requestId/transitions", action: .writePriorAuthorizations, use: transition)
        routes.get("/patients/:patientId/evaluation", action: .readClinicalFacts, use: evaluation)
        routes.get("/patients/:patientId/clinical-facts", action: .readClinicalFacts, use: facts)
        // The facts form is long; a FHIR bundle (up to 10 MiB) is sent form-encoded, which
        // can triple its size.
        routes.post("/patients/:patientId/clinical-facts", action: .writeClinicalFacts, bodyLimit: 256 * 1024, use: saveFacts)
        routes.post("/patients/:patientId/clinical-facts/fhir", action: .writeClinicalFacts, bodyLimit: 30 * 1_048_576, use: importFacts)
    }

    func queue(_ request: Request, context: Context) async throws -> Response {
        try await renderQueue(request, filing: try await filingForm(), status: .ok)
    }

    /// The queue, with the filing form as given (empty, or refused with its problems).
    private func renderQueue(_ request: Request, filing: EntryForm?, status responseStatus: HTTPResponse.Status) async throws -> Response {
        let query = request.uri.queryParameters
        let clock = try query["clock"].flatMap { raw throws(ValidationError) -> PriorAuthorizationQuery.ClockFilter? in
            if raw.isEmpty { return nil }
            guard let filter = PriorAuthorizationQuery.ClockFilter(rawValue: String(raw)) else { throw ValidationError(field: "clock", problem: "must be overdue or due-soon") }
            return filter
        }
        let status = try query["status"].flatMap { raw throws(ValidationError) -> PriorAuthorizationStatus? in
            if raw.isEmpty { return nil }
            guard let status = PriorAuthorizationStatus(rawValue: String(raw)) else {
                throw ValidationError(field: "status", problem: "must be one of \(PriorAuthorizationStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return status
        }
        let offset = WebRoutes<Context>.pageOffset(query["offset"].map(String.init))
        let paQuery = PriorAuthorizationQuery(scope: CurePathAPI.partyScope, status: status, clock: clock, limit: 50, offset: offset)
        let now = api.clock()
        let page = try await store.priorAuthorizations.queue(paQuery, now: now)
        var view = WorkQueuePage(page: page, query: paQuery, directory: try await store.reference.directory(), now: now,
                                 link: WebRoutes<Context>.pageLink(path: "/prior-authorizations", keeping: query))
        view.filing = filing
        return try renderer.render(view, template: "prior-authorizations", status: responseStatus)
    }

    /// The filing form of the queue page, for those who file (the center, the mediator on its
    /// behalf): one of the viewer's open cases, the service — an evaluation authorization
    /// unless a treatment is asked for — and the urgency.
    func filingForm() async throws -> EntryForm? {
        guard let kind = RequestIdentity.current?.principal.organization.kind, kind != .payer,
              Viewer.may(.writePriorAuthorizations) else { return nil }
        let cases = try await store.cases.list(CaseQuery(status: .open, scope: RequestIdentity.caseScope, limit: 500)).items
        let directory = try await store.reference.directory()
        return EntryForm([
            .init("caseId", "Case", kind: .select, options: [Option(value: "", label: "", selected: true)] + cases.map { summary in
                Option(value: summary.caseID.rawValue,
                       label: "\(summary.caseID) · \(directory.product(summary.productID)?.name ?? summary.productID.rawValue) · referred \(summary.referralDate)",
                       selected: false)
            }, required: true),
            .init("serviceKind", "Service", kind: .select, options: [
                Option(value: ServiceKind.evaluation.rawValue, label: "evaluation authorization (consultation and pretests)", selected: true),
                Option(value: "", label: "the case's therapy", selected: false),
                Option(value: ServiceKind.transplant.rawValue, label: "stem-cell transplant", selected: false),
            ]),
            .init("urgency", "Urgency", kind: .select, options: Urgency.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == .standard) },
                  required: true),
        ], apiNames: ["service.kind": "serviceKind", "service.product": "serviceKind", "service": "serviceKind"])
    }

    func request(_ request: Request, context: Context) async throws -> Response {
        let found = try await api.visiblePriorAuthorization(context.parameters.get("requestId") ?? "")
        let notice = request.uri.queryParameters["done"].map { "Recorded: \($0)." }
        return try await render(found, form: PriorAuthorizationPage.FormValues(), error: nil, notice: notice, status: .ok)
    }

    func transition(_ request: Request, context: Context) async throws -> Response {
        let current = try await api.visiblePriorAuthorization(context.parameters.get("requestId") ?? "")
        let fields = WebRoutes<Context>.postedForm
        var form = PriorAuthorizationPage.FormValues()
        form.id = fields["id"].flatMap { $0.isEmpty ? nil : $0 } ?? form.id
        form.action = fields["action"] ?? ""
        form.reason = fields["reason"] ?? ""
        form.items = fields["items"] ?? ""
        form.product = fields["product"] ?? ""
        form.serviceKind = fields["serviceKind"] ?? ""
        form.urgency = fields["urgency"] ?? ""
        form.payerReference = fields["payerReference"] ?? ""
        do {
            // Service and product are the revision's fields; any other step leaves them out.
            let revises = form.action == PriorAuthorizationAction.revise.rawValue && !form.serviceKind.isEmpty
            _ = try await api.apply(PriorAuthorizationStepInput(
                id: form.id, action: form.action, reason: form.reason.nonEmpty,
                requestedItems: form.items.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                serviceKind: revises ? form.serviceKind : nil, serviceProduct: revises && form.serviceKind == ServiceKind.therapy.rawValue ? form.product.nonEmpty : nil,
                urgency: form.urgency.nonEmpty, payerReference: form.payerReference.nonEmpty
            ), to: current.id.rawValue)
            return Response(status: .seeOther, headers: [.location: "/prior-authorizations/\(current.id.rawValue)?done=\(form.action)"])
        } catch let error as ValidationError {
            return try await render(current, form: form, error: error.description, notice: nil, status: .unprocessableContent)
        } catch StorageError.conflict(let message) {
            return try await render(current, form: form, error: message, notice: nil, status: .conflict)
        }
    }

    /// Files a draft request — from the queue's form (an evaluation authorization, usually)
    /// or the evaluation page's (the case's therapy, against a criteria set) — through the
    /// API's own filing path. A refusal re-renders the queue with the problem beside its field.
    func file(_ request: Request, context: Context) async throws -> Response {
        let fields = WebRoutes<Context>.postedForm
        let form = try await filingForm()?.filled(from: fields)
        do {
            let (filed, _) = try await api.file(PriorAuthorizationFilingInput(
                caseID: fields["caseId"] ?? "", serviceKind: fields["serviceKind"]?.nonEmpty, urgency: fields["urgency"] ?? "",
                criteriaSet: fields["criteriaSet"]?.nonEmpty))
            return Response(status: .seeOther, headers: [.location: "/prior-authorizations/\(filed.id.rawValue)?done=filed"])
        } catch let error as ValidationError {
            guard let form else { throw error }
            return try await renderQueue(request, filing: form.refused(error), status: .unprocessableContent)
        } catch StorageError.conflict(let message) {
            guard let form else { throw StorageError.conflict(message) }
            return try await renderQueue(request, filing: form.refused(field: "caseId", message), status: .conflict)
        }
    }

    func evaluation(_ request: Request, context: Context) async throws -> Response {
        let patient = try await api.visiblePatient(context.parameters.get("patientId") ?? "")
        let query = request.uri.queryParameters
        let asOf = try Parse.date(query["asOf"].map(String.init)?.nonEmpty, field: "asOf") ?? api.utcToday()
        let submitBy = try Parse.date(query["submitBy"].map(String.init)?.nonEmpty, field: "submitBy") ?? asOf.adding(days: 14)
        guard submitBy >= asOf else { throw ValidationError(field: "submitBy", problem: "\(submitBy) is before asOf \(asOf)") }
        let cases = try await store.cases.openCases(ofPatient: patient, in: RequestIdentity.caseScope)
        // Without a product named, the patient's newest open case decides which criteria apply.
        let product: ProductID? = try Parse.identifier(query["product"].map(String.init)?.nonEmpty, field: "product") ?? cases.first?.productID
        let candidates = product == nil ? [] : try await api.criteriaCandidates(product: product?.rawValue, sets: nil, asOf: asOf)
        let (evaluation, version) = try await api.evaluate(patient, against: candidates, asOf: asOf, submitBy: submitBy)
        let canFile = RequestIdentity.current.map { AccessPolicy.decide($0.principal, .writePriorAuthorizations).isAllowed && $0.principal.organization.kind != .payer } ?? false
        let page = PatientEvaluationPage(
            evaluation, candidates: candidates, product: product, factsVersion: version, directory: try await store.reference.directory(),
            cases: cases.filter { $0.productID == product }, canFile: canFile, error: nil)
        return try renderer.render(page, template: "evaluation")
    }

    func facts(_ request: Request, context: Context) async throws -> Response {
        let patient = try await api.visiblePatient(context.parameters.get("patientId") ?? "")
        let recorded = try await store.clinicalFacts.latest(of: patient)
        let notice = request.uri.queryParameters["saved"].map { "Saved as version \($0)." }
        let page = ClinicalFactsPage(patient: patient.rawValue, recorded: recorded, form: ClinicalFactsForm(recorded?.facts ?? ClinicalFacts(patient: patient)),
                                     canEdit: Self.canEditFacts, notice: notice)
        return try renderer.render(page, template: "clinical-facts")
    }

    func saveFacts(_ request: Request, context: Context) async throws -> Response {
        let patient = try await api.visiblePatient(context.parameters.get("patientId") ?? "")
        guard Self.canEditFacts else { throw Problem.forbidden("your role may read clinical facts but not enter them") }
        let fields = WebRoutes<Context>.postedForm
        let form = ClinicalFactsForm(fields: fields)
        do {
            let facts = try form.facts(for: patient)
            let saved = try await store.clinicalFacts.record(facts, source: .form, recordedBy: RequestIdentity.current?.principal.userID.rawValue)
            return Response(status: .seeOther, headers: [.location: "/patients/\(patient.rawValue)/clinical-facts?saved=\(saved.version)"])
        } catch let error as ValidationError {
            let page = ClinicalFactsPage(patient: patient.rawValue, recorded: try await store.clinicalFacts.latest(of: patient), form: form, canEdit: true,
                                         error: "The facts were not saved; correct the fields below.", errors: error.issues.map { "\($0.field): \($0.problem)" })
            return try renderer.render(page, template: "clinical-facts", status: .unprocessableContent)
        }
    }

    func importFacts(_ request: Request, context: Context) async throws -> Response {
        let patient = try await api.visiblePatient(context.parameters.get("patientId") ?? "")
        guard Self.canEditFacts else { throw Problem.forbidden("your role may read clinical facts but not enter them") }
        let fields = WebRoutes<Context>.postedForm
        let text = fields["bundle"] ?? ""
        do {
            let (recorded, unmapped) = try await api.importFacts(Array(text.utf8), for: patient)
            let page = ClinicalFactsPage(patient: patient.rawValue, recorded: recorded, form: ClinicalFactsForm(recorded.facts), canEdit: true,
                                         notice: "Imported from the FHIR bundle as version \(recorded.version).", unmapped: unmapped.map(\.description))
            return try renderer.render(page, template: "clinical-facts")
        } catch let error as ValidationError {
            let recorded = try await store.clinicalFacts.latest(of: patient)
            let page = ClinicalFactsPage(patient: patient.rawValue, recorded: recorded, form: ClinicalFactsForm(recorded?.facts ?? ClinicalFacts(patient: patient)),
                                         canEdit: true, error: "The bundle was not imported; nothing changed.",
                                         errors: error.issues.map { "\($0.field): \($0.problem)" }, fhirText: String(text.prefix(200_000)))
            return try renderer.render(page, template: "clinical-facts", status: .unprocessableContent)
        }
    }

    static var canEditFacts: Bool {
        RequestIdentity.current.map { AccessPolicy.decide($0.principal, .writeClinicalFacts).isAllowed } ?? false
    }

    private func render(_ request: PriorAuthorization, form: PriorAuthorizationPage.FormValues, error: String?, notice: String?, status: HTTPResponse.Status) async throws -> Response {
        let kind = RequestIdentity.current?.principal.organization.kind
        let canWrite = RequestIdentity.current.map { AccessPolicy.decide($0.principal, .writePriorAuthorizations).isAllowed } ?? false
        let allowed = canWrite ? request.possibleActions.filter { action in
            kind == .mediator || (action.actor == .center && kind == .center) || (action.actor == .payer && kind == .payer)
        } : []
        let page = PriorAuthorizationPage(request, directory: try await store.reference.directory(), now: api.clock(), allowed: allowed,
                                          form: form, error: error, notice: notice)
        return try renderer.render(page, template: "prior-authorization", status: status)
    }
}
