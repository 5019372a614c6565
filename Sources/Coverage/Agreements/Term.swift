import Core
import Foundation

public enum TermTag {}
/// Identifies a term across its versions (`episode-window`, `carve-out-product`).
public typealias TermID = Identifier<TermTag>

/// One reusable, defined clause of a single-case agreement, in plain language with typed
/// parameters: "from {days_before} days before apheresis to {days_after} days after infusion".
///
/// Terms are the unit of reuse and of negotiation: every SCA repeats the same elements, so
/// an agreement built from terms is drafted in minutes and compared term by term, and a payer
/// sees at once which clauses it already accepted with the center last time.
public struct Term: Hashable, Sendable, Codable {
    public var id: TermID
    /// A term's wording never changes under one version; new wording is a new version.
    public var version: Int
    public var kind: TermKind
    public var title: String
    /// Plain language with `{name}` placeholders, one per parameter.
    public var text: String
    public var parameters: [TermParameter]
    /// The standard element this term provides, when it is one.
    public var standardElement: StandardElement?

    public init(id: TermID, version: Int, kind: TermKind, title: String, text: String, parameters: [TermParameter] = [], standardElement: StandardElement? = nil) {
        self.id = id
        self.version = version
        self.kind = kind
        self.title = title
        self.text = text
        self.parameters = parameters
        self.standardElement = standardElement
    }

    /// The placeholders the text names, in order of first use.
    public var placeholders: [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            if !names.contains(name) { names.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Checks that every placeholder has a parameter and every parameter a placeholder, and
    /// that each parameter's declaration is sound.
    public func validated(field: String = "term") throws(ValidationError) -> Term {
        var issues: [ValidationError.Issue] = []
        if (try? TermID.validated(id.rawValue, field: "\(field).id")) == nil {
            issues.append(.init(field: "\(field).id", problem: "must be 1 to 64 letters, digits, '-', '_' or '.'"))
        }
        if version < 1 { issues.append(.init(field: "\(field).version", problem: "must be 1 or more, got \(version)")) }
        if title.trimmingCharacters(in: .whitespaces).isEmpty { issues.append(.init(field: "\(field).title", problem: "is required")) }
        let declared = parameters.map(\.name)
        for name in placeholders where !declared.contains(name) {
            issues.append(.init(field: "\(field).text", problem: "names {\(name)}, which is not a parameter (parameters: \(declared.joined(separator: ", ")))"))
        }
        for (index, parameter) in parameters.enumerated() {
            if !placeholders.contains(parameter.name) {
                issues.append(.init(field: "\(field).parameters[\(index)]", problem: "\(parameter.name) is never used in the text"))
            }
            do { _ = try parameter.validated(field: "\(field).parameters[\(index)]") } catch { issues += error.issues }
        }
        if Set(declared).count != declared.count { issues.append(.init(field: "\(field).parameters", problem: "a parameter name is used twice")) }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        return self
    }

    /// The text with each placeholder replaced by its value, formatted for people.
    /// - Throws: naming the first parameter without a value.
    public func render(_ values: [String: String], field: String = "values") throws(ValidationError) -> String {
        var text = self.text
        for parameter in parameters {
            guard let value = values[parameter.name] else {
                throw ValidationError(field: "\(field).\(parameter.name)", problem: "is required by term \(id)")
            }
            let placeholder = "{\(parameter.name)}"
            let shown = parameter.type.display(value)
            // Filed wording often writes the unit after the placeholder ("within {days} days"),
            // and a day count displays with its unit ("30 days", "1 day"): write the unit once.
            if parameter.type == .days {
                text = text.replacingOccurrences(of: placeholder + " days", with: shown)
            }
            text = text.replacingOccurrences(of: placeholder, with: shown)
        }
        return text
    }
}

/// The kinds of clause an SCA is made of.
public enum TermKind: String, Hashable, Sendable, Codable, CaseIterable {
    case parties, member, diagnosis, procedure, episodeWindow = "episode-window", inclusions, exclusions, reimbursement, carveOut = "carve-out"
    case outlier, timelyFiling = "timely-filing", appeal, records, confidentiality, clinicalCriteria = "clinical-criteria", other
}

/// The elements every SCA must have (seed: member name and ID, diagnosis, procedure, the time
/// periods for each clinical intervention, inclusions and exclusions). An agreement missing
/// one cannot be sent.
public enum StandardElement: String, Hashable, Sendable, Codable, CaseIterable {
    case member, diagnosis, procedure, interventionPeriods = "intervention-periods", inclusions, exclusions
}
