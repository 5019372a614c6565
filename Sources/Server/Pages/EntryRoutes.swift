import Access
import CareNetwork
import Contracts
import Core
import Criteria
import Foundation
import Hummingbird
import Journey
import Storage

/// The pages that enter records: register a patient, see a patient and add their coverage,
/// open a case, file a contract or a criteria set from its file.
///
/// Each POST calls the same use-case function as the API (``CurePathAPI/register(_:)``,
/// ``CurePathAPI/add(_:toPatient:)``, ``CurePathAPI/open(_:)``,
/// ``CurePathAPI/fileContract(document:)``, ``CurePathAPI/fileCriteriaSet(document:)``), so a
/// rule is stated once and the page refuses what the API refuses in the same words — shown
/// here beside the field. A refusal changes nothing and re-renders the form with what was
/// typed (422); success redirects (303). Like every page they work without JavaScript.
struct EntryRoutes<Context: RequestContext>: Sendable {
    let store: Store
    let renderer: PageRenderer
    let api: CurePathAPI

    func register(on routes: DeclaredRoutes<Context>) {
        routes.get("/patients/new", action: .writePatients, use: newPatient)
        routes.post("/patients", action: .writePatients, use: registerPatient)
        routes.get("/patients/:patientId", action: .readPatients, use: patient)
        routes.post("/patients/:patientId/coverage", action: .writePatients, use: addCoverage)
        routes.get("/cases/new", action: .writeCases, use: newCase)
        routes.post("/cases", action: .writeCases, use: openCase)
        routes.get("/contracts/new", action: .writeContracts, use: newContract)
        // A file and a pasted copy may both be sent, with the multipart framing around them.
        routes.post("/contracts", action: .writeContracts, bodyLimit: 2 * ContractFile.maximumBytes + RouteRule.formBodyLimit, use: fileContract)
        routes.get("/criteria-sets/new", action: .writeCriteria, use: newCriteriaSet)
        routes.post("/criteria-sets", action: .writeCriteria, bodyLimit: 2 * CriteriaFile.maximumBytes + RouteRule.formBodyLimit, use: fileCriteriaSet)
    }

    // MARK: - Registering a patient

