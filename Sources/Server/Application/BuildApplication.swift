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
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "CurePath"),
        logger: logger
    )
}

/// The router alone, for in-process tests and benchmarks.
public func buildRouter(_ configuration: AppConfiguration, store: Store) async throws -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: AccessMiddleware(store: store, clock: configuration.clock, credentials: CredentialCache()))
    if configuration.cachesResponses {
        router.add(middleware: ResponseCacheMiddleware(cache: ResponseCache(), database: store.database))
    }
    let api = CurePathAPI(store: store, clock: configuration.clock)
    try api.registerHandlers(on: router.group("api/v1"), serverURL: URL(string: "/")!)
    let renderer = try await PageRenderer.load()
    WebRoutes(store: store, renderer: renderer, api: api).register(on: router)
    PriorAuthorizationRoutes(store: store, renderer: renderer, api: api).register(on: router)
    AgreementRoutes(store: store, renderer: renderer, api: api).register(on: router)
    CenterRoutes(store: store, renderer: renderer, api: api).register(on: router)
    ReportRoutes(store: store, renderer: renderer, api: api).register(on: router)
    SignInRoutes(store: store, renderer: renderer, clock: configuration.clock, throttle: SignInThrottle(), secureCookies: configuration.secureCookies)
        .register(on: router)
    let database = store.database.dialect.rawValue
    router.get("/health") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: "{\"status\":\"ok\",\"database\":\"\(database)\"}")))
    }
    let spec = try StaticResource.load("openapi.yaml")
    router.get("/openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: .init(bytes: spec)))
    }
    let stylesheet = try StaticResource.load("Static/curepath.css")
    router.get("/static/curepath.css") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"], body: .init(byteBuffer: .init(bytes: stylesheet)))
    }
    return router
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
