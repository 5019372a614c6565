import Foundation
import Core
import CareNetwork
import Outcomes
import Documents
import Yams

/// Criteria files: the documented, versioned YAML (or JSON) form of ``CriteriaSet``,
/// format `curepath.criteria/v1`, described field by field in `docs/CRITERIA.md`.
///
/// Payers' criteria are written by people and checked against policies kept elsewhere, so
/// a file is refused with every problem at once, each with its line, column and path —
/// unknown keys with a did-you-mean hint, wrong types, impossible thresholds, expressions
/// that do not type-check. Files are hostile until checked: ``limits`` bounds size, nesting,
/// values and value length, and anchors, aliases and tags are refused by ``YAMLDocument``
/// before anything could be expanded.
public enum CriteriaFile {
    public static let formatName = "curepath.criteria/v1"

    /// How large a criteria file may be. A criteria set is a page: the example sets are under
    /// 2 KB, about 70 values and 5 levels deep. The limits leave room for a hundred-fold
    /// that while keeping a maximal file a few milliseconds of work; the longest value, an
    /// expression, is at most ``ExpressionParser/maximumLength`` characters.
    public static let limits = DocumentLimits(
        documentName: "criteria file", maximumBytes: 262_144, maximumDepth: 32, maximumNodes: 20_000, maximumScalarBytes: 16_384)
    public static var maximumBytes: Int { limits.maximumBytes }

    public static func parse(_ text: String) throws(CriteriaFileError) -> CriteriaSet {
        try parse(Array(text.utf8))
    }

    public static func parse(_ data: Data) throws(CriteriaFileError) -> CriteriaSet {
        try parse([UInt8](data))
    }

    public static func parse(_ bytes: [UInt8]) throws(CriteriaFileError) -> CriteriaSet {
        let root: Node
        do throws(FileIssue) {
            root = try YAMLDocument.compose(bytes, limits: limits)
        } catch {
            throw CriteriaFileError(issues: [error])
        }
        var builder = CriteriaFileBuilder()
        let set = builder.build(root)
        let issues = builder.reader.issuesInFileOrder
        guard issues.isEmpty, let set else {
            throw CriteriaFileError(issues: issues.isEmpty ? [.init(line: nil, path: "", problem: "could not be read")] : issues)
        }
        return set
    }
}

/// Reads the document into a criteria set; returns `nil` when a required part is unreadable.
struct CriteriaFileBuilder {
    var reader = DocumentReader(maximumIssues: CriteriaFileError.maximumIssues)

    static let rootKeys = ["format", "id", "version", "payer", "product", "indication", "basis", "effective", "title", "criteria"]
    static let criteriaKeys = ["diagnosis", "priorLines", "age", "ecog", "organFunction", "exclusions", "pretests", "expressions"]

    mutating func build(_ root: Node) -> CriteriaSet? {
        let required = ["format", "id", "version", "payer", "product", "indication", "basis", "effective", "criteria"]
        guard let fields = reader.mapping(root, "", allowed: Self.rootKeys, required: required) else { return nil }
        if let node = fields["format"], let format = reader.text(node, "format"), format != CriteriaFile.formatName {
            reader.fail("format", node, "must be \(CriteriaFile.formatName), got \"\(format.prefix(40))\"", rule: "format")
        }
        let id: CriteriaSetID? = fields["id"].flatMap { reader.identifier($0, "id") }
        let version = fields["version"].flatMap { reader.integer($0, "version", in: 1...100_000) }
        var owner: CriteriaOwner?
        if let node = fields["payer"], let raw = reader.text(node, "payer") {
            if raw == CriteriaOwner.regionalStandardName {
                owner = .regionalStandard
            } else if let payer: PayerID = reader.identifier(node, "payer") {
                owner = .payer(payer)
            }
        }
        let product: ProductID? = fields["product"].flatMap { reader.identifier($0, "product") }
        let indication = fields["indication"].flatMap { reader.text($0, "indication", lineBreaks: true) }
        let basis = fields["basis"].flatMap { reader.choice($0, "basis", among: CriteriaBasis.allCases.map(\.rawValue)) }
            .flatMap(CriteriaBasis.init(rawValue:))
        let title = fields["title"].flatMap { reader.text($0, "title", lineBreaks: true) }
        var from: CalendarDate?, to: CalendarDate?
        if let node = fields["effective"], let effective = reader.mapping(node, "effective", allowed: ["from", "to"], required: ["from"]) {
            from = effective["from"].flatMap { reader.date($0, "effective.from") }
            to = effective["to"].flatMap { reader.date($0, "effective.to") }
            if let from, let to, to < from, let node = effective["to"] {
                reader.fail("effective.to", node, "is before effective.from (\(from))", rule: "time-order")
            }
        }
        let criteria = fields["criteria"].flatMap { parseCriteria($0) }
        guard let id, let version, let owner, let product, let indication, let basis, let from, let criteria else { return nil }
        return CriteriaSet(
            id: id, version: version, owner: owner, product: product, indication: indication, basis: basis,
            effectiveFrom: from, effectiveTo: to, title: title, criteria: criteria
        )
    }

