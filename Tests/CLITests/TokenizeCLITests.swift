import CurePathTesting
import Foundation
import Testing

@Suite("curepath tokenize")
struct TokenizeCLITests {
    struct Golden: Decodable {
        struct Person: Decodable {
            var record: [String: String]
            var tokens: [String: String]
        }
        var hashingSecret: String
        var people: [Person]
    }

    @Test("tokens written offline equal openlinktoken's for the same people; no identifier is written; a bad file is one line")
    func tokenize() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: root.appendingPathComponent("Tests/LinkageTests/Golden/tokens.json")))
        let people = golden.people.filter { $0.tokens.count == 4 }.prefix(5)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenize-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func quoted(_ text: String?) -> String { "\"" + (text ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var csv = "record_id,given_name,family_name,birth_date,sex,postal_code\n"
        for (index, person) in people.enumerated() {
            let r = person.record
            csv += ["p\(index)", quoted(r["givenName"]), quoted(r["familyName"]), quoted(r["birthDate"]), quoted(r["sex"]), quoted(r["postalCode"])].joined(separator: ",") + "\n"
        }
        let input = directory.appendingPathComponent("ids.csv"), secret = directory.appendingPathComponent("secret"), out = directory.appendingPathComponent("tokens.csv")
        try csv.write(to: input, atomically: true, encoding: .utf8)
        try golden.hashingSecret.write(to: secret, atomically: true, encoding: .utf8)
        let run = try CurePathProcess.run(["tokenize", input.path, "--out", out.path, "--secret-file", secret.path])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first == "record_id,T1,T2,T3,T5")
        for (index, person) in people.enumerated() {
            let fields = lines[index + 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields == ["p\(index)", person.tokens["T1"]!, person.tokens["T2"]!, person.tokens["T3"]!, person.tokens["T5"]!])
            if let family = person.record["familyName"], family.count > 2 { #expect(!lines[index + 1].contains(family)) }
        }
        try "given_name\nAnn\n".write(to: input, atomically: true, encoding: .utf8)
        let refused = try CurePathProcess.run(["tokenize", input.path, "--out", out.path, "--secret-file", secret.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains("record_id"))
    }
}
