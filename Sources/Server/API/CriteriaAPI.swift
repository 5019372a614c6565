import APIContract
import Access
import CareNetwork
import Core
import Criteria
import Foundation
import OpenAPIRuntime
import Storage

extension CurePathAPI {
    func listCriteriaSets(_ input: Operations.ListCriteriaSets.Input) async throws -> Operations.ListCriteriaSets.Output {
        let product: ProductID? = try Parse.identifier(input.query.product, field: "product")
        let sets = try await store.criteria.latestVersions().filter { product == nil || $0.product == product }
        let names = try await payerNames()
        let today = utcToday()
        return .ok(.init(body: .json(.init(items: sets.map { .init($0, payerNames: names, today: today) }))))
    }

    func fileCriteriaSet(_ input: Operations.FileCriteriaSet.Input) async throws -> Operations.FileCriteriaSet.Output {
        guard case .yaml(let body) = input.body else { throw ValidationError(field: "body", problem: "must be a criteria file") }
        let bytes = try await [UInt8](body: body, limit: CriteriaFile.maximumBytes + 1, describedAs: "a criteria file")
        let (set, filing): (CriteriaSet, CriteriaFiling)
        do {
            (set, filing) = try await fileCriteriaSet(document: bytes)
        } catch let refusal as DocumentRefusal {
            throw refusal.validationError
        }
        let detail = try await criteriaDetail(set)
        switch filing {
        case .stored: return .created(.init(body: .json(detail)))
        case .alreadyStored: return .ok(.init(body: .json(detail)))
        }
    }

    func getCriteriaSet(_ input: Operations.GetCriteriaSet.Input) async throws -> Operations.GetCriteriaSet.Output {
        let id: CriteriaSetID = try Identifier.validated(input.path.setId, field: "setId")
        if let version = input.query.version, !(1...100_000).contains(version) {
            throw ValidationError(field: "version", problem: "must be 1 to 100000, got \(version)")
        }
        guard let set = try await store.criteria.set(id, version: input.query.version) else {
            throw NotFoundError(entity: "criteria set", id: id.rawValue + (input.query.version.map { " version \($0)" } ?? ""))
        }
        return .ok(.init(body: .json(try await criteriaDetail(set))))
    }

    func getClinicalFacts(_ input: Operations.GetClinicalFacts.Input) async throws -> Operations.GetClinicalFacts.Output {
        let patient = try await visiblePatient(input.path.patientId)
        guard let record = try await store.clinicalFacts.latest(of: patient) else {
            throw NotFoundError(entity: "clinical facts of patient", id: patient.rawValue)
        }
        return .ok(.init(body: .json(try .init(record))))
    }

    func putClinicalFacts(_ input: Operations.PutClinicalFacts.Input) async throws -> Operations.PutClinicalFacts.Output {
        let patient = try await visiblePatient(input.path.patientId)
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let facts: ClinicalFacts = try APIJSON.convert(body, field: "body")
        guard facts.patient == patient else {
            throw ValidationError(field: "patient", problem: "is \(facts.patient) but the path names patient \(patient)")
        }
        let record = try await store.clinicalFacts.record(try facts.validated(), source: .api, recordedBy: RequestIdentity.current?.principal.userID.rawValue)
        return .ok(.init(body: .json(try .init(record))))
    }

    func evaluatePatient(_ input: Operations.EvaluatePatient.Input) async throws -> Operations.EvaluatePatient.Output {
        let patient = try await visiblePatient(input.path.patientId)
        let asOf = try Parse.date(input.query.asOf, field: "asOf") ?? utcToday()
        let submitBy = try Parse.date(input.query.submitBy, field: "submitBy") ?? asOf.adding(days: 14)
        guard submitBy >= asOf else { throw ValidationError(field: "submitBy", problem: "\(submitBy) is before asOf \(asOf)") }
        let candidates = try await criteriaCandidates(product: input.query.product, sets: input.query.sets, asOf: asOf)
        let (evaluation, version) = try await evaluate(patient, against: candidates, asOf: asOf, submitBy: submitBy)
        return .ok(.init(body: .json(try .init(evaluation, factsVersion: version, payerNames: try await payerNames()))))
    }

    // MARK: - Shared with the pages

