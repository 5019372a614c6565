import Access
import CareNetwork
import Contracts
import Core
import Foundation
import Hummingbird
import Journey
import Storage

/// The server-rendered pages. They read through the same store and domain as the API and
/// work without JavaScript: filters are GET forms, recording an event is a POST form that
/// redirects on success and re-renders with the error on refusal.
struct WebRoutes<Context: RequestContext>: Sendable {
    let store: Store
    let renderer: PageRenderer
    let api: CurePathAPI

    func register(on routes: DeclaredRoutes<Context>) {
        routes.get("/", action: .readMetrics) { _, _ in Response(status: .seeOther, headers: [.location: "/network"]) }
        routes.get("/network", action: .readMetrics, use: network)
        routes.get("/cases", action: .readCases, use: cases)
        routes.get("/cases/:caseId", action: .readCases, use: casePage)
        routes.post("/cases/:caseId/events", action: .writeCases, use: recordEvent)
        routes.get("/audit", action: .readAudit, use: audit)
        routes.get("/ledger", action: .readLedger, use: ledger)
        routes.get("/ledger/statements/:party", action: .readStatements, use: statement)
        routes.post("/ledger/statements/:party/payments", action: .recordPayments, use: recordPayment)
        routes.post("/ledger/statements/:party/remittances", action: .recordPayments, bodyLimit: RemittanceFile.maximumBytes * 3, use: recordRemittance)
    }

    func network(_ request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        let filter = try Parse.filter(
            center: query.value("center"), payer: query.value("payer"), product: query.value("product"),
            referredFrom: query.value("referredFrom"), referredTo: query.value("referredTo")
        )
        let report = JourneyDisclosure.report(try await store.cases.summaries(filter), filter: filter, by: nil)
        let directory = try await store.reference.directory()
        let page = NetworkPage(metrics: report.overall, filter: filter, directory: directory, query: request.uri.query ?? "")
        return try renderer.render(page, template: "network")
    }

    func cases(_ request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        let filter = try Parse.filter(
            center: query.value("center"), payer: query.value("payer"), product: query.value("product"),
            referredFrom: query.value("referredFrom"), referredTo: query.value("referredTo")
        )
        let status = try query.value("status").map { raw throws(ValidationError) -> CaseStatus in
            guard let status = CaseStatus(rawValue: raw) else { throw ValidationError(field: "status", problem: "must be open, infused or lost") }
            return status
        }
        let offset = Self.pageOffset(query.value("offset"))
        let caseQuery = CaseQuery(filter: filter, status: status, scope: RequestIdentity.caseScope, limit: 50, offset: offset)
        let page = try await store.cases.list(caseQuery)
        let directory = try await store.reference.directory()
        let view = CasesPage(
            page: page, query: caseQuery, directory: directory, templates: try await store.journeyTemplates.catalog(), today: { api.today(at: directory.center($0)) },
            link: Self.pageLink(path: "/cases", keeping: query)
        )
        return try renderer.render(view, template: "cases")
    }

    func audit(_ request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        let outcome = try query.value("outcome").map { raw throws(ValidationError) -> AuditOutcome in
            guard let outcome = AuditOutcome(rawValue: raw) else { throw ValidationError(field: "outcome", problem: "must be allowed, denied or failed") }
            return outcome
        }
        let offset = Self.pageOffset(query.value("offset"))
        let auditQuery = AuditQuery(
            userID: query.value("user"), organizationID: query.value("organization"), action: query.value("action"), outcome: outcome,
            limit: 100, offset: offset
        )
        let page = try await store.audit.entries(auditQuery)
        let verification = try await store.audit.verify()
        let view = AuditPage(page: page, query: auditQuery, verification: verification, link: Self.pageLink(path: "/audit", keeping: query))
        return try renderer.render(view, template: "audit")
    }

