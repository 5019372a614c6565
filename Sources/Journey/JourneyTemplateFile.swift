import Foundation
import Core
import Documents
import Yams

/// Journey template files: the documented, versioned YAML (or JSON) form of
/// ``JourneyTemplate``, format `curepath.journey/v1`, described field by field in
/// `docs/JOURNEY.md` ("Template files").
///
/// A template decides which events every case of a product may record, so a file is refused
/// with every problem at once, each with its line, column and path — unknown keys with a
/// did-you-mean hint, a dependency on a stage that does not exist or comes later (which is
/// also what makes a cycle impossible), a stage key given twice, no infusion stage, an
/// unknown dependency kind. Files are hostile until checked: ``limits`` bounds size,
/// nesting, values and value length, and anchors, aliases and tags are refused by
/// ``YAMLDocument`` before anything could be expanded.
public enum JourneyTemplateFile {
    public static let formatName = "curepath.journey/v1"

    /// How large a template file may be. The largest shipped template (ex vivo gene therapy)
    /// is under 2 KB, about 110 values and 4 levels deep; a journey has a dozen stages, not
    /// hundreds. The limits leave room for ten-fold that and keep a maximal file well under a
    /// millisecond of work; no value (a stage name) needs more than 200 characters.
    public static let limits = DocumentLimits(
        documentName: "journey template file", maximumBytes: 65_536, maximumDepth: 8, maximumNodes: 5_000, maximumScalarBytes: 1_024)
    /// The most stages one template may have.
    public static let maximumStages = 60

    public static func parse(_ text: String) throws(JourneyTemplateFileError) -> JourneyTemplate {
        try parse(Array(text.utf8))
    }

    public static func parse(_ data: Data) throws(JourneyTemplateFileError) -> JourneyTemplate {
        try parse([UInt8](data))
    }

    public static func parse(_ bytes: [UInt8]) throws(JourneyTemplateFileError) -> JourneyTemplate {
        let root: Node
        do throws(FileIssue) {
            root = try YAMLDocument.compose(bytes, limits: limits)
        } catch {
            throw JourneyTemplateFileError(issues: [error])
        }
        var builder = JourneyTemplateFileBuilder()
        let template = builder.build(root)
        let issues = builder.reader.issuesInFileOrder
        guard issues.isEmpty, let template else {
            throw JourneyTemplateFileError(issues: issues.isEmpty ? [.init(line: nil, path: "", problem: "could not be read")] : issues)
        }
        return template
    }
}

/// Reads the document into a template; returns `nil` when any part is unreadable, having
/// recorded why.
struct JourneyTemplateFileBuilder {
    var reader = DocumentReader(maximumIssues: JourneyTemplateFileError.maximumIssues)

    static let rootKeys = ["format", "id", "version", "name", "infusionStage", "stages"]
    static let stageKeys = ["key", "name", "skippable", "controllable", "waitsFor"]
    static let dependencyKeys = ["stage", "kind", "overridable"]

    mutating func build(_ root: Node) -> JourneyTemplate? {
        guard let fields = reader.mapping(root, "", allowed: Self.rootKeys, required: Self.rootKeys) else { return nil }
        if let node = fields["format"], let format = reader.text(node, "format"), format != JourneyTemplateFile.formatName {
            reader.fail("format", node, "must be \(JourneyTemplateFile.formatName), got \"\(format.prefix(40))\"", rule: "format")
        }
        let id = fields["id"].flatMap { templateID($0, "id") }
        let version = fields["version"].flatMap { reader.integer($0, "version", in: 1...100_000) }
        let name = fields["name"].flatMap { reader.text($0, "name") }
        let stages = fields["stages"].flatMap { parseStages($0) }
        var infusion: StageKey?
        if let node = fields["infusionStage"], let key = stageKey(node, "infusionStage"), let stages {
            infusion = infusionStage(key, node, among: stages)
        }
        guard reader.issues.isEmpty, let id, let version, let name, let stages, let infusion else { return nil }
        return JourneyTemplate(id: id, version: version, name: name, stages: stages, infusionStage: infusion)
    }

    /// A template id: an identifier, and not the `@`-joined form a pinned reference uses.
    private mutating func templateID(_ node: Node, _ path: String) -> String? {
        guard let raw = reader.text(node, path, maximumLength: 64) else { return nil }
        guard JourneyTemplate.isValidID(raw) else {
            reader.fail(path, node, "must be 1–64 letters, digits, '-', '_' or '.', got \"\(raw.prefix(40))\"")
            return nil
        }
        return raw
    }

    /// A stage key as cases, metrics and the stored case summary write it.
    private mutating func stageKey(_ node: Node, _ path: String) -> StageKey? {
        guard let raw = reader.text(node, path, maximumLength: 64) else { return nil }
        guard StageKey.isValid(raw) else {
            reader.fail(path, node, "must be a stage key of lowercase letters, digits and '_', starting with a letter (like prior_authorization), got \"\(raw.prefix(40))\"")
            return nil
        }
        return StageKey(rawValue: raw)
    }

