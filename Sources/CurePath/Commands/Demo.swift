import ArgumentParser
import Core
import Foundation
import Server
import Storage

/// `curepath demo`: load the synthetic demo network into an empty database, as `serve`
/// does on first start, without starting the server.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo network into an empty database.")

    @Option(help: "Cases to generate.") var cases: Int = 300
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard (1...1_000_000).contains(cases) else { throw refusal("--cases: must be between 1 and 1000000") }
        let configuration = try database.configuration()
        let store = try await configuration.openStore()
        let today = CalendarDate.today(in: .current, now: configuration.clock())
        let bar = ProgressBar("loading demo network", total: cases)
        let loaded: Int
        do {
            loaded = try await DemoLoader.loadIfEmpty(into: store, today: today, caseCount: cases) { done, _ in bar.update(done) }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        guard loaded > 0 else {
            printError("\(configuration.database) already has data; the demo loads only into an empty database")
            throw ExitCode(1)
        }
        bar.finish("\(loaded) cases as of \(today)")
    }
}
