import APIContract
import Access
import CareNetwork
import Core
import Coverage
import Foundation
import Journey
import OpenAPIRuntime
import Storage

extension CurePathAPI {
    func listAgreementTerms(_ input: Operations.ListAgreementTerms.Input) async throws -> Operations.ListAgreementTerms.Output {
        .ok(.init(body: .json(.init(items: try await store.agreements.library().terms.map(Components.Schemas.AgreementTerm.init)))))
    }

    func storeAgreementTerm(_ input: Operations.StoreAgreementTerm.Input) async throws -> Operations.StoreAgreementTerm.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let term = try Term(body)
        let stored = try await store.agreements.store(term)
        return stored ? .created(.init(body: .json(.init(term)))) : .ok(.init(body: .json(.init(term))))
    }

    func listAgreementTemplates(_ input: Operations.ListAgreementTemplates.Input) async throws -> Operations.ListAgreementTemplates.Output {
        .ok(.init(body: .json(.init(items: try await visibleTemplates().map(Components.Schemas.AgreementTemplate.init)))))
    }

    /// The templates the caller may read and draft from: the shared ones, and a center's own
    /// (its rates are its business); the mediator sees every template.
    func visibleTemplates() async throws -> [AgreementTemplate] {
        let organization = RequestIdentity.current?.principal.organization
        return try await store.agreements.templates().filter { template in
            guard let center = template.center else { return true }
            return organization?.kind == .mediator || (organization?.kind == .center && organization?.centerID == center)
        }
    }

    func storeAgreementTemplate(_ input: Operations.StoreAgreementTemplate.Input) async throws -> Operations.StoreAgreementTemplate.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let template = try AgreementTemplate(body)
        if let organization = RequestIdentity.current?.principal.organization, organization.kind != .mediator {
            guard organization.kind == .center, template.center != nil, template.center == organization.centerID else {
                throw Problem.forbidden("centerId: a center stores templates for itself; shared templates are the mediator's")
            }
        }
        let stored = try await store.agreements.store(template)
        return stored ? .created(.init(body: .json(.init(template)))) : .ok(.init(body: .json(.init(template))))
    }

    func listAgreements(_ input: Operations.ListAgreements.Input) async throws -> Operations.ListAgreements.Output {
        let caseID: CaseID? = try Parse.identifier(input.query._case, field: "case")
        let agreements = try await store.agreements.list(scope: Self.partyScope, caseID: caseID)
        let library = try await store.agreements.library()
        return .ok(.init(body: .json(.init(items: agreements.map { .init($0, library: library, reuse: nil) }))))
    }

    func draftAgreement(_ input: Operations.DraftAgreement.Input) async throws -> Operations.DraftAgreement.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let (agreement, created) = try await draft(
            id: try Identifier.validated(body.id, field: "id"), caseID: try Identifier.validated(body.caseId, field: "caseId"),
            template: try Identifier.validated(body.templateId, field: "templateId"), templateVersion: body.templateVersion,
            diagnosisCode: try Parse.text(body.diagnosisCode, field: "diagnosisCode", maxLength: 16))
        let view = try await agreementView(agreement)
        return created ? .created(.init(body: .json(view))) : .ok(.init(body: .json(view)))
    }

    func getAgreement(_ input: Operations.GetAgreement.Input) async throws -> Operations.GetAgreement.Output {
        .ok(.init(body: .json(try await agreementView(try await visibleAgreement(input.path.agreementId)))))
    }

    func stepAgreement(_ input: Operations.StepAgreement.Input) async throws -> Operations.StepAgreement.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let id: AgreementID = try Identifier.validated(input.path.agreementId, field: "agreementId")
        let party = try Self.agreementParty(named: body.party?.rawValue)
        var proposal = Agreement.Proposal(note: try Parse.text(body.note, field: "note"))
        for (term, values) in body.values?.additionalProperties ?? [:] {
            let termID: TermID = try Identifier.validated(term, field: "values")
            proposal.values[termID] = values.additionalProperties
        }
        proposal.add = try (body.add ?? []).enumerated().map { index, reference in
            TermReference(try Identifier.validated(reference.id, field: "add[\(index)].id"), version: reference.version)
        }
        proposal.remove = try (body.remove ?? []).enumerated().map { index, raw in try Identifier.validated(raw, field: "remove[\(index)]") }
        let action = try AgreementAction.named(body.step.rawValue, proposal: proposal, version: body.version)
        let updated = try await takeStep(on: id, party: party) { agreement, library, at in try agreement.taking(action, by: party, library: library, at: at) }
        return .ok(.init(body: .json(try await agreementView(updated))))
    }

    func getAgreementRedline(_ input: Operations.GetAgreementRedline.Input) async throws -> Operations.GetAgreementRedline.Output {
        let agreement = try await visibleAgreement(input.path.agreementId)
        let to = input.query.to ?? agreement.latest.number
        let from = input.query.from ?? max(1, to - 1)
        let redline = try agreement.redline(from: from, to: to, library: try await store.agreements.library())
        return .ok(.init(body: .json(.init(from: redline.from, to: redline.to, lines: redline.lines.map { line in
            .init(term: line.term.rawValue, title: line.title, change: .init(rawValue: line.change.rawValue)!, before: line.before, after: line.after,
                  parameters: line.parameters.map { .init(name: $0.name, before: $0.before, after: $0.after) })
        }))))
    }

    // MARK: - Shared with the pages

    /// Drafts an agreement for a case from a template: the case supplies the diagnosis (given,
    /// or the first in the patient's clinical facts) and the product's name.
    func draft(id: AgreementID, caseID: CaseID, template templateID: AgreementTemplateID, templateVersion: Int?, diagnosisCode: String?) async throws -> (Agreement, Bool) {
        guard let record = try await store.cases.find(caseID), Self.partyScope.includes(center: record.centerID, payer: record.payerID) else {
            throw NotFoundError(entity: "case", id: caseID.rawValue)
        }
        let templates = try await visibleTemplates().filter { $0.id == templateID }
        guard let template = templateVersion.map({ version in templates.first { $0.version == version } }) ?? templates.max(by: { $0.version < $1.version }) else {
            throw ValidationError(field: "templateId", problem: "no template \(templateID)\(templateVersion.map { " version \($0)" } ?? "")")
        }
        guard Self.agreementSide == .center || Self.agreementSide == nil else {
            throw Problem.forbidden("the treatment center drafts its agreements")
        }
        let productName = try await store.reference.directory().product(record.productID)?.name ?? record.productID.rawValue
        var values = ["product_name": productName]
        let recordedDiagnosis = try await store.clinicalFacts.latest(of: record.patientID)?.facts.diagnoses.first?.code
        if let diagnosis = diagnosisCode ?? recordedDiagnosis {
            values["diagnosis_code"] = diagnosis
        }
        let facts = Agreement.CaseFacts(caseID: record.id, patient: record.patientID, center: record.centerID, payer: record.payerID, product: record.productID, values: values)
        let agreement = try Agreement.draft(id: id, for: facts, template: template, library: try await store.agreements.library(), at: clock())
        return try await store.agreements.create(agreement, scope: Self.partyScope)
    }

    /// Applies one step as `party` now, in one transaction with its journey events.
    func takeStep(on id: AgreementID, party: AgreementParty,
                  _ step: @escaping @Sendable (Agreement, TermLibrary, Date) throws -> (Agreement, AgreementStep?)) async throws -> Agreement {
        let at = clock()
        return try await store.agreements.update(id, scope: Self.partyScope, at: at) { agreement, library in try step(agreement, library, at) }
    }

    func visibleAgreement(_ raw: String) async throws -> Agreement {
        let id: AgreementID = try Identifier.validated(raw, field: "agreementId")
        guard let agreement = try await store.agreements.find(id, scope: Self.partyScope) else { throw NotFoundError(entity: "agreement", id: id.rawValue) }
        return agreement
    }

    func agreementView(_ agreement: Agreement) async throws -> Components.Schemas.Agreement {
        let library = try await store.agreements.library()
        let others = try await store.agreements.list(scope: .center(agreement.center), caseID: nil)
        return .init(agreement, library: library, reuse: agreement.reuseShare(previous: others))
    }

    /// The side the caller's organization is on, if it is one.
    static var agreementSide: AgreementParty? {
        switch RequestIdentity.current?.principal.organization.kind {
        case .center: .center
        case .payer: .payer
        default: nil
        }
    }

    /// The side a step is taken for: the caller's own, or (for the mediator) the one it names.
    static func agreementParty(named raw: String?) throws -> AgreementParty {
        if let side = agreementSide {
            if let raw, raw != side.rawValue { throw Problem.forbidden("party: a \(side.rawValue) acts only for itself") }
            return side
        }
        guard let raw, let party = AgreementParty(rawValue: raw) else {
            throw ValidationError(field: "party", problem: "name the side the mediator acts for: center or payer")
        }
        return party
    }
}

