import APIContract
import Access
import CareNetwork
import Core
import Coverage
import Criteria
import FHIR
import Foundation
import OpenAPIRuntime
import Storage

/// FHIR R4 where PA data crosses to health systems: clinical facts in from a Bundle, a request
/// out in the Da Vinci PAS shape, the payer's ClaimResponse in as a decision. FHIR bodies are
/// read from the exact bytes sent (``RawRequestBody``), never through a generic JSON decoder.
extension CurePathAPI {
    func importClinicalFacts(_ input: Operations.ImportClinicalFacts.Input) async throws -> Operations.ImportClinicalFacts.Output {
        let patient = try await visiblePatient(input.path.patientId)
        let (recorded, unmapped) = try await importFacts(RawRequestBody.current ?? [], for: patient)
        return .ok(.init(body: .json(.init(
            record: try .init(recorded),
            unmapped: unmapped.map { .init(entry: $0.entryIndex, resourceType: $0.resourceType, id: $0.resourceID, codes: $0.codes, reason: $0.reason) }))))
    }

    func exportPriorAuthorization(_ input: Operations.ExportPriorAuthorization.Input) async throws -> Operations.ExportPriorAuthorization.Output {
        let request = try await visiblePriorAuthorization(input.path.requestId)
        let bytes = try await pasBundle(for: request)
        let object = try JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(bytes))
        return .ok(.init(body: .applicationFhirJson(object)))
    }

    func recordClaimResponse(_ input: Operations.RecordClaimResponse.Input) async throws -> Operations.RecordClaimResponse.Output {
        let request = try await visiblePriorAuthorization(input.path.requestId)
        try Self.requireActor(.payer)
        let decision: ClaimDecision
        do throws(FHIRError) {
            decision = try ClaimDecisionImport.read(RawRequestBody.current ?? [])
        } catch {
            throw ValidationError(issues: error.issues.map { .init(field: $0.path, problem: $0.problem) })
        }
        guard decision.requestIdentifier == request.id.rawValue || decision.requestIdentifier == "Claim/\(request.id.rawValue)" else {
            throw ValidationError(field: "request", problem: "the ClaimResponse answers '\(decision.requestIdentifier)', not this request '\(request.id)'")
        }
        let transition = try Self.transition(for: decision, on: request, at: clock(), by: RequestIdentity.current?.principal.userID.rawValue, receivedAt: clock())
        let (updated, applied) = try await store.priorAuthorizations.apply(transition, to: request.id, scope: Self.partyScope)
        let now = clock()
        return applied ? .created(.init(body: .json(.init(updated, now: now)))) : .ok(.init(body: .json(.init(updated, now: now))))
    }

    // MARK: - Shared with the pages

    /// Reads a FHIR Bundle into clinical facts and stores them as the patient's new version.
    func importFacts(_ bytes: [UInt8], for patient: PatientID) async throws -> (RecordedClinicalFacts, [UnmappedResource]) {
        let result: ClinicalFactsImport.Result
        do throws(FHIRError) {
            result = try ClinicalFactsImport.read(bytes, patient: patient, receivedOn: utcToday())
        } catch {
            throw ValidationError(issues: error.issues.map { .init(field: $0.path, problem: $0.problem) })
        }
        let recorded = try await store.clinicalFacts.record(result.facts, source: .fhir, recordedBy: RequestIdentity.current?.principal.userID.rawValue)
        return (recorded, result.unmapped)
    }

    /// The request as a PAS bundle. The birth date, which the payer matches its member on, is
    /// filled in from the sealed identifiers only for a caller with `read-identifiers` (the
    /// read audited before it happens); anyone else gets the bundle with the birth date
    /// marked masked (FHIR's data-absent-reason), and nothing is opened.
    func pasBundle(for request: PriorAuthorization) async throws -> [UInt8] {
        guard request.service.kind == .therapy, let productID = request.service.product else {
            throw ValidationError(field: "service", problem: "only a therapy request can be exported in the PAS shape; a \(request.service.kind.rawValue) needs procedure codes CurePath does not keep")
        }
        let directory = try await store.reference.directory()
        let createdOn = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: request.createdAt)
        let periods = try await store.reference.coveragePeriods(of: request.patient).filter { $0.payerID == request.payer }
        guard let coverage = periods.first(where: { $0.start <= createdOn && ($0.end.map { createdOn <= $0 } ?? true) }) ?? periods.last else {
            throw ValidationError(field: "coverage", problem: "patient \(request.patient) has no coverage period with \(request.payer) to put on the claim")
        }
        let current = RequestIdentity.current
        let showsBirthDate = IdentifierDisclosure.isAllowed
        try await store.audit.append(AuditRecord(
            at: clock(), userID: current?.principal.userID.rawValue, organizationID: current?.principal.organization.id.rawValue,
            action: "export-prior-authorization", object: "patient:\(request.patient)", outcome: .allowed, requestID: current?.requestID,
            detail: "PAS bundle of \(request.id) for \(request.payer); " + (showsBirthDate ? "includes the birth date" : "birth date masked")))
        var birthDate: CalendarDate?
        if showsBirthDate {
            guard let identifiers = try await openIdentifiers(of: request.patient, purpose: .shown("PAS bundle of \(request.id) for \(request.payer)")).identifiers else {
                throw NotFoundError(entity: "identifiers of patient", id: request.patient.rawValue)
            }
            birthDate = identifiers.birthDate
        }
        let facts = try await store.clinicalFacts.latest(of: request.patient)?.facts ?? ClinicalFacts(patient: request.patient)
        let submission = PriorAuthorizationSubmission(
            requestID: request.id.rawValue, created: createdOn, priority: request.urgency == .expedited ? .expedited : .standard,
            patient: request.patient, birthDate: birthDate, gender: try await store.reference.patient(request.patient)?.sex,
            payer: request.payer, payerName: directory.payer(request.payer)?.name ?? request.payer.rawValue, coverageID: coverage.id.rawValue,
            plan: request.plan ?? coverage.planID, planType: request.planType, center: request.center,
            centerName: directory.center(request.center)?.name ?? request.center.rawValue, product: productID,
            productName: directory.product(productID)?.name ?? productID.rawValue, diagnoses: facts.diagnoses, evidence: facts)
        do throws(FHIRError) {
            return try PriorAuthorizationBundle.make(submission)
        } catch {
            throw ValidationError(issues: error.issues.map { .init(field: $0.path, problem: $0.problem) })
        }
    }

    /// The lifecycle step a payer's decision is: a first decision, or, on an appeal, overturn
    /// or uphold. The id is derived from the decision, so the same ClaimResponse twice is one step.
    static func transition(
        for decision: ClaimDecision, on request: PriorAuthorization, at: Date, by user: String?, receivedAt: Date? = nil
    ) throws -> PriorAuthorizationTransition {
        let action: PriorAuthorizationAction
        var reason = decision.reason
        var items: [String] = []
        switch (decision.outcome, request.status) {
        case (.approved, .appealed): action = .overturn
        case (.denied, .appealed): action = .uphold
        case (.approved, _): action = .approve
        case (.partial, _):
            action = request.status == .appealed ? .overturn : .approve
            reason = "partially approved" + (decision.reason.map { ": \($0)" } ?? "")
        case (.denied, _): action = .deny
        case (.pended, _):
            action = .pend
            items = [decision.reason ?? "additional information (see the payer's ClaimResponse)"]
        case (.cancelled, _):
            throw ValidationError(field: "outcome", problem: "the payer cancelled the review; CurePath has no payer step for that — the center withdraws or resubmits the request")
        }
        if (action == .deny || action == .uphold), reason == nil { reason = "denied (the ClaimResponse gives no reason)" }
        let key = HashChain.hash(HashChain.canonical([decision.outcome.rawValue, decision.preAuthRef ?? "", decision.decidedOn.description, decision.reason ?? ""]))
        return PriorAuthorizationTransition(
            id: PriorAuthorizationTransitionID("cr-" + key.prefix(24)), action: action, at: at, reason: reason, requestedItems: items,
            payerReference: decision.preAuthRef, validFrom: decision.validFrom, validTo: decision.validTo, recordedBy: user, receivedAt: receivedAt)
    }
}