    /// The patient's current facts against `candidates`. The birth date is read from the
    /// sealed identifiers only when a candidate has an age criterion, through the audited
    /// path (`read-birth-date`); only the age it yields is shown.
    ///
    /// For a caller without `read-identifiers` that age is the patient's age today, by the
    /// server's clock, whatever `asOf` says: were it the age on `asOf`, stepping `asOf` a day
    /// at a time until the age changed would reveal the birthday
    /// (``ClinicalFacts/withTodaysAge(_:shownOn:)``). Everything else is still as of `asOf`.
    func evaluate(_ patient: PatientID, against candidates: [CriteriaSet], asOf: CalendarDate, submitBy: CalendarDate) async throws -> (PatientEvaluation, Int?) {
        let recorded = try await store.clinicalFacts.latest(of: patient)
        var facts = recorded?.facts ?? ClinicalFacts(patient: patient)
        if candidates.contains(where: \.readsAge) {
            let today = utcToday()
            let knowsBirthDate = IdentifierDisclosure.isAllowed
            let purpose = knowsBirthDate ? "age as of \(asOf)" : "age today (\(today))"
            let opened = try await openIdentifiers(of: patient, purpose: .ageOnly("\(purpose) for a criteria evaluation as of \(asOf); only the age is shown"))
            facts.birthDate = opened.identifiers?.birthDate
            if !knowsBirthDate { facts = facts.withTodaysAge(today, shownOn: asOf) }
        }
        return (PatientEvaluation.make(facts, candidates: candidates, asOf: asOf, submitBy: submitBy), recorded?.version)
    }

    /// The sets named in `sets` (comma-separated, newest versions), or else every set for
    /// `product` in effect on `asOf`; one of the two is required.
    func criteriaCandidates(product rawProduct: String?, sets rawSets: String?, asOf: CalendarDate) async throws -> [CriteriaSet] {
        if let rawSets, !rawSets.isEmpty {
            var sets: [CriteriaSet] = []
            for (index, raw) in rawSets.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                let id: CriteriaSetID = try Identifier.validated(raw.trimmingCharacters(in: .whitespaces), field: "sets[\(index)]")
                guard let set = try await store.criteria.set(id, version: nil) else {
                    throw ValidationError(field: "sets[\(index)]", problem: "criteria set '\(id)' does not exist")
                }
                sets.append(set)
            }
            return sets
        }
        guard let product: ProductID = try Parse.identifier(rawProduct, field: "product") else {
            throw ValidationError(field: "product", problem: "name the product (or the criteria sets, in sets) to evaluate against")
        }
        return CriteriaSet.candidates(from: try await store.criteria.allVersions(), product: product, on: asOf)
    }

    func payerNames() async throws -> [String: String] {
        Dictionary(try await store.reference.directory().payers.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// A payer files only its own criteria; regional standards are the mediator's.
    func requireCriteriaOwnership(_ set: CriteriaSet) throws {
        guard let organization = RequestIdentity.current?.principal.organization else { throw Problem.forbidden("not signed in") }
        switch (organization.kind, set.owner) {
        case (.mediator, _): return
        case (.payer, .payer(let payer)) where payer == organization.payerID: return
        case (.payer, .regionalStandard):
            throw Problem.forbidden("payer: regional standards are filed by the mediator on behalf of the region's payers and centers")
        default:
            throw Problem.forbidden("payer: a payer may file only its own criteria (the file names \(set.owner))")
        }
    }

    func visiblePatient(_ raw: String) async throws -> PatientID {
        let id: PatientID = try Identifier.validated(raw, field: "patientId")
        guard try await store.reference.patient(id) != nil else { throw NotFoundError(entity: "patient", id: id.rawValue) }
        try await requirePatientVisible(id)
        return id
    }

    func criteriaDetail(_ set: CriteriaSet) async throws -> Components.Schemas.CriteriaSetDetail {
        var standard: CriteriaSet?
        if set.owner != .regionalStandard {
            standard = CriteriaSet.candidates(from: try await store.criteria.allVersions(), product: set.product, on: utcToday())
                .first { $0.owner == .regionalStandard }
        }
        return .init(
            summary: .init(set, payerNames: try await payerNames(), today: utcToday()),
            criteria: set.criteria.map { .init(key: $0.key, requirement: $0.rule.description, line: $0.line) },
            standard: standard?.id.rawValue,
            differences: standard.map { CriteriaDifference.between(set, standard: $0).map(Components.Schemas.CriteriaDifference.init) } ?? []
        )
    }

    func utcToday() -> CalendarDate { CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: clock()) }
}

