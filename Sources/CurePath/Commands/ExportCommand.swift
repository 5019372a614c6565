import ArgumentParser
import CareNetwork
import Core
import Foundation
import NIOConcurrencyHelpers
import Research
import Storage

/// `curepath export`: data leaving CurePath for analysis elsewhere.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export data for research.", subcommands: [ExportOMOP.self])
}

/// `curepath export omop --out DIR`: the registry as OMOP CDM v5.4 CSV files for a research
/// site (docs/OMOP.md), keyed by research IDs computed under a key the operator supplies.
///
/// The key is checked before the database is opened, so a missing or malformed key costs
/// nothing and leaves no audit entry; the read itself is audited (`export-research`).
struct ExportOMOP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omop",
        abstract: "Write the eight OMOP CDM v5.4 tables as CSV files, keyed by research ID (docs/OMOP.md); the read is audited.")

    @Option(help: "The directory to write person.csv, observation_period.csv, … into (created if missing; the files are replaced).")
    var out: String
    @Option(name: .customLong("research-key-file"), help: "A file holding the research key: 32 random bytes as 64 hex digits or base64. Default: $CUREPATH_RESEARCH_KEY.")
    var researchKeyFile: String?
    @OptionGroup var database: DatabaseOptions

    static let keyVariable = "CUREPATH_RESEARCH_KEY"

    func run() async throws {
        let key = try researchKey()
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        do {
            // Owner-only: the files are a limited data set (dates of treatment, year of birth).
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw refusal("--out: \(out) cannot be created")
        }
        let operatorName = ProcessInfo.processInfo.environment["USER"] ?? "console"
        let (records, products) = try await database.withStore { store in
            // The total is known only once the reader has counted the treated patients.
            let bar = NIOLockedValueBox<ProgressBar?>(nil)
            let result = try await ResearchExportReader(database: store.database, audit: store.audit).read(
                userID: "cli:\(operatorName)", organizationID: nil, purpose: "research-export: OMOP CDM v5.4 extract written to \(directory.lastPathComponent)"
            ) { done, total in
                bar.withLockedValue { current in
                    if current == nil { current = ProgressBar("reading", total: total) }
                    current?.update(done)
                }
            }
            bar.withLockedValue { $0 }?.finish("\(result.records.count) treated patients")
            return result
        }
        let patients = records.map { record in
            ResearchPatient(
                patientID: record.patient.id, birthYear: record.patient.birthYear, sex: record.patient.sex,
                infusions: record.infusions.map { .init(productID: $0.productID, date: $0.infusionDate) },
                diagnoses: record.diagnoses.map { .init(code: $0.code, date: $0.date) }, events: record.events)
        }
        let mapping = ProgressBar("mapping", total: patients.count)
        let extract: OMOPExtract
        do {
            extract = try OMOPExport.extract(patients, products: products, key: key) { mapping.update($0) }
        } catch {
            throw refusal("nothing written: " + error.issues.prefix(20).map { "\($0.field): \($0.problem)" }.joined(separator: "; "))
        }
        mapping.finish()
        for table in OMOPTable.allCases {
            let file = directory.appendingPathComponent(table.fileName)
            let data = Data(extract.csv(table).utf8)
            try? FileManager.default.removeItem(at: file)
            guard FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw refusal("--out: \(file.path) cannot be written")
            }
            print("\(table.name): \(extract.rows(table).count) rows → \(file.path)")
        }
    }

    /// The key from `--research-key-file`, else the environment; a refusal naming where it
    /// looked when there is none or it is not a key.
    func researchKey() throws -> ResearchKey {
        let text: String
        let field: String
        if let researchKeyFile {
            guard let contents = try? String(contentsOfFile: researchKeyFile, encoding: .utf8) else {
                throw refusal("--research-key-file: \(researchKeyFile) cannot be read")
            }
            (text, field) = (contents, "--research-key-file")
        } else if let value = ProcessInfo.processInfo.environment[Self.keyVariable], !value.isEmpty {
            (text, field) = (value, Self.keyVariable)
        } else {
            throw refusal("no research key: give --research-key-file or set \(Self.keyVariable) (32 random bytes, e.g. `openssl rand -hex 32`)")
        }
        do {
            return try ResearchKey.parse(text, field: field)
        } catch {
            throw refusal(error.issues.map { "\($0.field): \($0.problem)" }.joined(separator: "; "))
        }
    }
}