extension Term {
    init(_ body: Components.Schemas.AgreementTerm) throws {
        func decimal(_ text: String?, _ field: String) throws -> Decimal? {
            guard let text else { return nil }
            guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { throw ValidationError(field: field, problem: "is not a number") }
            return value
        }
        self.init(
            id: try Identifier.validated(body.id, field: "id"), version: body.version, kind: TermKind(rawValue: body.kind.rawValue)!, title: body.title, text: body.text,
            parameters: try body.parameters.enumerated().map { index, parameter in
                TermParameter(name: parameter.name, type: ParameterType(rawValue: parameter._type.rawValue)!,
                              minimum: try decimal(parameter.minimum, "parameters[\(index)].minimum"), maximum: try decimal(parameter.maximum, "parameters[\(index)].maximum"),
                              defaultValue: parameter.defaultValue, source: parameter.source.flatMap { ParameterSource(rawValue: $0.rawValue) } ?? .negotiated)
            },
            standardElement: body.standardElement.flatMap { StandardElement(rawValue: $0.rawValue) })
    }
}

extension Components.Schemas.AgreementTerm {
    init(_ term: Term) {
        self.init(
            id: term.id.rawValue, version: term.version, kind: .init(rawValue: term.kind.rawValue)!, title: term.title, text: term.text,
            parameters: term.parameters.map {
                .init(name: $0.name, _type: .init(rawValue: $0.type.rawValue)!, minimum: $0.minimum.map { "\($0)" }, maximum: $0.maximum.map { "\($0)" },
                      defaultValue: $0.defaultValue, source: .init(rawValue: $0.source.rawValue))
            },
            standardElement: term.standardElement.flatMap { .init(rawValue: $0.rawValue) })
    }
}

