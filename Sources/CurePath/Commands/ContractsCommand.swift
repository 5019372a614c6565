import ArgumentParser
import CareNetwork
import Contracts
import Core
import Foundation
import Outcomes
import Storage

/// `curepath contracts file|list|enroll`: contract versions from their files, and the
/// treated patients settled under them.
struct ContractsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contracts", abstract: "File and list outcomes-based contracts; enroll treated patients.",
        subcommands: [FileContract.self, ListContracts.self, EnrollPatients.self])
}

struct FileContract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file", abstract: "File a contract version from its contract file (docs/CONTRACTS.md); filing the same file again changes nothing.")

    @Argument(help: "The contract file (YAML or JSON).") var file: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let data = try readInput(file, upTo: ContractFile.maximumBytes, or: "a contract is a page or two of terms; check that this is the right file")
        let terms: ContractTerms
        do throws(FileValidationError) {
            terms = try ContractFile.parse(data)
        } catch {
            throw refusal("\(file): \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"), nothing filed: " + error.issues.map(\.description).joined(separator: "; "))
        }
        let filing: ContractFiling = try await database.withStore(filing: file) { store in
            let filing = try await store.contracts.store(terms, document: String(decoding: data, as: UTF8.self))
            if case .stored(let version) = filing {
                try await auditAdmin(store, action: "file-contract", object: "contract:\(terms.id)@\(version)")
            }
            return filing
        }
        switch filing {
        case .stored(let version): print("filed \(terms.id) version \(version): \(terms.title ?? terms.product.rawValue)")
        case .alreadyStored(let version): print("\(terms.id) version \(version) was already filed; nothing changed")
        }
    }
}

struct ListContracts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every contract version.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let versions = try await database.withStore { try await $0.contracts.allVersions() }
        for terms in versions {
            print("\(terms.id)@\(terms.version)\t\(terms.product)\t\(terms.unitPrice)\tfrom \(terms.effective.from)\t\(terms.portability.rule.rawValue)\t\(terms.title ?? "")")
        }
    }
}

struct EnrollPatients: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Enroll treated patients from a CSV file: patient_id,contract_id,product_id,infusion_date,paying_payer[,center_id]. All or none.")

    @Argument(help: "The CSV file.") var file: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw refusal("\(file): cannot be read as UTF-8") }
        var patients: [TreatedPatient] = []
        var problems: [String] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() where index > 0 && !line.isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 5 || fields.count == 6 else { problems.append("line \(index + 1): expected 5 or 6 fields, got \(fields.count)"); continue }
            guard let infusion = CalendarDate(iso8601: fields[3]) else { problems.append("line \(index + 1): infusion_date: '\(fields[3])' is not a date"); continue }
            patients.append(TreatedPatient(
                patientID: PatientID(fields[0]), productID: ProductID(fields[2]), infusionDate: infusion, contractID: ContractID(fields[1]),
                payingPayer: PayerID(fields[4]), centerID: fields.count == 6 && !fields[5].isEmpty ? CenterID(fields[5]) : nil))
        }
        guard problems.isEmpty else { throw refusal("\(file): nothing enrolled: " + problems.joined(separator: "; ")) }
        do {
            let enrolled = try await database.withStore { store in
                let enrolled = try await store.contracts.enroll(patients)
                try await auditAdmin(store, action: "enroll-treated-patients", object: "file:\(URL(fileURLWithPath: file).lastPathComponent)", detail: "\(enrolled) new")
                return enrolled
            }
            print("\(enrolled) treated patients enrolled, \(patients.count - enrolled) already enrolled")
        } catch let error as Core.ValidationError {
            throw refusal("\(file): nothing enrolled: " + error.issues.map { "\($0.field): \($0.problem)" }.joined(separator: "; "))
        }
    }
}