    private mutating func parseCriteria(_ node: Node) -> [Criterion]? {
        guard let fields = reader.mapping(node, "criteria", allowed: Self.criteriaKeys) else { return nil }
        guard !fields.isEmpty else {
            reader.fail("criteria", node, "must name at least one criterion: \(Self.criteriaKeys.joined(separator: ", "))", rule: "required")
            return nil
        }
        let before = reader.issues.count
        var criteria: [Criterion] = []
        // File order, so results are listed as the payer wrote them.
        for entry in fields.inFileOrder {
            let key = entry.name
            let path = "criteria.\(key)"
            let line = entry.key.mark?.line
            switch key {
            case "diagnosis": parseDiagnosis(entry.value, path).map { criteria.append(Criterion($0, line: line)) }
            case "priorLines": parsePriorLines(entry.value, path).map { criteria.append(Criterion($0, line: line)) }
            case "age": parseAge(entry.value, path).map { criteria.append(Criterion($0, line: line)) }
            case "ecog": parseECOG(entry.value, path).map { criteria.append(Criterion($0, line: line)) }
            case "organFunction": criteria += parseOrganFunction(entry.value, path)
            case "exclusions":
                let choices = ExclusionKind.allCases.map(\.rawValue)
                if let nodes = reader.list(entry.value, path) {
                    var seen: Set<ExclusionKind> = []
                    for (index, item) in nodes.enumerated() {
                        guard let raw = reader.choice(item, "\(path)[\(index)]", among: choices), let kind = ExclusionKind(rawValue: raw) else { continue }
                        if !seen.insert(kind).inserted {
                            reader.fail("\(path)[\(index)]", item, "\(raw) is listed twice", rule: "unique")
                        }
                        criteria.append(Criterion(.exclusion(kind), line: item.mark?.line))
                    }
                }
            case "pretests": criteria += parsePretests(entry.value, path)
            case "expressions": criteria += parseExpressions(entry.value, path)
            default: break
            }
        }
        return reader.issues.count == before ? criteria : nil
    }


    private mutating func parseDiagnosis(_ node: Node, _ path: String) -> CriterionRule? {
        guard let fields = reader.mapping(node, path, allowed: ["codes", "prefixes"]) else { return nil }
        func codes(_ key: String, prefix: Bool) -> [String]? {
            guard let entry = fields[key] else { return [] }
            return reader.values(entry, "\(path).\(key)") { reader, item, itemPath in
                guard let code = reader.text(item, itemPath, maximumLength: 10) else { return nil }
                let wellFormed = prefix ? code.count >= 1 && ICD10.isWellFormed(code.count < 3 ? code + String(repeating: "0", count: 3 - code.count) : code) : ICD10.isWellFormed(code)
                guard wellFormed else {
                    reader.fail(itemPath, item, "must be an ICD-10-CM code\(prefix ? " or the start of one" : "") such as C83.3\(prefix ? "" : "0"), got \"\(code.prefix(20))\"")
                    return nil
                }
                return code
            }
        }
        guard let exact = codes("codes", prefix: false), let prefixes = codes("prefixes", prefix: true) else { return nil }
        guard !exact.isEmpty || !prefixes.isEmpty else {
            reader.fail(path, node, "must list at least one code or prefix", rule: "required")
            return nil
        }
        return .diagnosis(codes: exact, prefixes: prefixes)
    }

