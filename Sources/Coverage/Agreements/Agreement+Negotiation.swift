import CareNetwork
import Core
import Foundation
import Journey

extension Agreement {
    /// The case facts an agreement is drawn up for: what `case`-sourced parameters are filled from.
    public struct CaseFacts: Hashable, Sendable {
        public var caseID: CaseID
        public var patient: PatientID
        public var center: CenterID
        public var payer: PayerID
        public var product: ProductID
        /// `case`-sourced parameter values by name (`diagnosis_code`, `procedure_code`, `product_name`).
        public var values: [String: String]

        public init(caseID: CaseID, patient: PatientID, center: CenterID, payer: PayerID, product: ProductID, values: [String: String] = [:]) {
            self.caseID = caseID
            self.patient = patient
            self.center = center
            self.payer = payer
            self.product = product
            self.values = values
        }
    }

    /// Version 1, proposed by the center: the template's terms with the template's values,
    /// the terms' defaults, and what the case supplies. Nothing is sent yet.
    public static func draft(
        id: AgreementID, for facts: CaseFacts, template: AgreementTemplate, library: TermLibrary, at: Date
    ) throws(ValidationError) -> Agreement {
        _ = try template.validated(against: library)
        var terms: [AgreedTerm] = []
        for reference in template.terms {
            let term = library.term(reference)!
            var values: [String: String] = [:]
            for parameter in term.parameters {
                switch parameter.source {
                case .negotiated:
                    if let value = template.values[reference.id]?[parameter.name] ?? parameter.defaultValue {
                        values[parameter.name] = try parameter.check(value, field: "\(reference.id).\(parameter.name)")
                    }
                case .caseRecord:
                    if let value = facts.values[parameter.name] { values[parameter.name] = try parameter.check(value, field: "\(reference.id).\(parameter.name)") }
                case .memberIdentity:
                    break
                }
            }
            terms.append(AgreedTerm(reference, values: values))
        }
        return Agreement(
            id: id, caseID: facts.caseID, patient: facts.patient, center: facts.center, payer: facts.payer, product: facts.product,
            template: TermReferenceOfTemplate(id: template.id, version: template.version), createdAt: at,
            versions: [AgreementVersion(number: 1, proposedBy: .center, at: at, note: nil, terms: terms)],
            sentAt: nil, acceptance: nil, signatures: [:], interimLetter: nil)
    }

    /// A change a side proposes: new values for some parameters, terms added or removed.
    public struct Proposal: Hashable, Sendable {
        public var values: [TermID: [String: String]]
        public var add: [TermReference]
        public var remove: [TermID]
        public var note: String?

        public init(values: [TermID: [String: String]] = [:], add: [TermReference] = [], remove: [TermID] = [], note: String? = nil) {
            self.values = values
            self.add = add
            self.remove = remove
            self.note = note
        }
    }

