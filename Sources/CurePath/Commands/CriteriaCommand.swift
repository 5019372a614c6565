import ArgumentParser
import CareNetwork
import Core
import Criteria
import FHIR
import Foundation
import Storage

/// `curepath criteria check|file|list|evaluate`: criteria files checked and filed, and a
/// patient's facts evaluated against every candidate set from the terminal.
struct CriteriaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "criteria", abstract: "Check, file and list PA criteria sets; evaluate a patient's facts against them.",
        subcommands: [CheckCriteria.self, FileCriteria.self, ListCriteria.self, EvaluateCriteria.self])
}

/// Reads and parses a criteria file, or refuses with every problem on one line.
func readCriteriaFile(_ path: String) throws -> (set: CriteriaSet, text: String) {
    let data = try readInput(path, upTo: CriteriaFile.maximumBytes, or: "a criteria set is a page; check that this is the right file")
    do throws(CriteriaFileError) {
        return (try CriteriaFile.parse(data), String(decoding: data, as: UTF8.self))
    } catch {
        throw refusal("\(path): \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"): " + error.issues.map(\.description).joined(separator: "; "))
    }
}

struct CheckCriteria: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check criteria files without filing them; with --standard, list each one's differences from it.")

    @Argument(help: "Criteria files (YAML or JSON).") var files: [String]
    @Option(help: "A regional-standard criteria file to compare against.") var standard: String?

    func run() async throws {
        guard !files.isEmpty else { throw refusal("name at least one criteria file") }
        let baseline = try standard.map(readCriteriaFile)?.set
        for file in files {
            let set = try readCriteriaFile(file).set
            print("\(file): ok — \(set.id) version \(set.version), \(set.owner), \(set.product), \(set.basis.rawValue), \(set.criteria.count) criteria")
            if let baseline {
                let differences = CriteriaDifference.between(set, standard: baseline)
                for difference in differences { print("  \(difference)") }
                if differences.isEmpty { print("  same as \(baseline.id)") }
            }
        }
    }
}

struct FileCriteria: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file", abstract: "File a criteria set version from its file; filing the same file again changes nothing.")

    @Argument(help: "The criteria file.") var file: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let (set, text) = try readCriteriaFile(file)
        let filing: CriteriaFiling = try await database.withStore(filing: file) { store in
            let filing = try await store.criteria.store(set, document: text)
            if case .stored(let version) = filing { try await auditAdmin(store, action: "file-criteria", object: "criteria:\(set.id)@\(version)") }
            return filing
        }
        switch filing {
        case .stored(let version): print("filed \(set.id) version \(version): \(set.title ?? set.indication)")
        case .alreadyStored(let version): print("\(set.id) version \(version) was already filed; nothing changed")
        }
    }
}

struct ListCriteria: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the newest version of every criteria set.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        for set in try await database.withStore({ try await $0.criteria.latestVersions() }) {
            print("\(set.id)@\(set.version)\t\(set.owner)\t\(set.product)\t\(set.basis.rawValue)\tfrom \(set.effectiveFrom)\t\(set.criteria.count) criteria")
        }
    }
}

struct EvaluateCriteria: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate one patient's facts (JSON, or a FHIR R4 Bundle with --fhir) against criteria files, printing each verdict and the merged pretest plan.")

    @Argument(help: "The patient's clinical facts: ClinicalFacts JSON (docs/CRITERIA.md) or, with --fhir, a FHIR R4 Bundle.") var facts: String
    @Option(name: .customLong("set"), help: "A criteria file to evaluate against (repeat for several).") var sets: [String] = []
    @Flag(help: "The facts file is a FHIR R4 Bundle.") var fhir = false
    @Option(help: "The patient id, for a FHIR bundle.") var patient: String = "pat-cli"
    @Option(name: .customLong("birth-date"), help: "The birth date, for age criteria (YYYY-MM-DD); not kept anywhere.") var birthDate: String?
    @Option(name: .customLong("as-of"), help: "The evaluation date (YYYY-MM-DD); default today (UTC).") var asOf: String?
    @Option(name: .customLong("submit-by"), help: "The planned submission date for the pretest plan; default 14 days after --as-of.") var submitBy: String?

    func run() async throws {
        guard !sets.isEmpty else { throw refusal("--set: name at least one criteria file") }
        let candidates = try sets.map { try readCriteriaFile($0).set }
        let data = try readInput(facts, upTo: ClinicalFactsImport.maximumBytes, or: "send one patient's facts")
        var record: ClinicalFacts
        if fhir {
            let id: PatientID
            do { id = try PatientID.validated(patient, field: "--patient") } catch { throw refusal(error.description) }
            do throws(FHIRError) {
                let result = try ClinicalFactsImport.read(Array(data), patient: id)
                record = result.facts
                for item in result.unmapped { printError("\(facts): not mapped: \(item)") }
            } catch {
                throw refusal("\(facts): " + error.issues.map { "\($0.path): \($0.problem)" }.joined(separator: "; "))
            }
        } else {
            do {
                record = try JSONDecoder().decode(ClinicalFacts.self, from: data).validated()
            } catch let error as Core.ValidationError {
                throw refusal("\(facts): " + error.description)
            } catch {
                throw refusal("\(facts): not clinical facts JSON: \(error)")
            }
        }
        do {
            if let birthDate { record.birthDate = try CalendarDate.parse(birthDate, field: "--birth-date") }
            let day = try asOf.map { try CalendarDate.parse($0, field: "--as-of") } ?? CalendarDate.today(in: TimeZone(identifier: "UTC")!)
            let deadline = try submitBy.map { try CalendarDate.parse($0, field: "--submit-by") } ?? day.adding(days: 14)
            let evaluation = PatientEvaluation.make(record, candidates: candidates, asOf: day, submitBy: deadline)
            print(EvaluationText.render(evaluation))
        } catch let error as Core.ValidationError {
            throw refusal(error.description)
        }
    }
}

/// A patient evaluation as plain text for the terminal.
enum EvaluationText {
    static func render(_ evaluation: PatientEvaluation) -> String {
        var lines = ["patient \(evaluation.patient) as of \(evaluation.asOf)"]
        for set in evaluation.evaluations {
            lines.append("\n\(set.set)@\(set.version) (\(set.owner)): \(set.verdict.rawValue)\(set.inEffect ? "" : " [not in effect]")")
            for result in set.results {
                let detail = result.status == .unknown ? result.missing.map(\.description).joined(separator: "; ") : result.evidence.map(\.description).joined(separator: "; ")
                lines.append("  \(result.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(result.key): \(result.requirement)" + (detail.isEmpty ? "" : " — \(detail)"))
            }
        }
        lines.append("\npretest plan (submit by \(evaluation.pretestPlan.submitBy)):")
        for item in evaluation.pretestPlan.items { lines.append("  do \(item)") }
        for done in evaluation.pretestPlan.alreadyDone { lines.append("  on file: \(done.name) from \(done.date), counts until \(done.validUntil)") }
        for missing in evaluation.pretestPlan.otherMissing { lines.append("  also missing: \(missing)") }
        if evaluation.pretestPlan.items.isEmpty && evaluation.pretestPlan.otherMissing.isEmpty { lines.append("  nothing to do") }
        for group in evaluation.differences where !group.differences.isEmpty {
            lines.append("\n\(group.set) differs from \(group.standard):")
            for difference in group.differences { lines.append("  \(difference)") }
        }
        return lines.joined(separator: "\n")
    }
}
