import Access

/// The signed-in viewer of the current request, for deciding which links and forms a page
/// offers. Offering is only courtesy: every route is guarded by its own declared rule.
enum Viewer {
    static func may(_ action: Action) -> Bool {
        RequestIdentity.current.map { AccessPolicy.decide($0.principal, action).isAllowed } ?? false
    }
}
