import Access

/// Who the current request acts for, set by ``AccessMiddleware`` for the duration of the
/// request. Handlers generated from the OpenAPI document receive no request context, so
/// the principal travels as a task-local value rather than a parameter.
enum RequestIdentity {
    struct Current: Sendable {
        var principal: Principal
        var requestID: String
        /// The session's CSRF token, for pages that render forms; `nil` for API tokens.
        var csrfToken: String?
        /// Names the credential (a token's or session's hash) without revealing it; caches
        /// key on it so that no caller is served another's view.
        var credentialKey: String
        /// What the request does, from its route's ``RouteRule``.
        var action: Action?
    }

    @TaskLocal static var current: Current?

    /// The case scope of the current request; `.none` when nobody is signed in (only
    /// public routes run without a principal, and they read no cases).
    static var caseScope: CaseScope { current.map { AccessPolicy.caseScope(of: $0.principal) } ?? .none }
    /// The centers whose registry record (follow-up, site burden) the current principal sees.
    static var registryScope: CaseScope { current.map { AccessPolicy.registryScope(of: $0.principal) } ?? .none }
}