    private mutating func parseStages(_ node: Node) -> [Stage]? {
        guard let nodes = reader.list(node, "stages") else { return nil }
        guard !nodes.isEmpty else {
            reader.fail("stages", node, "must list at least the first stage and the infusion stage", rule: "required")
            return nil
        }
        guard nodes.count <= JourneyTemplateFile.maximumStages else {
            reader.fail("stages", node, "has \(nodes.count) stages; a template may have at most \(JourneyTemplateFile.maximumStages)", rule: "size-limit")
            return nil
        }
        // Every key first, so a dependency on a later stage is told apart from a typo.
        var positions: [StageKey: (index: Int, line: Int?)] = [:]
        var keys: [StageKey?] = []
        for (index, item) in nodes.enumerated() {
            guard let keyNode = item.mapping?["key"], !reader.isNull(keyNode) else {
                keys.append(nil)
                continue
            }
            let key = stageKey(keyNode, "stages[\(index)].key")
            keys.append(key)
            guard let key else { continue }
            if let first = positions[key] {
                reader.fail("stages[\(index)].key", keyNode, "\(key) is already the key of stages[\(first.index)]\(first.line.map { " (line \($0))" } ?? ""); each stage needs its own key", rule: "unique")
            } else {
                positions[key] = (index, keyNode.mark?.line)
            }
        }
        var stages: [Stage] = []
        for (index, item) in nodes.enumerated() {
            let path = "stages[\(index)]"
            guard let fields = reader.mapping(item, path, allowed: Self.stageKeys, required: ["key", "name"]) else { continue }
            let name = fields["name"].flatMap { reader.text($0, "\(path).name") }
            let skippable = fields["skippable"].flatMap { reader.boolean($0, "\(path).skippable") } ?? false
            let controllable = fields["controllable"].flatMap { reader.boolean($0, "\(path).controllable") } ?? true
            var dependencies: [Dependency] = []
            if let node = fields["waitsFor"] {
                dependencies = parseDependencies(node, "\(path).waitsFor", of: index, positions: positions) ?? []
            } else if index > 0, fields["key"] != nil {
                reader.fail("\(path).waitsFor", fields.key("key") ?? item, "is required: every stage but the first waits for an earlier one, so each case's critical path leads back to the first stage", rule: "required")
            }
            if index > 0, fields["waitsFor"] != nil, dependencies.isEmpty, let node = fields["waitsFor"], node.sequence?.isEmpty == true {
                reader.fail("\(path).waitsFor", node, "must name at least one earlier stage", rule: "required")
            }
            if let key = keys[index], let name {
                stages.append(Stage(key: key, name: name, dependencies: dependencies, skippable: skippable, controllable: controllable))
            }
        }
        return stages.count == nodes.count ? stages : nil
    }

    private mutating func parseDependencies(_ node: Node, _ path: String, of index: Int, positions: [StageKey: (index: Int, line: Int?)]) -> [Dependency]? {
        guard let nodes = reader.list(node, path) else { return nil }
        var dependencies: [Dependency] = []
        var seen: Set<StageKey> = []
        let kinds = [Dependency.Kind.finishToStart, .startToStart].map(\.rawValue)
        for (position, item) in nodes.enumerated() {
            let itemPath = "\(path)[\(position)]"
            guard let fields = reader.mapping(item, itemPath, allowed: Self.dependencyKeys, required: ["stage", "kind"]) else { continue }
            let kind = fields["kind"].flatMap { reader.choice($0, "\(itemPath).kind", among: kinds) }.flatMap(Dependency.Kind.init(rawValue:))
            let overridable = fields["overridable"].flatMap { reader.boolean($0, "\(itemPath).overridable") } ?? false
            guard let stageNode = fields["stage"], let predecessor = stageKey(stageNode, "\(itemPath).stage") else { continue }
            guard let found = positions[predecessor] else {
                let hint = DidYouMean.closest(to: predecessor.rawValue, in: positions.keys.map(\.rawValue).sorted()).map { " (did you mean \($0)?)" } ?? ""
                reader.fail("\(itemPath).stage", stageNode, "\(predecessor) is not a stage of this template\(hint)", rule: "unknown-stage")
                continue
            }
            guard found.index < index else {
                let which = found.index == index ? "a stage cannot wait for itself" : "\(predecessor) is stages[\(found.index)], listed after this one; stages are listed in journey order and wait only for earlier ones, so a dependency cannot loop back"
                reader.fail("\(itemPath).stage", stageNode, which, rule: "stage-order")
                continue
            }
            guard seen.insert(predecessor).inserted else {
                reader.fail("\(itemPath).stage", stageNode, "this stage already waits for \(predecessor); list each predecessor once", rule: "unique")
                continue
            }
            if let kind { dependencies.append(Dependency(predecessor, kind, overridable: overridable)) }
        }
        return dependencies
    }

    /// The infusion stage ends the case as infused: it must be a stage every case goes
    /// through, after the first.
    private mutating func infusionStage(_ key: StageKey, _ node: Node, among stages: [Stage]) -> StageKey? {
        guard let index = stages.firstIndex(where: { $0.key == key }) else {
            let hint = DidYouMean.closest(to: key.rawValue, in: stages.map(\.key.rawValue)).map { " (did you mean \($0)?)" } ?? ""
            reader.fail("infusionStage", node, "\(key) is not a stage of this template\(hint); name the stage whose completion is the infusion", rule: "infusion-stage")
            return nil
        }
        if index == 0 {
            reader.fail("infusionStage", node, "\(key) is the first stage, which starts when the case is opened; the infusion must come after it", rule: "infusion-stage")
            return nil
        }
        if stages[index].skippable {
            reader.fail("infusionStage", node, "\(key) is skippable, but every infused case goes through the infusion; remove 'skippable' from it", rule: "infusion-stage")
            return nil
        }
        return key
    }
}
