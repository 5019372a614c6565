import CareNetwork
import Core

public enum AgreementTemplateTag {}
public typealias AgreementTemplateID = Identifier<AgreementTemplateTag>

/// A term pinned to one version, as a template or an agreement cites it.
public struct TermReference: Hashable, Sendable, Codable, CustomStringConvertible {
    public var id: TermID
    public var version: Int

    public init(_ id: TermID, version: Int) {
        self.id = id
        self.version = version
    }

    public var description: String { "\(id)@\(version)" }
}

/// An ordered set of terms a center starts its SCAs from, with its usual values: a new
/// agreement is the template instantiated for a case, not a document drafted from scratch.
public struct AgreementTemplate: Hashable, Sendable, Codable {
    public var id: AgreementTemplateID
    public var version: Int
    public var name: String
    /// The center whose template it is; `nil` for the mediator's network-wide template.
    public var center: CenterID?
    public var terms: [TermReference]
    /// The template's values for negotiated parameters, by term then parameter name; a
    /// parameter without one falls back to the term's default.
    public var values: [TermID: [String: String]]

    public init(id: AgreementTemplateID, version: Int, name: String, center: CenterID? = nil, terms: [TermReference], values: [TermID: [String: String]] = [:]) {
        self.id = id
        self.version = version
        self.name = name
        self.center = center
        self.terms = terms
        self.values = values
    }

    /// Checks that every term exists in `library`, appears once, and that every value fits
    /// its parameter.
    public func validated(against library: TermLibrary) throws(ValidationError) -> AgreementTemplate {
        var issues: [ValidationError.Issue] = []
        var seen: Set<TermID> = []
        for (index, reference) in terms.enumerated() {
            guard seen.insert(reference.id).inserted else {
                issues.append(.init(field: "terms[\(index)]", problem: "term \(reference.id) is listed twice"))
                continue
            }
            guard let term = library.term(reference) else {
                issues.append(.init(field: "terms[\(index)]", problem: "no term \(reference) in the library"))
                continue
            }
            for (name, value) in values[reference.id] ?? [:] {
                guard let parameter = term.parameters.first(where: { $0.name == name }) else {
                    issues.append(.init(field: "values.\(reference.id).\(name)", problem: "term \(reference) has no parameter \(name)"))
                    continue
                }
                do { _ = try parameter.check(value, field: "values.\(reference.id).\(name)") } catch { issues += error.issues }
            }
        }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        return self
    }
}

/// Every version of every term, looked up by reference.
public struct TermLibrary: Hashable, Sendable {
    public var terms: [Term]

    public init(_ terms: [Term]) { self.terms = terms }

    public func term(_ reference: TermReference) -> Term? { terms.first { $0.id == reference.id && $0.version == reference.version } }

    /// The newest version of a term.
    public func latest(_ id: TermID) -> Term? { terms.filter { $0.id == id }.max { $0.version < $1.version } }
}