    private mutating func parsePriorLines(_ node: Node, _ path: String) -> CriterionRule? {
        let keys = ["minimum", "requiredAgents", "requiredClasses", "refractoryOrRelapsedWithinMonths"]
        guard let fields = reader.mapping(node, path, allowed: keys) else { return nil }
        let before = reader.issues.count
        let minimum = fields["minimum"].flatMap { reader.integer($0, "\(path).minimum", in: 0...20) }
        let agents = fields["requiredAgents"].flatMap { reader.values($0, "\(path).requiredAgents") { $0.name($1, $2) } } ?? []
        let classes = fields["requiredClasses"].flatMap { reader.values($0, "\(path).requiredClasses") { $0.name($1, $2) } } ?? []
        let months = fields["refractoryOrRelapsedWithinMonths"].flatMap { reader.integer($0, "\(path).refractoryOrRelapsedWithinMonths", in: 1...240) }
        guard reader.issues.count == before else { return nil }
        guard minimum != nil || !agents.isEmpty || !classes.isEmpty || months != nil else {
            reader.fail(path, node, "must give at least one of \(keys.joined(separator: ", "))", rule: "required")
            return nil
        }
        return .priorLines(PriorLinesRule(minimum: minimum, requiredAgents: agents, requiredClasses: classes, refractoryOrRelapsedWithinMonths: months))
    }

    private mutating func parseAge(_ node: Node, _ path: String) -> CriterionRule? {
        guard let fields = reader.mapping(node, path, allowed: ["minimum", "maximum"]) else { return nil }
        let before = reader.issues.count
        let minimum = fields["minimum"].flatMap { reader.integer($0, "\(path).minimum", in: 0...130) }
        let maximum = fields["maximum"].flatMap { reader.integer($0, "\(path).maximum", in: 0...130) }
        guard reader.issues.count == before else { return nil }
        guard minimum != nil || maximum != nil else {
            reader.fail(path, node, "must give minimum, maximum or both", rule: "required")
            return nil
        }
        if let minimum, let maximum, maximum < minimum, let node = fields["maximum"] {
            reader.fail("\(path).maximum", node, "is below the minimum (\(minimum))", rule: "range")
            return nil
        }
        return .age(minimum: minimum, maximum: maximum)
    }

    private mutating func parseECOG(_ node: Node, _ path: String) -> CriterionRule? {
        guard let fields = reader.mapping(node, path, allowed: ["maximum", "withinDays"], required: ["maximum"]) else { return nil }
        let maximum = fields["maximum"].flatMap { reader.integer($0, "\(path).maximum", in: 0...5) }
        let within = fields["withinDays"].flatMap { reader.integer($0, "\(path).withinDays", in: 1...3650) }
        guard let maximum, fields["withinDays"] == nil || within != nil else { return nil }
        return .ecog(maximum: maximum, withinDays: within)
    }

