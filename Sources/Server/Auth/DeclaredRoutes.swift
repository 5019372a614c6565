import Access
import HTTPTypes
import Hummingbird

/// Registers the routes that are not API operations (pages, sign-in, health, the spec, static
/// files) together with their ``RouteRule``: a page cannot be added without saying which
/// action it performs, or that it is open to anyone.
///
/// ```swift
/// routes.get("/cases/:caseId", action: .readCases, use: casePage)
/// routes.post("/cases/:caseId/events", action: .writeCases, use: recordEvent)
/// routes.get("/health", access: .open) { … }
/// ```
struct DeclaredRoutes<Context: RequestContext> {
    let router: Router<Context>
    let rules: RouteRules

    func get(
        _ path: RouterPath, action: Action,
        use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator
    ) {
        on(path, .get, RouteRule(.action(action), bodyLimit: 0), handler)
    }

    func get(
        _ path: RouterPath, access: RouteRule.Access,
        use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator
    ) {
        on(path, .get, RouteRule(access, bodyLimit: 0), handler)
    }

    /// A form post; `bodyLimit` is the most the form may send (``RouteRule/formBodyLimit``
    /// unless it carries a file or long text).
    func post(
        _ path: RouterPath, action: Action, bodyLimit: Int = RouteRule.formBodyLimit,
        use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator
    ) {
        on(path, .post, RouteRule(.action(action), bodyLimit: bodyLimit), handler)
    }

    func post(
        _ path: RouterPath, access: RouteRule.Access, bodyLimit: Int = RouteRule.formBodyLimit,
        use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator
    ) {
        on(path, .post, RouteRule(access, bodyLimit: bodyLimit), handler)
    }

    private func on(
        _ path: RouterPath, _ method: HTTPRequest.Method, _ rule: RouteRule,
        _ handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator
    ) {
        rules.declare(method, path, rule)
        router.on(path, method: method, use: handler)
    }
}
