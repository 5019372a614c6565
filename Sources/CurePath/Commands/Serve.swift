import ArgumentParser
import Core
import Foundation
import Hummingbird
import Logging
import Server
import Storage

/// `curepath serve`: migrate, load the demo network into an empty database, and serve the
/// API and pages until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server (API, pages, /openapi.yaml).")

    @Option(help: "Address to listen on. Default: $CUREPATH_HOST or 127.0.0.1.")
    var host: String?

    @Option(help: "Port to listen on. Default: $CUREPATH_PORT or 8080.")
    var port: Int?

    @Flag(help: "Do not load the demo network into an empty database.")
    var noDemo = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let configuration = try database.configuration(host: host, port: port, noDemo: noDemo)
        var logger = Logger(label: "curepath")
        logger.logLevel = configuration.logLevel
        logger.info("opening \(configuration.database)")
        if configuration.identityKeys.isDevelopment {
            logger.warning("personal identifiers are sealed with the published development key: set CUREPATH_IDENTITY_KEYS (curepath admin generate-identity-key) before storing real data")
        }
        if configuration.linkageKeys.isDevelopment {
            logger.warning("record linkage uses the published development keys: set CUREPATH_LINKAGE_SECRET, CUREPATH_LINKAGE_MEDIATOR_KEY and CUREPATH_LINKAGE_PARTNER_KEYS before linking real records")
        }
        if configuration.auditKeys.isDevelopment {
            logger.warning("the audit log and custody chains are MACed with the published development key: set CUREPATH_AUDIT_KEY (curepath admin generate-audit-key) before storing real data")
        }
        if case .postgres = configuration.database, configuration.auditHeadsPath == nil {
            logger.warning("no head checkpoint is kept for PostgreSQL: set CUREPATH_AUDIT_HEADS to a file outside the database, or deleted audit and custody entries at the tail go unnoticed")
        }
        let store = try await configuration.openStore(logger: logger)
        do {
            if configuration.loadDemo {
                let today = CalendarDate.today(in: .current, now: configuration.clock())
                let bar = ProgressBar("loading demo network", total: 300)
                let loaded = try await DemoLoader.loadIfEmpty(into: store, today: today) { done, _ in bar.update(done) }
                if loaded > 0 { bar.finish("\(loaded) cases as of \(today)") }
            }
            let app = try await buildApplication(configuration, store: store, logger: logger)
            try await app.runService()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}

/// `curepath migrate`: apply pending schema migrations and exit.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let configuration = try database.configuration()
        let db = try await Storage.Database.open(configuration.database)
        do {
            let applied = try await Migrator.migrate(db, identityKeys: configuration.identityKeys)
            print(applied.isEmpty ? "\(configuration.database): schema is up to date" : "\(configuration.database): applied \(applied.joined(separator: ", "))")
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
