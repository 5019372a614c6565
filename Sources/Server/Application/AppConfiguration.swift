import Core
import Coverage
import Configuration
import Core
import Foundation
import HTTPTypes
import Linkage
import Logging
import Storage

/// How a CurePath server is set up: where it listens, which database it uses, whether it
/// loads the demo network. Filled from command-line flags, then `CUREPATH_*` environment
/// variables (read through swift-configuration), then these defaults.
public struct AppConfiguration: Sendable {
    /// Seconds a connection may stay open without a request before the server closes it.
    public static let idleConnectionSeconds: Int64 = 30

    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var database: DatabaseLocation = .sqliteFile(path: "./curepath.sqlite")
    /// Load the demo network into an empty database on start.
    public var loadDemo: Bool = true
    public var logLevel: Logger.Level = .info
    /// Mark the session cookie `Secure`: set when users reach CurePath over HTTPS (directly or
    /// through a TLS-terminating proxy), as every deployment beyond localhost should.
    public var secureCookies: Bool = false
    /// Which client sent a request, for sign-in throttling: the TCP peer, or behind a proxy
    /// the last address it appended to `CUREPATH_CLIENT_ADDRESS_HEADER` (`X-Forwarded-For`).
    public var clientAddress: ClientAddress = .peer
    /// How many failed sign-ins each client and account may make (tests lower them).
    var signInLimits = SignInThrottle.Limits()
    /// How many large request bodies are held at once (tests hold on to this one to watch it).
    var largeUploads = LargeUploadGate()
    /// Keys sealing personal identifiers at rest; the published development key unless
    /// `CUREPATH_IDENTITY_KEYS` gives real ones.
    public var identityKeys: IdentityKeyring = .development
    /// Keep responses to repeated reads until the data changes (``ResponseCache``); off
    /// with `CUREPATH_NO_RESPONSE_CACHE=1`, to measure or rule out the cache.
    public var cachesResponses: Bool = true
    /// Record-linkage secrets (`CUREPATH_LINKAGE_SECRET`, `CUREPATH_LINKAGE_MEDIATOR_KEY`,
    /// `CUREPATH_LINKAGE_PARTNER_KEYS`); published development keys unless all are given.
    public var linkageKeys: LinkageKeys = .development
    /// The key MACing the audit log and custody chains (`CUREPATH_AUDIT_KEY`); the published
    /// development key unless one is given.
    public var auditKeys: ChainKeys = .development
    /// Where the heads of those chains are checkpointed (`CUREPATH_AUDIT_HEADS`); by default
    /// beside a SQLite file, and nowhere lasting for PostgreSQL (``HeadCheckpoint``).
    public var auditHeadsPath: String?
    /// Prior-authorization decision clocks per plan type (`CUREPATH_PA_CLOCKS` overrides them).
    public var decisionClocks: DecisionClocks = .cmsDefaults
    /// The clock every "today" is read from; tests fix it.
    public var clock: @Sendable () -> Date = { Date() }

    public init() {}

    /// Reads `CUREPATH_HOST`, `CUREPATH_PORT`, `CUREPATH_DATABASE_URL`, `CUREPATH_DATABASE_PATH`,
    /// `CUREPATH_LOG_LEVEL`, `CUREPATH_NO_DEMO`, `CUREPATH_NO_RESPONSE_CACHE` and
    /// `CUREPATH_CLIENT_ADDRESS_HEADER`; flags given explicitly win over them.
    public static func fromEnvironment(
        host: String? = nil, port: Int? = nil, databaseURL: String? = nil, databasePath: String? = nil, noDemo: Bool = false,
        reader: ConfigReader = ConfigReader(provider: EnvironmentVariablesProvider())
    ) throws -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.host = host ?? reader.string(forKey: "curepath.host", default: configuration.host)
        configuration.port = port ?? reader.int(forKey: "curepath.port", default: configuration.port)
        let url = databaseURL ?? reader.string(forKey: "curepath.database.url", isSecret: true)
        let path = databasePath ?? reader.string(forKey: "curepath.database.path", default: "./curepath.sqlite")
        configuration.database = try DatabaseLocation.from(databaseURL: url, sqlitePath: path)
        configuration.loadDemo = !(noDemo || reader.bool(forKey: "curepath.no.demo", default: false))
        configuration.secureCookies = reader.bool(forKey: "curepath.secure.cookies", default: false)
        configuration.cachesResponses = !reader.bool(forKey: "curepath.no.response.cache", default: false)
        if let header = reader.string(forKey: "curepath.client.address.header"), !header.isEmpty {
            guard HTTPField.Name(header) != nil else {
                throw ValidationError(field: "CUREPATH_CLIENT_ADDRESS_HEADER", problem: "must be a header name such as X-Forwarded-For, got \"\(header.prefix(40))\"")
            }
            configuration.clientAddress = .forwarded(header: header)
        }
        if let keys = reader.string(forKey: "curepath.identity.keys", isSecret: true), !keys.isEmpty {
            configuration.identityKeys = try IdentityKeyring.parse(keys)
        }
        if let secret = reader.string(forKey: "curepath.linkage.secret", isSecret: true), !secret.isEmpty {
            configuration.linkageKeys = try LinkageKeys.parse(
                secret: secret, mediatorKey: reader.string(forKey: "curepath.linkage.mediator.key", isSecret: true) ?? "",
                partnerKeys: reader.string(forKey: "curepath.linkage.partner.keys", isSecret: true) ?? "")
        }
        if let keys = reader.string(forKey: "curepath.audit.key", isSecret: true), !keys.isEmpty {
            configuration.auditKeys = try ChainKeys.parse(keys)
        }
        if let heads = reader.string(forKey: "curepath.audit.heads"), !heads.isEmpty { configuration.auditHeadsPath = heads }
        if let clocks = reader.string(forKey: "curepath.pa.clocks"), !clocks.isEmpty {
            configuration.decisionClocks = try DecisionClocks.parse(clocks)
        }
        if let level = reader.string(forKey: "curepath.log.level").flatMap(Logger.Level.init(rawValue:)) {
            configuration.logLevel = level
        }
        return configuration
    }
}
