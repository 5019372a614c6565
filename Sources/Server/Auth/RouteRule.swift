import Access

/// What a route requires before its handler runs: who may call it, and the largest request
/// body it reads.
///
/// Each route declares its rule where it is defined — an API operation in `openapi.yaml`
/// (``OperationRules``), a page where it is registered (``DeclaredRoutes``) — and
/// ``RouteRules`` collects them. ``AccessMiddleware`` refuses a route with no rule.
struct RouteRule: Sendable, Equatable {
    enum Access: Sendable, Equatable {
        /// Anyone, signed in or not: health, the spec, static files, signing in and out.
        case open
        /// Callers whose role, organization kind and token scopes allow this action.
        case action(Action)
    }

    var access: Access
    /// The most bytes of request body the route reads; ``RequestBodyMiddleware`` refuses a
    /// larger body with 413 as soon as it passes this, before the rest arrives.
    var bodyLimit: Int

    init(_ access: Access, bodyLimit: Int = Self.defaultBodyLimit) {
        self.access = access
        self.bodyLimit = bodyLimit
    }

    var action: Action? {
        if case .action(let action) = access { return action }
        return nil
    }

    /// JSON writes of the API unless the operation says otherwise (Hummingbird's own default).
    static let defaultBodyLimit = 2 * 1_048_576
    /// A page's form post: a few fields and the CSRF token.
    static let formBodyLimit = 64 * 1024

    /// A size as people write it: `64 KiB`, `50 MiB`.
    static func describe(bytes: Int) -> String {
        if bytes >= 1_048_576, bytes % 1_048_576 == 0 { return "\(bytes / 1_048_576) MiB" }
        if bytes >= 1024, bytes % 1024 == 0 { return "\(bytes / 1024) KiB" }
        return "\(bytes) bytes"
    }

    /// Reads a size as the spec writes it: `65536`, `64 KiB` or `50 MiB`.
    static func bytes(_ text: String) -> Int? {
        let parts = text.split(separator: " ")
        guard let count = parts.first.flatMap({ Int($0) }), count >= 0 else { return nil }
        switch parts.count == 2 ? String(parts[1]) : parts.count == 1 ? "" : "?" {
        case "": return count
        case "KiB": return count * 1024
        case "MiB": return count * 1_048_576
        default: return nil
        }
    }
}
