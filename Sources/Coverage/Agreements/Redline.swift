import Core

/// The term-by-term differences between two versions of an agreement: what a negotiator
/// reads instead of comparing two documents line by line.
public struct Redline: Hashable, Sendable {
    public enum Change: String, Hashable, Sendable, Codable {
        case unchanged, changed, added, removed
    }

    /// One term's difference.
    public struct Line: Hashable, Sendable {
        public var term: TermID
        public var title: String
        public var change: Change
        /// The term's text in each version (`nil` where it is absent or cannot be rendered yet).
        public var before: String?
        public var after: String?
        /// The parameters whose values differ, with the old and new values as displayed.
        public var parameters: [(name: String, before: String?, after: String?)]

        public static func == (lhs: Line, rhs: Line) -> Bool {
            lhs.term == rhs.term && lhs.change == rhs.change && lhs.before == rhs.before && lhs.after == rhs.after
                && lhs.parameters.map(\.name) == rhs.parameters.map(\.name) && lhs.parameters.map(\.before) == rhs.parameters.map(\.before)
                && lhs.parameters.map(\.after) == rhs.parameters.map(\.after)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(term)
            hasher.combine(change)
        }
    }

    public var from: Int
    public var to: Int
    public var lines: [Line]

    /// Lines in the order of `to` (removed terms after, in the order of `from`).
    public static func between(_ from: AgreementVersion, _ to: AgreementVersion, library: TermLibrary) -> Redline {
        func rendered(_ agreed: AgreedTerm) -> String? {
            guard let term = library.term(agreed.term) else { return nil }
            var values = agreed.values
            // Member identity is filled only when the document is made; show its place.
            for parameter in term.parameters where values[parameter.name] == nil { values[parameter.name] = "[\(parameter.name)]" }
            return try? term.render(values)
        }
        func title(_ reference: TermReference) -> String { library.term(reference)?.title ?? reference.id.rawValue }
        var lines: [Line] = []
        for agreed in to.terms {
            guard let old = from.term(agreed.term.id) else {
                lines.append(Line(term: agreed.term.id, title: title(agreed.term), change: .added, before: nil, after: rendered(agreed), parameters: []))
                continue
            }
            if old == agreed {
                lines.append(Line(term: agreed.term.id, title: title(agreed.term), change: .unchanged, before: rendered(old), after: rendered(agreed), parameters: []))
                continue
            }
            let type = { (name: String) in library.term(agreed.term)?.parameters.first { $0.name == name }?.type ?? .text }
            let names = Set(old.values.keys).union(agreed.values.keys).sorted()
            let parameters = names.filter { old.values[$0] != agreed.values[$0] }.map { name in
                (name: name, before: old.values[name].map { type(name).display($0) }, after: agreed.values[name].map { type(name).display($0) })
            }
            lines.append(Line(term: agreed.term.id, title: title(agreed.term), change: .changed, before: rendered(old), after: rendered(agreed), parameters: parameters))
        }
        for old in from.terms where to.term(old.term.id) == nil {
            lines.append(Line(term: old.term.id, title: title(old.term), change: .removed, before: rendered(old), after: nil, parameters: []))
        }
        return Redline(from: from.number, to: to.number, lines: lines)
    }

    public var changedCount: Int { lines.filter { $0.change != .unchanged }.count }
}

extension Agreement {
    /// The redline between two versions, or an error naming the version that does not exist.
    public func redline(from: Int, to: Int, library: TermLibrary) throws(ValidationError) -> Redline {
        guard let old = version(from) else { throw ValidationError(field: "from", problem: "version \(from) does not exist (the agreement has 1 to \(latest.number))") }
        guard let new = version(to) else { throw ValidationError(field: "to", problem: "version \(to) does not exist (the agreement has 1 to \(latest.number))") }
        return Redline.between(old, new, library: library)
    }

    /// The share of this agreement's terms (latest version) stated exactly as in the center's
    /// most recent signed agreement with the same payer — how much a payer has already seen.
    /// `nil` when there is no earlier signed agreement between them.
    public func reuseShare(previous agreements: [Agreement]) -> (reused: Int, total: Int)? {
        let earlier = agreements.filter { $0.id != id && $0.center == center && $0.payer == payer && $0.status == .signed }
        guard let last = earlier.max(by: { ($0.signatures.values.max() ?? $0.createdAt) < ($1.signatures.values.max() ?? $1.createdAt) }) else { return nil }
        let signed = last.version(last.acceptance?.version ?? last.latest.number) ?? last.latest
        let reused = latest.terms.filter { term in signed.term(term.term.id) == term }.count
        return (reused, latest.terms.count)
    }
}

/// Where one term stands in the negotiation.
public enum TermStanding: String, Hashable, Sendable, Codable {
    /// Stated the same by both sides (or the version was accepted).
    case agreed
    /// The latest proposer changed what the other side last proposed: a counter.
    case countered
    /// Not yet answered: in the first version, or added since the other side last proposed.
    case proposed
}

extension Agreement {
    /// Each term of the latest version with its standing: what is agreed, what the latest
    /// proposer countered, and what the other side has yet to answer — accept or counter,
    /// term by term.
    public func termStandings() -> [(term: TermReference, standing: TermStanding, by: AgreementParty)] {
        let agreed = Set(agreedTerms())
        let previous = versions.dropLast().last { $0.proposedBy != latest.proposedBy }
        return latest.terms.map { term in
            if agreed.contains(term.term) { return (term.term, .agreed, latest.proposedBy) }
            if previous?.term(term.term.id) != nil { return (term.term, .countered, latest.proposedBy) }
            return (term.term, .proposed, latest.proposedBy)
        }
    }
}
