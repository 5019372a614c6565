import APIContract
import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import Storage

/// Builds the HTTP application over an opened store: the JSON API (generated from
/// `openapi.yaml`), the web pages, the spec itself, static assets and a health check, all
/// behind the problem+json and request-ID middleware.
///
/// `main`, the tests and the benchmark all call this, so what they exercise is what runs.
public func buildApplication(
    _ configuration: AppConfiguration, store: Store, logger: Logger? = nil
) async throws -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "curepath")
    logger.logLevel = configuration.logLevel
    let router = try await buildRouter(configuration, store: store)
    return Application(
        router: router,
        // A connection that sends no request (or only part of its headers) for 30 seconds is
        // closed: held open, such connections exhausted file descriptors (red-team pass 4).
        // Bodies have their own deadline (RequestBodyMiddleware.deadline(forLimit:)).
        server: .http1(configuration: .init(idleTimeout: .seconds(AppConfiguration.idleConnectionSeconds))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "CurePath"),
        logger: logger
    )
}

/// The router alone, for in-process tests and benchmarks.
///
/// Middleware runs in the order added: request IDs and problem+json outermost, then who the
/// caller is and whether they may use the route (``AccessMiddleware``), and only then the
/// request body (``RequestBodyMiddleware``, within the route's declared limit), the CSRF
/// proof a session form carries in that body, and the response cache. Every route declares
/// its ``RouteRule``: API operations in `openapi.yaml`, the rest through ``DeclaredRoutes``.
public func buildRouter(_ configuration: AppConfiguration, store: Store) async throws -> Router<CurePathRequestContext> {
    try await buildRoutes(configuration, store: store).router
}

/// The router and the rule every route declared, which tests hold against each other.
func buildRoutes(_ configuration: AppConfiguration, store: Store) async throws -> (router: Router<CurePathRequestContext>, rules: RouteRules) {
    let router = Router(context: CurePathRequestContext.self)
    let rules = RouteRules()
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: AccessMiddleware(store: store, clock: configuration.clock, credentials: CredentialCache(), rules: rules))
    router.add(middleware: RequestBodyMiddleware(rules: rules, gate: configuration.largeUploads))
    router.add(middleware: CSRFMiddleware())
    if configuration.cachesResponses {
        router.add(middleware: ResponseCacheMiddleware(cache: ResponseCache(), database: store.database))
    }
    for operation in try OperationRules.bundled() {
        rules.declare(operation.method, operation.path, operation.rule)
    }
    let api = CurePathAPI(store: store, clock: configuration.clock)
    try api.registerHandlers(on: router.group(RouterPath(OperationRules.apiPrefix)), serverURL: URL(string: "/")!)
    let renderer = try await PageRenderer.load()
    let routes = DeclaredRoutes(router: router, rules: rules)
    WebRoutes(store: store, renderer: renderer, api: api).register(on: routes)
    PriorAuthorizationRoutes(store: store, renderer: renderer, api: api).register(on: routes)
    AgreementRoutes(store: store, renderer: renderer, api: api).register(on: routes)
    CenterRoutes(store: store, renderer: renderer, api: api).register(on: routes)
    ReportRoutes(store: store, renderer: renderer, api: api).register(on: routes)
    ReferenceRoutes(store: store, renderer: renderer, api: api).register(on: routes)
    EntryRoutes(store: store, renderer: renderer, api: api).register(on: routes)
    LinkReviewRoutes(store: store, renderer: renderer, api: api).register(on: routes)
    ContractProposalRoutes(store: store, renderer: renderer, api: api).register(on: routes)
    SignInRoutes(store: store, renderer: renderer, clock: configuration.clock, throttle: SignInThrottle(limits: configuration.signInLimits),
                 clientAddress: configuration.clientAddress, secureCookies: configuration.secureCookies)
        .register(on: routes)
    let database = store.database.dialect.rawValue
    routes.get("/health", access: .open) { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: "{\"status\":\"ok\",\"database\":\"\(database)\"}")))
    }
    let spec = try StaticResource.load("openapi.yaml")
    routes.get("/openapi.yaml", access: .open) { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: .init(bytes: spec)))
    }
    let stylesheet = try StaticResource.load("Static/curepath.css")
    routes.get("/static/curepath.css", access: .open) { _, _ in
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"], body: .init(byteBuffer: .init(bytes: stylesheet)))
    }
    return (router, rules)
}

/// Files shipped in the module's `Resources` folder (copied whole into the bundle).
enum StaticResource {
    static func url(_ name: String) -> URL {
        Bundle.module.bundleURL.appendingPathComponent("Resources").appendingPathComponent(name)
    }

    static func load(_ name: String) throws -> Data {
        try Data(contentsOf: url(name))
    }
}