    static var patientForm: EntryForm {
        EntryForm([
            .init("givenName", "Given name", required: true, maxLength: 100),
            .init("familyName", "Family name", required: true, maxLength: 100),
            .init("birthDate", "Birth date", kind: .date, required: true),
            .init("sex", "Sex", kind: .select, options: [Option(value: "", label: "", selected: true)]
                  + Sex.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: false) }, required: true),
            .init("postalCode", "Postal code", required: true, maxLength: 20),
            .init("phone", "Phone", maxLength: 40),
            .init("id", "Patient ID", maxLength: 64, help: "Leave empty to have one assigned; letters, digits and - . _ only."),
        ], apiNames: [
            "identifiers.givenName": "givenName", "identifiers.familyName": "familyName", "identifiers.birthDate": "birthDate",
            "birthYear": "birthDate", "identifiers.postalCode": "postalCode", "identifiers.phone": "phone",
        ])
    }

    func newPatient(_ request: Request, context: Context) async throws -> Response {
        try renderPatientForm(Self.patientForm, status: .ok)
    }

    func registerPatient(_ request: Request, context: Context) async throws -> Response {
        let form = Self.patientForm.filled(from: WebRoutes<Context>.postedForm)
        do {
            let (patient, _) = try await api.register(PatientRegistration(
                id: form.optional("id"), birthYear: nil, sex: form["sex"],
                identifiers: .init(givenName: form["givenName"], familyName: form["familyName"], birthDate: form["birthDate"],
                                   postalCode: form["postalCode"], phone: form.optional("phone"))))
            return Response(status: .seeOther, headers: [.location: "/patients/\(patient.id.rawValue)?registered=1"])
        } catch let error as ValidationError {
            return try renderPatientForm(form.refused(error), status: .unprocessableContent)
        } catch StorageError.conflict(let message) {
            return try renderPatientForm(form.refused(field: "id", Self.withoutField(message)), status: .conflict)
        }
    }

    private func renderPatientForm(_ form: EntryForm, status: HTTPResponse.Status) throws -> Response {
        let page = EntryPage(
            title: "Register a patient",
            lede: "The name, birth date, postal code and phone are sealed as soon as they are saved: CurePath keeps only the patient ID, birth year and sex in the open, and shows identifiers again only to a role that may read them, with the reason logged. Your organization becomes the patient's registrant, so your center can open their case.",
            action: "/patients", submit: "Register patient", form: form,
            links: [.init(href: "/cases", label: "Back to cases")])
        return try renderer.render(page, template: "entry", status: status)
    }

    // MARK: - A patient and their coverage

    static func coverageForm(_ directory: Directory) -> EntryForm {
        let payers = directory.payers.sorted { $0.name < $1.name }
        let plans = directory.plans.sorted { ($0.payerID.rawValue, $0.name) < ($1.payerID.rawValue, $1.name) }
        return EntryForm([
            .init("payerId", "Payer", kind: .select, options: [Option(value: "", label: "", selected: true)]
                  + payers.map { Option(value: $0.id.rawValue, label: $0.name, selected: false) }, required: true),
            .init("planId", "Plan", kind: .select, options: [Option(value: "", label: "", selected: true)] + plans.map { plan in
                Option(value: plan.id.rawValue, label: "\(directory.payer(plan.payerID)?.name ?? plan.payerID.rawValue) — \(plan.name) (\(plan.type.rawValue))", selected: false)
            }, required: true, help: "The plan must be the payer's."),
            .init("memberId", "Member ID", required: true, maxLength: 64, help: "Sealed like the identifiers; not shown again."),
            .init("start", "Covered from", kind: .date, required: true),
            .init("end", "Covered to", kind: .date, help: "Leave empty while the coverage continues."),
        ])
    }

    func patient(_ request: Request, context: Context) async throws -> Response {
        let id = try await api.visiblePatient(context.parameters.get("patientId") ?? "")
        let query = request.uri.queryParameters
        let notice: String? = query["registered"] != nil ? "Registered. Add the patient's coverage, then open their case."
            : query["covered"] != nil ? "Coverage period added." : nil
        return try await renderPatient(id, form: Self.coverageForm(try await store.reference.directory()), notice: notice, status: .ok)
    }

    func addCoverage(_ request: Request, context: Context) async throws -> Response {
        let raw = context.parameters.get("patientId") ?? ""
        // The patient first: to an organization not related to them they are "not found",
        // before anything about the period is described.
        let id = try await api.visiblePatient(raw)
        let form = Self.coverageForm(try await store.reference.directory()).filled(from: WebRoutes<Context>.postedForm)
        do {
            _ = try await api.add(CoverageEntry(
                payerID: form["payerId"], planID: form["planId"], memberID: form.optional("memberId"), start: form["start"], end: form.optional("end")
            ), toPatient: id.rawValue)
            return Response(status: .seeOther, headers: [.location: "/patients/\(id.rawValue)?covered=1#coverage"])
        } catch let error as ValidationError {
            return try await renderPatient(id, form: form.refused(error), notice: nil, status: .unprocessableContent)
        } catch StorageError.conflict(let message) {
            return try await renderPatient(id, form: form.refused(field: "payerId", Self.withoutField(message)), notice: nil, status: .conflict)
        }
    }

    private func renderPatient(_ id: PatientID, form: EntryForm, notice: String?, status: HTTPResponse.Status) async throws -> Response {
        guard let patient = try await store.reference.patient(id) else { throw NotFoundError(entity: "patient", id: id.rawValue) }
        let page = PatientPage(
            patient, coverage: try await store.reference.coveragePeriods(of: id),
            cases: try await store.cases.openCases(ofPatient: id, in: RequestIdentity.caseScope), directory: try await store.reference.directory(),
            canAddCoverage: Viewer.may(.writePatients), canOpenCase: Viewer.may(.writeCases), form: form, notice: notice)
        return try renderer.render(page, template: "patient", status: status)
    }

    // MARK: - Opening a case

    func caseForm(patient: String) async throws -> EntryForm {
        let directory = try await store.reference.directory()
        // A center opens cases only at itself; the choice is offered only where it exists.
        let centers = directory.centers.filter { AccessPolicy.scope(RequestIdentity.caseScope, includesCaseAt: $0.id, payers: []) }
        let today = api.today(at: centers.count == 1 ? centers.first : nil)
        return EntryForm([
            .init("patientId", "Patient ID", value: patient, required: true, maxLength: 64,
                  help: "A patient your organization registered, was referred or already treats."),
            .init("productId", "Product", kind: .select, options: [Option(value: "", label: "", selected: true)]
                  + directory.products.sorted { $0.name < $1.name }.map { Option(value: $0.id.rawValue, label: "\($0.name) (\($0.genericName))", selected: false) },
                  required: true),
            .init("centerId", "Center", kind: .select, options: centers.map { Option(value: $0.id.rawValue, label: $0.name, selected: centers.count == 1) },
                  required: true),
            .init("referralDate", "Referral date", kind: .date, value: today.description, required: true),
            .init("payerId", "Payer", kind: .select, options: [Option(value: "", label: "the coverage in force on the referral date", selected: true)]
                  + directory.payers.sorted { $0.name < $1.name }.map { Option(value: $0.id.rawValue, label: $0.name, selected: false) },
                  help: "Choose only when the patient's coverage is not recorded."),
        ])
    }

    func newCase(_ request: Request, context: Context) async throws -> Response {
        let patient = request.uri.queryParameters["patient"].map(String.init) ?? ""
        return try renderCaseForm(try await caseForm(patient: String(patient.prefix(64))), status: .ok)
    }

    func openCase(_ request: Request, context: Context) async throws -> Response {
        let form = try await caseForm(patient: "").filled(from: WebRoutes<Context>.postedForm)
        do {
            let (record, _) = try await api.open(CaseOpening(
                patientID: form["patientId"], productID: form["productId"], centerID: form["centerId"],
                payerID: form.optional("payerId"), referralDate: form["referralDate"]))
            return Response(status: .seeOther, headers: [.location: "/cases/\(record.id.rawValue)?opened=1"])
        } catch let error as ValidationError {
            return try renderCaseForm(form.refused(error), status: .unprocessableContent)
        } catch StorageError.conflict(let message) {
            return try renderCaseForm(form.refused(field: "patientId", Self.withoutField(message)), status: .conflict)
        }
    }

    private func renderCaseForm(_ form: EntryForm, status: HTTPResponse.Status) throws -> Response {
        let page = EntryPage(
            title: "Open a case",
            lede: "A case is one patient's journey to one therapy at your center. It starts at referral with the product's journey template; the payer is the one covering the patient on the referral date.",
            action: "/cases", submit: "Open case", form: form,
            links: [.init(href: "/patients/new", label: "Register a new patient first"), .init(href: "/cases", label: "Back to cases")])
        return try renderer.render(page, template: "entry", status: status)
    }

    // MARK: - Filing a contract or a criteria set

    static var contractLede: String {
        "A contract file states the parties, the product, the unit price and the outcome measures as data (docs/CONTRACTS.md). Filing a new version of a contract keeps every earlier one; the same file filed twice changes nothing."
    }
    static var criteriaLede: String {
        "A criteria set file states a payer's prior-authorization criteria for one product and indication (docs/CRITERIA.md). A payer files its own sets; the mediator files regional standards. Each filing is a new version; earlier ones are kept."
    }

    func newContract(_ request: Request, context: Context) async throws -> Response {
        try renderer.render(DocumentFilingPage(.contract, lede: Self.contractLede, notice: Self.filedNotice(request)), template: "filing")
    }

    func newCriteriaSet(_ request: Request, context: Context) async throws -> Response {
        try renderer.render(DocumentFilingPage(.criteriaSet, lede: Self.criteriaLede, notice: Self.filedNotice(request)), template: "filing")
    }

    func fileContract(_ request: Request, context: Context) async throws -> Response {
        try await file(.contract, request: request) { bytes in
            let (terms, _) = try await api.fileContract(document: bytes)
            return (terms.id.rawValue, terms.version)
        }
    }

    func fileCriteriaSet(_ request: Request, context: Context) async throws -> Response {
        try await file(.criteriaSet, request: request) { bytes in
            let (set, _) = try await api.fileCriteriaSet(document: bytes)
            return (set.id.rawValue, set.version)
        }
    }

    /// Reads the uploaded (or pasted) file and files it through `filing`; a refusal shows
    /// every problem against its line.
    private func file(
        _ kind: DocumentFilingPage.Kind, request: Request, filing: ([UInt8]) async throws -> (id: String, version: Int)
    ) async throws -> Response {
        let lede = kind == .contract ? Self.contractLede : Self.criteriaLede
        let form = MultipartForm(RawRequestBody.current ?? [], contentType: request.headers[.contentType])
        let upload = form?["file"].flatMap { $0.bytes.isEmpty ? nil : $0 }
        let pasted = form?["text"]?.bytes ?? Array((WebRoutes<Context>.postedForm["text"] ?? "").utf8)
        let bytes = upload?.bytes ?? pasted
        let fileName = upload.map { String(($0.fileName ?? "the file").suffix(100)) }
        guard !bytes.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }) else {
            let page = DocumentFilingPage(kind, lede: lede, error: "Choose the \(kind.noun) file, or paste its text.")
            return try renderer.render(page, template: "filing", status: .unprocessableContent)
        }
        do {
            let (id, version) = try await filing(bytes)
            return Response(status: .seeOther, headers: [.location: "\(kind.path)/new?filed=\(WebRoutes<Context>.encode(id))&version=\(version)"])
        } catch let refusal as DocumentRefusal {
            let page = DocumentFilingPage(kind, lede: lede, issues: refusal.issues, document: bytes, fileName: fileName)
            return try renderer.render(page, template: "filing", status: .unprocessableContent)
        } catch StorageError.conflict(let message) {
            let page = DocumentFilingPage(kind, lede: lede, document: fileName == nil ? bytes : [], fileName: fileName, error: message)
            return try renderer.render(page, template: "filing", status: .conflict)
        }
    }

    /// "Filed X version N." after a filing redirected here; the ID is checked, not echoed blindly.
    private static func filedNotice(_ request: Request) -> String? {
        let query = request.uri.queryParameters
        guard let raw = query["filed"].map(String.init), let id = try? Identifier<Never>.validated(raw, field: "filed"),
              let version = query["version"].flatMap({ Int($0) }) else { return nil }
        return "Filed \(id.rawValue) version \(version)."
    }

    // MARK: -

    /// A storage conflict's message without its leading `id: ` (the page shows it beside the field).
    static func withoutField(_ message: String) -> String {
        message.hasPrefix("id: ") ? String(message.dropFirst(4)) : message
    }
}
