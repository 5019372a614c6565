/// Every journey template a network can use — CurePath's own and the versions it filed —
/// and the one way a case, a product or a page finds the template it names.
///
/// A reference is a template id (`car-t`, or a filed template's id, meaning its newest
/// version) or a pinned `id@version`, which is what a case opened on a filed template keeps
/// (``JourneyTemplate/reference``). Shipped ids cannot be filed, so an id alone names the
/// same shipped template in every deployment.
public struct JourneyTemplateCatalog: Sendable, Equatable {
    /// Filed templates, every version, by id and then version.
    public private(set) var filed: [JourneyTemplate]
    private var byReference: [String: JourneyTemplate] = [:]

    public init(filed: [JourneyTemplate]) {
        self.filed = filed.filter { !JourneyTemplate.isBuiltIn($0.id) }.sorted { ($0.id, $0.version) < ($1.id, $1.version) }
        for template in JourneyTemplate.builtIn { byReference[template.id] = template }
        for template in self.filed {
            byReference["\(template.id)@\(template.version)"] = template
            // Sorted by version, so the last one written is the newest.
            byReference[template.id] = template
        }
    }

    /// Only what CurePath ships: what a database with nothing filed resolves.
    public static let builtIn = JourneyTemplateCatalog(filed: [])

    /// The template `reference` names, or `nil` when there is none.
    public func template(for reference: String) -> JourneyTemplate? { byReference[reference] }

    /// The shipped templates, then the newest version of each filed one: what a product may
    /// name today.
    public var current: [JourneyTemplate] {
        JourneyTemplate.builtIn + filed.filter { byReference[$0.id] == $0 }
    }

    /// The stage names of every template, for labelling stored stage keys (metrics, the case
    /// list): shipped names first, then the names filed templates add.
    public func stageName(_ key: StageKey) -> String? {
        for template in JourneyTemplate.builtIn + filed.reversed() {
            if let stage = template.stage(key) { return stage.name }
        }
        return nil
    }
}
