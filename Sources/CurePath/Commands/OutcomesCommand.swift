import ArgumentParser
import Core
import Foundation
import Outcomes
import Storage

/// `curepath outcomes import FILE`: load an outcome event file (CSV or JSON) — the way a
/// registry extract or a claims feed arrives until the registry feeds outcomes directly.
struct OutcomesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomes", abstract: "Load outcome events.", subcommands: [ImportOutcomes.self])
}

struct ImportOutcomes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record an outcome event file (CSV or JSON, up to 50 MB): every event, or none if any is refused. Re-running it changes nothing.")

    @Argument(help: "The file (format detected from its first character; see docs/FORMATS.md).") var file: String
    @Option(help: "The day the file was received (YYYY-MM-DD): the recordedOn of events that do not give one. Default: today, UTC.")
    var receivedOn: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let received: CalendarDate
        if let receivedOn {
            guard let day = CalendarDate(iso8601: receivedOn) else { throw refusal("--received-on: '\(receivedOn)' is not a date (YYYY-MM-DD)") }
            received = day
        } else {
            received = CalendarDate.today(in: TimeZone(identifier: "UTC")!)
        }
        let url = URL(fileURLWithPath: file)
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        guard let size else { throw refusal("\(file): cannot be read") }
        guard size <= OutcomeEventFile.maximumBytes else {
            throw refusal("\(file): \(size) bytes is over the \(OutcomeEventFile.maximumBytes / 1_048_576) MB limit; split the file")
        }
        let events: [OutcomeEvent]
        do {
            events = try OutcomeEventFile.parse(try Data(contentsOf: url), receivedOn: received)
        } catch let error as FileValidationError {
            throw refusal("\(file): \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"), nothing recorded: " + error.issues.map(\.description).joined(separator: "; "))
        }
        let configuration = try database.configuration()
        let store = try await Store.open(configuration.database, identityKeys: configuration.identityKeys, decisionClocks: configuration.decisionClocks)
        do {
            let result = try await store.outcomes.record(events)
            try await auditAdmin(store, action: "import-outcomes", object: "file:\(url.lastPathComponent)",
                                 detail: "\(result.recorded) recorded, \(result.alreadyRecorded) already recorded")
            await store.close()
            print("\(file): \(result.recorded) outcome events recorded, \(result.alreadyRecorded) already recorded")
        } catch let error as Core.ValidationError {
            await store.close()
            throw refusal("\(file): nothing recorded: " + error.issues.map { "\($0.field): \($0.problem)" }.joined(separator: "; "))
        } catch {
            await store.close()
            throw error
        }
    }
}