/// Converting between generated API types and domain types that share a JSON shape, so the
/// domain's own decoding (exact decimals, calendar dates) is the one that checks the input.
enum APIJSON {
    static func convert<Input: Encodable, Output: Decodable>(_ value: Input, field: String) throws -> Output {
        let data = try JSONEncoder().encode(value)
        do {
            return try JSONDecoder().decode(Output.self, from: data)
        } catch let error as DecodingError {
            throw ValidationError(field: Self.path(error, root: field), problem: Self.problem(error))
        }
    }

    static func path(_ error: DecodingError, root: String) -> String {
        let context: DecodingError.Context? = switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context): context
        @unknown default: nil
        }
        var path = ""
        for key in context?.codingPath ?? [] {
            if let index = key.intValue { path += "[\(index)]" } else { path += path.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return path.isEmpty ? root : path
    }

    static func problem(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context): context.debugDescription
        case .keyNotFound(let key, _): "\(key.stringValue) is required"
        @unknown default: "is not valid"
        }
    }
}

extension Components.Schemas.CriteriaSetSummary {
    init(_ set: CriteriaSet, payerNames: [String: String], today: CalendarDate) {
        self.init(
            id: set.id.rawValue, version: set.version, payer: set.owner.description,
            payerName: set.owner == .regionalStandard ? "Regional standard" : payerNames[set.owner.description],
            product: set.product.rawValue, indication: set.indication, basis: .init(rawValue: set.basis.rawValue)!,
            effectiveFrom: set.effectiveFrom.description, effectiveTo: set.effectiveTo?.description, title: set.title,
            criteriaCount: set.criteria.count, inEffect: set.isInEffect(on: today)
        )
    }
}

extension Components.Schemas.CriteriaDifference {
    init(_ difference: CriteriaDifference) {
        self.init(key: difference.key, kind: .init(rawValue: difference.kind.rawValue)!, payer: difference.payer, standard: difference.standard, payerLine: difference.payerLine)
    }
}

extension Components.Schemas.ClinicalFactsRecord {
    init(_ record: RecordedClinicalFacts) throws {
        self.init(facts: try APIJSON.convert(record.facts, field: "facts"), version: record.version, source: .init(rawValue: record.source.rawValue)!,
                  recordedAt: record.recordedAt, recordedBy: record.recordedBy)
    }
}

extension Components.Schemas.PatientEvaluation {
    init(_ evaluation: PatientEvaluation, factsVersion: Int?, payerNames: [String: String]) throws {
        let plan = evaluation.pretestPlan
        self.init(
            patient: evaluation.patient.rawValue, asOf: evaluation.asOf.description, factsVersion: factsVersion,
            evaluations: try evaluation.evaluations.map { set in
                Components.Schemas.SetEvaluation(
                    set: set.set.rawValue, version: set.version, owner: set.owner.description,
                    ownerName: set.owner == .regionalStandard ? "Regional standard" : payerNames[set.owner.description],
                    product: set.product.rawValue, inEffect: set.inEffect, asOf: set.asOf.description, verdict: .init(rawValue: set.verdict.rawValue)!,
                    results: try APIJSON.convert(set.results, field: "results"), missing: try APIJSON.convert(set.missing, field: "missing"))
            },
            pretestPlan: .init(
                asOf: plan.asOf.description, submitBy: plan.submitBy.description,
                items: plan.items.map { .init(name: $0.name, neededBy: $0.neededBy.map(\.rawValue), freshForDays: $0.freshForDays,
                                              notBefore: $0.notBefore.description, doneBy: $0.doneBy.description, lastDone: $0.lastDone?.description) },
                alreadyDone: plan.alreadyDone.map { .init(name: $0.name, date: $0.date.description, validUntil: $0.validUntil.description, neededBy: $0.neededBy.map(\.rawValue)) },
                otherMissing: try APIJSON.convert(plan.otherMissing, field: "otherMissing")),
            differences: evaluation.differences.map { .init(set: $0.set.rawValue, standard: $0.standard.rawValue, differences: $0.differences.map(Components.Schemas.CriteriaDifference.init)) }
        )
    }
}