    func ledger(_ request: Request, context: Context) async throws -> Response {
        // Summed by the database: the page must not read a ledger of millions of postings whole.
        let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: api.clock())
        let page = LedgerPage(
            transactionCount: try await store.ledger.count(), history: LedgerHistory(movements: try await store.ledger.monthlyMovements()),
            trialBalance: try await store.ledger.trialBalance(), runs: try await store.ledger.runs(limit: LedgerPage.listedRuns),
            runCount: try await store.ledger.runCount(), directory: try await store.reference.directory(),
            outstanding: try await LedgerOutstanding.load(from: store, asOf: today))
        return try renderer.render(page, template: "ledger")
    }

    /// A party's statement as a page, or with `format=csv` / `format=json` as a file; the
    /// same access rule as the API's statement (``StatementAccess``).
    func statement(_ request: Request, context: Context) async throws -> Response {
        let raw = context.parameters.get("party") ?? ""
        let party = try StatementAccess.readableParty(raw.removingPercentEncoding ?? raw)
        let query = request.uri.queryParameters
        let period = try StatementAccess.period(from: query.value("from"), to: query.value("to"))
        let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: api.clock())
        let ledger = try await store.ledger.transactions(touching: party)
        let statements = StatementAccess.statements(party: party, period: period, transactions: ledger, asOf: today)
        let statement = try StatementAccess.statement(in: query.value("currency"), of: statements)
        switch query.value("format") {
        case nil, "html":
            let notice = query.value("recorded").map { "Recorded: \($0)." }
            return try await renderStatement(statement, currencies: statements.map(\.currency), ledger: ledger, notice: notice, status: .ok)
        case "csv": return LedgerStatementDownload.csv(statements, asOf: today)
        case "json": return try LedgerStatementDownload.json(statement)
        default: throw ValidationError(field: "format", problem: "must be html, csv or json")
        }
    }

    /// The statement page, with the payment forms for those who may record the party's payments.
    private func renderStatement(
        _ statement: Statement, currencies: [Currency], ledger: [LedgerTransaction], notice: String?, status: HTTPResponse.Status,
        forms: ((inout StatementPaymentForms) -> Void)? = nil
    ) async throws -> Response {
        var page = LedgerStatementPage(statement, directory: try await store.reference.directory(), currencies: currencies)
        page.notice = notice
        if Self.mayRecordPayments(of: statement.party) {
            var paymentForms = StatementPaymentForms(path: page.path, statement: statement, ledger: ledger)
            forms?(&paymentForms)
            page.payments = paymentForms
        }
        return try renderer.render(page, template: "ledger-statement", status: status)
    }

    /// Whether the viewer may record payments `party` made: its own organization, or the
    /// mediator's operators (``PaymentRecording`` checks again when it records).
    static func mayRecordPayments(of party: Party) -> Bool {
        guard let principal = RequestIdentity.current?.principal, AccessPolicy.decide(principal, .recordPayments).isAllowed else { return false }
        return principal.organization.kind == .mediator || CurePathAPI.party(of: principal.organization) == party
    }

    /// The statement page's payment form: one payment of the statement's party, on one posting.
    func recordPayment(_ request: Request, context: Context) async throws -> Response {
        let raw = context.parameters.get("party") ?? ""
        let party = try StatementAccess.readableParty(raw.removingPercentEncoding ?? raw)
        let fields = Self.postedForm
        let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: api.clock())
        let ledger = try await store.ledger.transactions(touching: party)
        let statements = StatementAccess.statements(party: party, period: .init(), transactions: ledger, asOf: today)
        let statement = try StatementAccess.statement(in: fields["currency"]?.nonEmpty, of: statements)
        func refill(_ forms: inout StatementPaymentForms) {
            forms.reference = fields["reference"] ?? ""
            forms.payee = fields["payee"] ?? ""
            forms.valueDate = fields["valueDate"] ?? ""
            forms.posting = fields["posting"] ?? ""
            forms.amount = fields["amount"] ?? ""
        }
        do {
            var issues: [ValidationError.Issue] = []
            let payee = Party(code: fields["payee"] ?? "")
            if payee == nil { issues.append(.init(field: "payee", problem: "choose who was paid")) }
            let date = CalendarDate(iso8601: fields["valueDate"] ?? "")
            if date == nil { issues.append(.init(field: "valueDate", problem: "must be a date (YYYY-MM-DD)")) }
            let posting = PostingKey(rawValue: fields["posting"] ?? "")
            if posting == nil { issues.append(.init(field: "applications[0].posting", problem: "choose the posting paid")) }
            var amount: Money?
            switch MoneyText.parse("\((fields["amount"] ?? "").replacingOccurrences(of: ",", with: "")) \(statement.currency.rawValue)") {
            case .success(let money): amount = money
            case .failure: issues.append(.init(field: "amount", problem: "must be an amount such as 425000.00"))
            }
            guard issues.isEmpty, let payee, let date, let posting, let amount else { throw ValidationError(issues: issues) }
            let payment = Payment(reference: fields["reference"] ?? "", payer: party, payee: payee, valueDate: date, amount: amount,
                                  applications: [PaymentApplication(posting: posting, amount: amount)])
            let recorded = try await PaymentRecording(store: store).record(
                [payment], by: try PaymentRecording.current(), recordedBy: RequestIdentity.current.map { "\($0.principal.userID)" }, now: api.clock())
            let what = (recorded.first?.wasAlreadyRecorded == true ? "already recorded " : "") + "payment \(payment.reference), \(amount)"
            let location = LedgerPartyLabel.statementPath(party) + "?currency=\(statement.currency.rawValue)&recorded="
                + (what.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? "")
            return Response(status: .seeOther, headers: [.location: location])
        } catch let error as ValidationError {
            return try await renderStatement(statement, currencies: statements.map(\.currency), ledger: ledger, notice: nil, status: .unprocessableContent) {
                refill(&$0)
                $0.show(error)
            }
        } catch StorageError.conflict(let message) {
            return try await renderStatement(statement, currencies: statements.map(\.currency), ledger: ledger, notice: nil, status: .conflict) {
                refill(&$0)
                $0.referenceError = message
            }
        }
    }

    /// The statement page's remittance form: a pasted remittance file, all or nothing, its
    /// problems listed against their lines.
    func recordRemittance(_ request: Request, context: Context) async throws -> Response {
        let raw = context.parameters.get("party") ?? ""
        let party = try StatementAccess.readableParty(raw.removingPercentEncoding ?? raw)
        let text = Self.postedForm["file"] ?? ""
        let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: api.clock())
        let ledger = try await store.ledger.transactions(touching: party)
        let statements = StatementAccess.statements(party: party, period: .init(), transactions: ledger, asOf: today)
        do {
            let file = try RemittanceFile.parse(Data(text.utf8))
            let recorded = try await PaymentRecording(store: store).record(
                file.entries.map(\.payment), by: try PaymentRecording.current(),
                recordedBy: RequestIdentity.current.map { "\($0.principal.userID)" }, now: api.clock(), locate: { file.located($1, ofEntry: $0) })
            let new = recorded.filter { !$0.wasAlreadyRecorded }.count
            let what = "\(new) payment\(new == 1 ? "" : "s") from the remittance file\(recorded.count > new ? ", \(recorded.count - new) already recorded" : "")"
            return Response(status: .seeOther, headers: [.location: LedgerPartyLabel.statementPath(party) + "?recorded="
                + (what.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? "")])
        } catch let error as ValidationError {
            return try await renderStatement(statements[0], currencies: statements.map(\.currency), ledger: ledger, notice: nil, status: .unprocessableContent) {
                $0.remittance = String(text.prefix(20_000))
                $0.remittanceErrors = error.issues.prefix(100).map { "\($0.field): \($0.problem)" }
            }
        } catch StorageError.conflict(let message) {
            return try await renderStatement(statements[0], currencies: statements.map(\.currency), ledger: ledger, notice: nil, status: .conflict) {
                $0.remittance = String(text.prefix(20_000))
                $0.remittanceErrors = [message]
            }
        }
    }

    func casePage(_ request: Request, context: Context) async throws -> Response {
        let id: CaseID = try Identifier.validated(context.parameters.get("caseId") ?? "", field: "caseId")
        try await api.requireInScope(id)
        let notice = request.uri.queryParameters.value("recorded").map { "Recorded event #\($0)." }
        return try await renderCase(id, form: CasePage.FormValues(), error: nil, notice: notice, status: .ok)
    }

    func recordEvent(_ request: Request, context: Context) async throws -> Response {
        let id: CaseID = try Identifier.validated(context.parameters.get("caseId") ?? "", field: "caseId")
        let fields = Self.postedForm
        var form = CasePage.FormValues()
        form.eventID = fields["id"].flatMap { $0.isEmpty ? nil : $0 } ?? form.eventID
        form.stage = fields["stage"] ?? ""
        form.kind = fields["kind"] ?? ""
        form.date = fields["date"] ?? ""
        form.reason = fields["reason"] ?? ""
        form.lossReason = fields["lossReason"] ?? ""
        form.atRiskOverride = fields["atRiskOverride"] ?? ""
        do {
            let (_, result) = try await api.record(JourneyEventInput(
                id: form.eventID, kind: form.kind, stage: form.stage.nonEmpty, date: form.date, reason: form.reason.nonEmpty,
                lossReason: form.lossReason.nonEmpty, atRiskOverride: form.atRiskOverride.nonEmpty, note: nil
            ), onCase: id.rawValue)
            return Response(status: .seeOther, headers: [.location: "/cases/\(id.rawValue)?recorded=\(result.event.sequence)#events"])
        } catch let error as ValidationError {
            return try await renderCase(id, form: form, error: error.description, notice: nil, status: .unprocessableContent)
        } catch StorageError.conflict(let message) {
            return try await renderCase(id, form: form, error: message, notice: nil, status: .conflict)
        }
    }

    private func renderCase(_ id: CaseID, form: CasePage.FormValues, error: String?, notice: String?, status: HTTPResponse.Status) async throws -> Response {
        guard let history = try await store.cases.history(of: id) else { throw NotFoundError(entity: "case", id: id.rawValue) }
        let directory = try await store.reference.directory()
        let metrics = CaseMetrics(journey: history.journey, asOf: api.today(at: directory.center(history.record.centerID)))
        let chain = try await store.custody.chain(of: id)
        var page = CasePage(
            record: history.record, metrics: metrics, events: history.events, custody: chain,
            custodyVerification: try await store.custody.verify(id), directory: directory, form: form,
            error: error, notice: notice
        )
        let scope = CurePathAPI.partyScope
        if RequestIdentity.current.map({ AccessPolicy.decide($0.principal, .readPriorAuthorizations).isAllowed }) == true {
            page.requests = try await store.priorAuthorizations.requests(onCase: id, scope: scope).map {
                CasePage.LinkRow(id: $0.id.rawValue, link: "/prior-authorizations/\($0.id.rawValue)", status: $0.status.rawValue, detail: ClockLabel.text($0, at: api.clock()))
            }
        }
        if RequestIdentity.current.map({ AccessPolicy.decide($0.principal, .readAgreements).isAllowed }) == true {
            page.agreements = try await store.agreements.list(scope: scope, caseID: id).map {
                CasePage.LinkRow(id: $0.id.rawValue, link: "/agreements/\($0.id.rawValue)", status: $0.status.rawValue, detail: "\($0.versions.count) version\($0.versions.count == 1 ? "" : "s")")
            }
            page.canDraftAgreement = CurePathAPI.agreementSide != .payer
                && RequestIdentity.current.map { AccessPolicy.decide($0.principal, .writeAgreements).isAllowed } == true
            page.templates = try await api.visibleTemplates().filter { $0.center == nil || $0.center == history.record.centerID }
                .map { Option(value: $0.id.rawValue, label: "\($0.name) (\($0.id) v\($0.version))", selected: false) }
        }
        return try renderer.render(page, template: "case", status: status)
    }

    /// The fields of the form posted with the current request (read, within the route's
    /// declared limit, by ``RequestBodyMiddleware``).
    static var postedForm: [String: String] { formFields(RawRequestBody.text) }

    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            guard let key = parts.first else { continue }
            fields[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// A list page's `offset`: absent or negative is 0, and it is capped so that adding the
    /// page size can never overflow.
    static func pageOffset(_ raw: String?) -> Int {
        min(max(0, raw.flatMap { Int($0) } ?? 0), 10_000_000)
    }

    /// Links to other pages of a list: the same filters, another offset.
    static func pageLink(path: String, keeping query: Hummingbird.Parameters) -> @Sendable (Int) -> String {
        let base = query.filter { $0.key != "offset" && !$0.value.isEmpty }.map { "\($0.key)=\(encode(String($0.value)))" }
        return { offset in path + "?" + (base + ["offset=\(offset)"]).joined(separator: "&") }
    }

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
    }
}

extension Hummingbird.Parameters {
    fileprivate func value(_ key: String) -> String? {
        guard let value = self[key[...]], !value.isEmpty else { return nil }
        return String(value)
    }
}