    private mutating func parseOrganFunction(_ node: Node, _ path: String) -> [Criterion] {
        let names = LabCode.knownNames
        guard let fields = reader.mapping(node, path, allowed: names) else { return [] }
        var result: [Criterion] = []
        for entry in fields.inFileOrder {
            let name = entry.name
            let itemPath = "\(path).\(name)"
            guard let bound = reader.mapping(entry.value, itemPath, allowed: ["atLeast", "atMost", "withinDays"]) else { continue }
            let lab = LabCode(rawValue: name)
            let within = bound["withinDays"].flatMap { reader.integer($0, "\(itemPath).withinDays", in: 1...3650) }
            if bound["withinDays"] != nil && within == nil { continue }
            let least = bound["atLeast"].flatMap { reader.decimal($0, "\(itemPath).atLeast") }
            let most = bound["atMost"].flatMap { reader.decimal($0, "\(itemPath).atMost") }
            if bound["atLeast"] == nil && bound["atMost"] == nil {
                reader.fail(itemPath, entry.value, "must give atLeast or atMost", rule: "required")
                continue
            }
            for (kind, value, key) in [(OrganThreshold.Bound.atLeast, least, "atLeast"), (.atMost, most, "atMost")] {
                guard let value, let valueNode = bound[key] else { continue }
                if (lab == .lvef || lab == .spo2), value > ExactDecimal(100) {
                    reader.fail("\(itemPath).\(key)", valueNode, "is a percentage and must be at most 100, got \(value)", rule: "range")
                    continue
                }
                // Both bounds share the key's criterion; a range is two criteria with one key, and only the
                // first is kept under it, so a range is refused rather than half-applied.
                if least != nil && most != nil {
                    reader.fail(itemPath, entry.value, "give atLeast or atMost, not both; a range is written as an expression", rule: "range")
                    break
                }
                result.append(Criterion(.organ(OrganThreshold(lab: lab, bound: kind, value: value, withinDays: within)), line: entry.key.mark?.line))
            }
        }
        return result
    }

    private mutating func parsePretests(_ node: Node, _ path: String) -> [Criterion] {
        guard let items = reader.list(node, path) else { return [] }
        var result: [Criterion] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let fields = reader.mapping(item, itemPath, allowed: ["code", "withinDays"], required: ["code", "withinDays"]) else { continue }
            let code = fields["code"].flatMap { reader.name($0, "\(itemPath).code") }
            let within = fields["withinDays"].flatMap { reader.integer($0, "\(itemPath).withinDays", in: 1...3650) }
            guard let code, let within else { continue }
            if !seen.insert(code).inserted {
                reader.fail("\(itemPath).code", fields["code"], "\(code) is listed twice", rule: "unique")
                continue
            }
            result.append(Criterion(.pretest(code: code, withinDays: within), line: item.mark?.line))
        }
        return result
    }

    private mutating func parseExpressions(_ node: Node, _ path: String) -> [Criterion] {
        guard let items = reader.list(node, path) else { return [] }
        var result: [Criterion] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let fields = reader.mapping(item, itemPath, allowed: ["id", "expr"], required: ["id", "expr"]) else { continue }
            let name = fields["id"].flatMap { reader.name($0, "\(itemPath).id") }
            guard let exprNode = fields["expr"], let source = reader.text(exprNode, "\(itemPath).expr", maximumLength: ExpressionParser.maximumLength, lineBreaks: true) else { continue }
            switch CriteriaExpression.parse(source) {
            case .success(let expression):
                guard let name else { continue }
                if !seen.insert(name).inserted {
                    reader.fail("\(itemPath).id", fields["id"], "\(name) is used twice", rule: "unique")
                    continue
                }
                result.append(Criterion(.expression(name: name, expression), line: item.mark?.line))
            case .failure(let error):
                // Point into the file: a scalar on one line starts at its mark, one further in when quoted.
                let scalar = exprNode.scalar
                let singleLine = !source.contains("\n") && (scalar?.style == .plain || scalar?.style == .singleQuoted || scalar?.style == .doubleQuoted)
                let quoted = scalar?.style == .singleQuoted || scalar?.style == .doubleQuoted
                let column = singleLine ? exprNode.mark.map { $0.column + (quoted ? 1 : 0) + error.column - 1 } : nil
                reader.fail("\(itemPath).expr", line: exprNode.mark?.line, column: column ?? error.column, "\(error.problem) (at column \(error.column) of the expression)", rule: "expression")
            }
        }
        return result
    }
}
