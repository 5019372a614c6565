import ArgumentParser
import Core
import Foundation
import Linkage
import Outcomes

/// `curepath tokenize`: a center turns its patient list into tokens on its own machine, so
/// names and birth dates never leave it (docs/linkage.md).
///
/// Input: CSV with a header naming any of `record_id` (required), `given_name`, `family_name`,
/// `birth_date`, `sex`, `postal_code`. Output: CSV `record_id,T1,T2,T3,T5`, each token the
/// Open Link Token HMAC (base64, as openlinktoken writes it) — or, with `--partner-key-file`, encrypted under the partner's
/// key as the mediator expects. A rule a record cannot fill is left empty.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Turn a CSV of identifiers into a CSV of tokens, offline (docs/linkage.md).")

    @Argument(help: "The identifiers CSV.") var input: String
    @Option(help: "Where to write the tokens CSV.") var out: String
    @Option(name: .customLong("secret-file"), help: "A file holding the program's shared hashing secret.") var secretFile: String
    @Option(name: .customLong("partner-key-file"), help: "A file holding this partner's 32-byte key (64 hex digits, or 32 characters as openlinktoken takes it): tokens are encrypted for the mediator.")
    var partnerKeyFile: String?

    static let columns = ["record_id", "given_name", "family_name", "birth_date", "sex", "postal_code"]
    /// A million identifier rows (the table's row limit) at about 100 bytes a row, with room;
    /// the file is never read past this.
    static let maximumBytes = 200 * 1_048_576

    func run() async throws {
        let data = try readInput(input, upTo: Self.maximumBytes, or: "split the file")
        guard let secretText = try? String(contentsOfFile: secretFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !secretText.isEmpty else {
            throw refusal("--secret-file: \(secretFile) cannot be read or is empty")
        }
        var partnerKey: LinkageKey?
        if let partnerKeyFile {
            let hex = (try? String(contentsOfFile: partnerKeyFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if hex.count == 64, let bytes = LinkageKeys.hexBytes(hex) {
                partnerKey = LinkageKey(bytes: bytes)
            } else if hex.utf8.count == 32 {
                partnerKey = LinkageKey(utf8: hex)
            } else {
                throw refusal("--partner-key-file: must hold a 32-byte key: 64 hexadecimal digits or 32 characters")
            }
        }
        let (ids, records) = try Self.read(data, name: input)
        let generator: TokenGenerator
        let tokens: [[TokenRule: String]]
        do {
            generator = try TokenGenerator(hashingSecret: LinkageKey(utf8: secretText), latestBirthDate: CalendarDate.today(in: TimeZone(identifier: "UTC")!))
            tokens = try generator.tokens(for: records)
        } catch {
            throw refusal("\(input): " + error.issues.map { "\($0.field): \($0.problem)" }.joined(separator: "; "))
        }
        let rules = TokenRule.allCases
        var csv = "record_id," + rules.map(\.rawValue).joined(separator: ",") + "\n"
        for (id, row) in zip(ids, tokens) {
            var fields = [id]
            for rule in rules {
                guard let token = row[rule] else { fields.append(""); continue }
                if let partnerKey {
                    do { fields.append(try TokenTransformation.encrypt(token, partnerKey: partnerKey)) } catch { throw refusal(error.description) }
                } else {
                    fields.append(token)
                }
            }
            csv += fields.joined(separator: ",") + "\n"
        }
        do { try csv.write(toFile: out, atomically: true, encoding: .utf8) } catch { throw refusal("--out: \(out) cannot be written") }
        FileHandle.standardError.write(Data("tokenized \(ids.count) records into \(out); no identifier was written\n".utf8))
    }

    /// The record ids and identifier records of the CSV, or one line naming every problem.
    static func read(_ data: Data, name: String) throws -> ([String], [IdentifierRecord]) {
        let table: CSVTable
        do throws(Core.ValidationError) {
            table = try CSVTable.read(data, allowed: columns, required: ["record_id"])
        } catch {
            throw refusal("\(name): " + error.issues.prefix(20).map { "\($0.field): \($0.problem)" }.joined(separator: "; "))
        }
        var problems: [String] = []
        var ids: [String] = [], records: [IdentifierRecord] = []
        for row in table.rows {
            guard let id = row["record_id"] else { problems.append("line \(row.line): record_id is empty"); continue }
            ids.append(id)
            records.append(IdentifierRecord(givenName: row["given_name"], familyName: row["family_name"], birthDate: row["birth_date"],
                                            sex: row["sex"], postalCode: row["postal_code"]))
        }
        if Set(ids).count != ids.count { problems.append("record_id values must be unique") }
        guard problems.isEmpty else { throw refusal("\(name): " + problems.prefix(20).joined(separator: "; ")) }
        return (ids, records)
    }
}