    /// A new version from `party`, built on the latest one. Before sending only the center
    /// edits its draft (as a new version); after, either side counters.
    public func proposing(_ proposal: Proposal, by party: AgreementParty, library: TermLibrary, at: Date) throws(ValidationError) -> Agreement {
        try requireOpen(for: "propose a version")
        if sentAt == nil, party == .payer { throw ValidationError(field: "party", problem: "the payer sees the agreement only once the center sends it", rule: "agreement-state") }
        try requireTimeOrder(at)
        var terms = latest.terms
        var issues: [ValidationError.Issue] = []
        for id in proposal.remove {
            guard let index = terms.firstIndex(where: { $0.term.id == id }) else {
                issues.append(.init(field: "remove", problem: "term \(id) is not in version \(latest.number)"))
                continue
            }
            if let term = library.term(terms[index].term), let element = term.standardElement {
                issues.append(.init(field: "remove", problem: "term \(id) is the \(element.rawValue) standard element, which every SCA must have", rule: "standard-element"))
                continue
            }
            terms.remove(at: index)
        }
        for reference in proposal.add {
            guard library.term(reference) != nil else { issues.append(.init(field: "add", problem: "no term \(reference) in the library")); continue }
            if let index = terms.firstIndex(where: { $0.term.id == reference.id }) {
                terms[index].term = reference
            } else {
                terms.append(AgreedTerm(reference, values: [:]))
            }
        }
        for (id, changes) in proposal.values {
            guard let index = terms.firstIndex(where: { $0.term.id == id }), let term = library.term(terms[index].term) else {
                issues.append(.init(field: "values.\(id)", problem: "term \(id) is not in the agreement"))
                continue
            }
            for (name, raw) in changes {
                guard let parameter = term.parameters.first(where: { $0.name == name }) else {
                    issues.append(.init(field: "values.\(id).\(name)", problem: "term \(term.id)@\(term.version) has no parameter \(name) (it has \(term.parameters.map(\.name).joined(separator: ", ")))"))
                    continue
                }
                guard parameter.source == .negotiated else {
                    issues.append(.init(field: "values.\(id).\(name)", problem: "comes from the \(parameter.source == .caseRecord ? "case" : "member's identifiers") and is not negotiated"))
                    continue
                }
                do { terms[index].values[name] = try parameter.check(raw, field: "values.\(id).\(name)") } catch { issues += error.issues }
            }
        }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        guard terms != latest.terms else { throw ValidationError(field: "values", problem: "the proposal changes nothing in version \(latest.number)") }
        var next = self
        next.versions.append(AgreementVersion(number: latest.number + 1, proposedBy: party, at: at, note: proposal.note, terms: terms))
        return next
    }

    /// Sends the agreement to the payer. Refused, listing every gap, while a standard element
    /// is missing or a negotiated parameter has no value.
    public func sending(library: TermLibrary, at: Date) throws(ValidationError) -> Agreement {
        guard sentAt == nil else { throw ValidationError(field: "status", problem: "the agreement was already sent", rule: "agreement-state") }
        try requireTimeOrder(at)
        let gaps = self.gaps(library: library)
        guard gaps.isEmpty else { throw ValidationError(issues: gaps) }
        var next = self
        next.sentAt = at
        return next
    }

    /// What stops the latest version from being sent: missing standard elements and
    /// negotiated parameters without a value.
    public func gaps(library: TermLibrary) -> [ValidationError.Issue] {
        var issues: [ValidationError.Issue] = []
        let terms: [(Term, AgreedTerm)] = latest.terms.compactMap { agreed in library.term(agreed.term).map { ($0, agreed) } }
        for element in StandardElement.allCases where !terms.contains(where: { $0.0.standardElement == element }) {
            issues.append(.init(field: "terms", problem: "the \(element.rawValue) standard element is missing; add a term that provides it", rule: "standard-element"))
        }
        for (term, agreed) in terms {
            for parameter in term.parameters where parameter.source == .negotiated && agreed.values[parameter.name] == nil {
                issues.append(.init(field: "values.\(term.id).\(parameter.name)", problem: "has no value"))
            }
        }
        return issues
    }

    /// The side that did not propose the latest version accepts it as it stands.
    public func accepting(version number: Int, by party: AgreementParty, at: Date) throws(ValidationError) -> Agreement {
        try requireOpen(for: "accept")
        guard sentAt != nil else { throw ValidationError(field: "status", problem: "send the agreement before it can be accepted", rule: "agreement-state") }
        guard number == latest.number else {
            throw ValidationError(field: "version", problem: "only the latest version (\(latest.number)) can be accepted, not \(number)", rule: "agreement-state")
        }
        guard party != latest.proposedBy else {
            throw ValidationError(field: "party", problem: "the \(party.rawValue) proposed version \(number); the \(party.other.rawValue) accepts it", rule: "agreement-state")
        }
        try requireTimeOrder(at)
        var next = self
        next.acceptance = Acceptance(version: number, by: party, at: at)
        return next
    }

    /// A side signs the accepted version; with both signatures the agreement is signed.
    public func signing(by party: AgreementParty, at: Date) throws(ValidationError) -> Agreement {
        guard acceptance != nil else { throw ValidationError(field: "status", problem: "only an accepted agreement can be signed (it is \(status.rawValue))", rule: "agreement-state") }
        guard signatures[party] == nil else { throw ValidationError(field: "party", problem: "the \(party.rawValue) already signed", rule: "agreement-state") }
        try requireTimeOrder(at)
        var next = self
        next.signatures[party] = at
        return next
    }

    /// An interim letter of agreement: lists the terms both sides already agree on, so work
    /// (apheresis, under the agreed clinical criteria) can start while the rest is negotiated.
    public func issuingInterimLetter(library: TermLibrary, at: Date) throws(ValidationError) -> Agreement {
        try requireOpen(for: "issue an interim letter")
        guard sentAt != nil else { throw ValidationError(field: "status", problem: "send the agreement before issuing an interim letter", rule: "agreement-state") }
        let agreed = agreedTerms()
        guard agreed.contains(where: { library.term($0)?.kind == .clinicalCriteria || library.term($0)?.kind == .episodeWindow }) else {
            throw ValidationError(field: "terms", problem: "no clinical-criteria or episode-window term is agreed yet; an interim letter needs at least one", rule: "interim-letter")
        }
        var next = self
        next.interimLetter = InterimLetter(issuedAt: at, version: latest.number, agreedTerms: agreed)
        return next
    }

    /// Terms both sides agree on: in the latest version, stated the same as in the previous
    /// version proposed by the other side (or every term, once accepted).
    public func agreedTerms() -> [TermReference] {
        if let acceptance, acceptance.version == latest.number { return latest.terms.map(\.term) }
        guard let previous = versions.dropLast().last(where: { $0.proposedBy != latest.proposedBy }) else { return [] }
        return latest.terms.filter { term in previous.term(term.term.id) == term }.map(\.term)
    }

    private func requireOpen(for action: String) throws(ValidationError) {
        guard acceptance == nil else { throw ValidationError(field: "status", problem: "cannot \(action): the agreement is \(status.rawValue)", rule: "agreement-state") }
    }

    private func requireTimeOrder(_ at: Date) throws(ValidationError) {
        let last = [latest.at, sentAt, acceptance?.at, signatures.values.max(), interimLetter?.issuedAt].compactMap { $0 }.max() ?? createdAt
        guard at >= last else { throw ValidationError(field: "at", problem: "is before the agreement's previous step", rule: "time-order") }
    }
}
