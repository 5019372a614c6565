import ArgumentParser
import CareNetwork
import Core
import FHIR
import Foundation
import Outcomes
import Server
import Storage

/// `curepath outcomes import FILE`: load an outcome event file (CSV or JSON) — the way a
/// registry extract or a claims feed arrives until the registry feeds outcomes directly.
/// `curepath outcomes import-fhir BUNDLE`: the same from a FHIR R4 Bundle.
struct OutcomesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomes", abstract: "Load outcome events.", subcommands: [ImportOutcomes.self, ImportFHIROutcomes.self])
}

/// The `--received-on` day, or today in UTC.
private func receivedDay(_ text: String?) throws -> CalendarDate {
    guard let text else { return CalendarDate.today(in: TimeZone(identifier: "UTC")!) }
    guard let day = CalendarDate(iso8601: text) else { throw refusal("--received-on: '\(text)' is not a date (YYYY-MM-DD)") }
    return day
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
        let received = try receivedDay(receivedOn)
        let bytes = [UInt8](try readInput(file, upTo: OutcomeEventFile.maximumBytes, or: "split the file"))
        let result = try await database.withStore { store in
            let vocabulary = try await store.outcomeVocabulary()
            let notices: [FileValidationError.Issue]
            let batch: any OutcomeEventChunks
            do {
                // A CSV file is checked whole, then its events read and recorded a chunk at a
                // time, so an 800,000-event file never exists as 800,000 events (docs/PERFORMANCE.md).
                if OutcomeEventFile.Format.detect(bytes) == .csv {
                    let checked = try OutcomeCSVChunks(checking: bytes, receivedOn: received, vocabulary: vocabulary)
                    (notices, batch) = (checked.notices, checked)
                } else {
                    let reading = try OutcomeEventFile.read(bytes, receivedOn: received, vocabulary: vocabulary)
                    (notices, batch) = (reading.notices, OutcomeEventList(reading.events))
                }
            } catch let error as FileValidationError {
                throw refusal("\(file): \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"), nothing recorded: " + error.issues.map(\.description).joined(separator: "; "))
            }
            // Codes of the sender's own are recorded; say once, on stderr, that no measure reads them.
            for notice in notices { printError("\(file): note: \(notice.description)") }
            let result: OutcomeBatchResult
            do {
                result = try await store.outcomes.record(chunks: batch)
            } catch let error as Core.ValidationError {
                throw refusal("\(file): nothing recorded: " + error.issues.map { "\($0.field): \($0.problem)" }.joined(separator: "; "))
            }
            try await auditAdmin(store, action: "import-outcomes", object: "file:\(URL(fileURLWithPath: file).lastPathComponent)",
                                 detail: "\(result.recorded) recorded, \(result.alreadyRecorded) already recorded")
            return result
        }
        print("\(file): \(result.recorded) outcome events recorded, \(result.alreadyRecorded) already recorded")
    }
}

/// `curepath outcomes import-fhir BUNDLE --source NAME`: record the outcome events of a FHIR
/// R4 Bundle, mapped through the outcome code dictionary (docs/FHIR.md, docs/OUTCOME_CODES.md).
///
/// Patients are named by CurePath patient ID: an identifier in the system PAS requests carry
/// (`https://curepath.example/fhir/patient`), on the subject or on the Patient it points to.
/// A refused bundle prints one line per error on stderr and records nothing; a bundle read
/// twice records nothing the second time, because event IDs come from the resources.
struct ImportFHIROutcomes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-fhir",
        abstract: "Record the outcome events of a FHIR R4 Bundle (JSON, up to 10 MB): every event, or none if any entry is refused. Re-running it changes nothing.")

    @Argument(help: "The bundle (collection, transaction, batch or searchset).") var file: String
    @Option(help: "Who reported the outcomes (registry, a center's feed): recorded on each event and part of its ID.") var source: String
    @Option(help: "The day the bundle was received (YYYY-MM-DD): each event's recordedOn. Default: today, UTC.")
    var receivedOn: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let received = try receivedDay(receivedOn)
        let bytes = [UInt8](try readInput(file, upTo: OutcomeBundleImport.maximumBytes, or: "split the bundle"))
        let (intake, outcome) = try await database.withStore { store in
            let intake = try await OutcomeBundleIntake.read(bytes, source: source, receivedOn: received, store: store)
            let result = intake.result
            guard result.isAccepted else {
                for error in result.errors { printError("\(file): \(error)") }
                printError("\(file): \(result.errors.count) error\(result.errors.count == 1 ? "" : "s"), nothing recorded")
                throw ExitCode(64)
            }
            let outcome: OutcomeBatchResult
            do {
                outcome = try await store.outcomes.record(intake.events)
            } catch let error as Core.ValidationError {
                for issue in error.issues.map(intake.located) { printError("\(file): \(issue.field): \(issue.problem)") }
                throw ExitCode(64)
            }
            try await auditAdmin(store, action: "import-outcomes", object: "file:\(URL(fileURLWithPath: file).lastPathComponent)",
                                 detail: "FHIR, source \(source): \(outcome.recorded) recorded, \(outcome.alreadyRecorded) already recorded")
            return (intake, outcome)
        }
        for entry in intake.result.unmapped { print("not an outcome: \(entry)") }
        let ignored = intake.ignoredWithdrawals
        let withdrawn = ignored > 0 ? ", \(ignored) withdrawn resource\(ignored == 1 ? "" : "s") never recorded" : ""
        print("\(file): \(outcome.recorded) outcome events recorded, \(outcome.alreadyRecorded) already recorded\(withdrawn)")
    }
}