extension AgreementTemplate {
    init(_ body: Components.Schemas.AgreementTemplate) throws {
        var values: [TermID: [String: String]] = [:]
        for (term, parameters) in body.values?.additionalProperties ?? [:] {
            values[try Identifier.validated(term, field: "values")] = parameters.additionalProperties
        }
        self.init(
            id: try Identifier.validated(body.id, field: "id"), version: body.version, name: body.name,
            center: try Parse.identifier(body.centerId, field: "centerId"),
            terms: try body.terms.enumerated().map { index, reference in TermReference(try Identifier.validated(reference.id, field: "terms[\(index)].id"), version: reference.version) },
            values: values)
    }
}

extension Components.Schemas.AgreementTemplate {
    init(_ template: AgreementTemplate) {
        self.init(
            id: template.id.rawValue, version: template.version, name: template.name, centerId: template.center?.rawValue,
            terms: template.terms.map { .init(id: $0.id.rawValue, version: $0.version) },
            values: .init(additionalProperties: Dictionary(uniqueKeysWithValues: template.values.map { ($0.key.rawValue, .init(additionalProperties: $0.value)) })))
    }
}

extension Components.Schemas.Agreement {
    init(_ agreement: Agreement, library: TermLibrary, reuse: (reused: Int, total: Int)?) {
        self.init(
            id: agreement.id.rawValue, caseId: agreement.caseID.rawValue, patientId: agreement.patient.rawValue, centerId: agreement.center.rawValue,
            payerId: agreement.payer.rawValue, productId: agreement.product.rawValue,
            template: .init(id: agreement.template.id.rawValue, version: agreement.template.version), status: .init(rawValue: agreement.status.rawValue)!,
            createdAt: agreement.createdAt, sentAt: agreement.sentAt, acceptedVersion: agreement.acceptance?.version, acceptedBy: agreement.acceptance?.by.rawValue,
            signedByCenter: agreement.signatures[.center], signedByPayer: agreement.signatures[.payer],
            interimLetterVersion: agreement.interimLetter?.version, interimLetterTerms: agreement.interimLetter?.agreedTerms.map(\.description),
            versions: agreement.versions.map { version in
                .init(number: version.number, proposedBy: .init(rawValue: version.proposedBy.rawValue)!, at: version.at, note: version.note,
                      terms: version.terms.map { agreed in
                          let term = library.term(agreed.term)
                          var shown = agreed.values
                          for parameter in term?.parameters ?? [] where shown[parameter.name] == nil { shown[parameter.name] = "[\(parameter.name)]" }
                          return .init(id: agreed.term.id.rawValue, version: agreed.term.version, title: term?.title ?? agreed.term.id.rawValue,
                                       values: .init(additionalProperties: agreed.values), text: term.flatMap { try? $0.render(shown) })
                      })
            },
            agreedTerms: agreement.agreedTerms().map(\.description),
            termStandings: agreement.termStandings().map { .init(term: $0.term.description, standing: .init(rawValue: $0.standing.rawValue)!, by: .init(rawValue: $0.by.rawValue)!) },
            gaps: agreement.gaps(library: library).map { .init(field: $0.field, problem: $0.problem, rule: $0.rule) },
            reusedTerms: reuse?.reused, reuseOf: reuse?.total)
    }
}

extension CurePathAPI {
    /// The member's name and the member ID with the agreement's payer, for a document the
    /// parties sign. Both are personal identifiers: a caller with `read-identifiers` gets them
    /// through the audited read; anyone else gets ``IdentifierDisclosure/masked`` in their
    /// place, and nothing is opened.
    func memberIdentity(for agreement: Agreement, purpose: String) async throws -> (name: String, memberID: String) {
        guard IdentifierDisclosure.isAllowed else { return (IdentifierDisclosure.masked, IdentifierDisclosure.masked) }
        let opened = try await openIdentifiers(of: agreement.patient, memberIDWith: agreement.payer, purpose: .shown("\(purpose) of \(agreement.id)"))
        return AgreementDocument.memberIdentity(opened)
    }
}
