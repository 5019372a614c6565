import CurePathTesting
import Foundation
import Testing

@Suite("curepath criteria and bench criteria")
struct CriteriaCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func example(_ path: String) -> String { root.appendingPathComponent("Examples/\(path)").path }

    @Test("check lists each set's differences from the standard; a typo is one line naming its line, column and the expected names")
    func check() throws {
        let ok = try CurePathProcess.run(["criteria", "check", Self.example("criteria/heartland-yescarta-lbcl-label.yaml"),
                                          "--standard", Self.example("criteria/regional-standard-yescarta-lbcl.yaml")])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("heartland-yescarta-lbcl version 2"))
        #expect(ok.stdout.contains("ecog: stricter"))
        let text = try String(contentsOfFile: Self.example("criteria/heartland-yescarta-lbcl-label.yaml"), encoding: .utf8)
        let typo = FileManager.default.temporaryDirectory.appendingPathComponent("typo-\(UUID().uuidString).yaml")
        try text.replacingOccurrences(of: "lvef:", with: "lvfe:").write(to: typo, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: typo) }
        let refused = try CurePathProcess.run(["criteria", "check", typo.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stderr.contains("line 26, column 5") && refused.stderr.contains("did you mean lvef"))
    }

    @Test("evaluate reads a FHIR bundle, reports what it could not map, and prints verdicts and one pretest plan")
    func evaluate() throws {
        let run = try CurePathProcess.run([
            "criteria", "evaluate", Self.example("fhir/patient-dlbcl-bundle.json"), "--fhir", "--birth-date", "1961-02-03", "--as-of", "2026-06-01",
            "--set", Self.example("criteria/regional-standard-yescarta-lbcl.yaml"), "--set", Self.example("criteria/heartland-yescarta-lbcl-label.yaml"),
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("regional-yescarta-lbcl@1 (regional-standard): likely-approvable"))
        #expect(run.stdout.contains("heartland-yescarta-lbcl@2 (pay-heartland-mutual): incomplete"))
        #expect(run.stdout.contains("do pretests.echo: between 2026-06-01 and 2026-06-15"))
        #expect(run.stderr.contains("not mapped: entry[9] Observation/egfr"))
        let noSets = try CurePathProcess.run(["criteria", "evaluate", Self.example("fhir/patient-dlbcl-bundle.json"), "--fhir"])
        #expect(noSets.status != 0 && noSets.stderr.contains("--set"))
    }

    @Test("file stores a version once; list shows it")
    func fileAndList() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curepath-criteria-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("c.sqlite").path
        _ = try CurePathProcess.run(["migrate", "--database", database])
        let file = Self.example("criteria/national-health-yescarta-lbcl-zuma1.yaml")
        let first = try CurePathProcess.run(["criteria", "file", file, "--database", database])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("filed nha-yescarta-lbcl version 1"))
        let again = try CurePathProcess.run(["criteria", "file", file, "--database", database])
        #expect(again.stdout.contains("already filed"))
        let list = try CurePathProcess.run(["criteria", "list", "--database", database])
        #expect(list.stdout.contains("nha-yescarta-lbcl@1\tpay-national-health\tprd-yescarta\tpivotal-trial"))
    }

    @Test("bench criteria runs end to end on a small workload, queue page included")
    func bench() throws {
        let run = try CurePathProcess.run(["bench", "criteria", "--patients", "2000", "--sets", "5", "--passes", "1", "--open-requests", "3000", "--page-samples", "6"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("throughput (best pass)"))
        #expect(run.stdout.contains("queue page, mediator (all) p50"))
        #expect(run.stdout.contains("open PA requests (SQLite)"))
    }

    /// The attacker's file: explicit keys over nested anchors a0…a8, an alias of the last as
    /// the last key. It took 14 s to parse before the event scan refused anchors.
    static func anchorBomb(format: String) -> String {
        var text = "format: \(format)\nid: hostile\nversion: 1\n? &a0 [x, x]\n: 0\n"
        for level in 1...8 { text += "? &a\(level) [*a\(level - 1), *a\(level - 1)]\n: \(level)\n" }
        return text + "? *a8\n: z\n"
    }

    @Test("hostile criteria and contract files are refused by check and file in one line naming the line and column, before any database is touched")
    func hostileFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let criteria = directory.appendingPathComponent("criteria.yaml")
        try Self.anchorBomb(format: "curepath.criteria/v1").write(to: criteria, atomically: true, encoding: .utf8)
        let contract = directory.appendingPathComponent("contract.yaml")
        try Self.anchorBomb(format: "curepath.contract/v1").write(to: contract, atomically: true, encoding: .utf8)
        let deep = directory.appendingPathComponent("deep.yaml")
        try ("format: curepath.criteria/v1\ntitle: " + String(repeating: "[", count: 10_000)).write(to: deep, atomically: true, encoding: .utf8)
        let huge = directory.appendingPathComponent("huge.yaml")
        try Data(("title: " + String(repeating: "x", count: 5 * 1_048_576)).utf8).write(to: huge)
        let database = directory.appendingPathComponent("curepath.sqlite").path

        let runs: [([String], String)] = [
            (["criteria", "check", criteria.path], "line 4, column 3: anchors and aliases are not allowed in criteria files"),
            (["criteria", "file", criteria.path, "--database", database], "line 4, column 3: anchors and aliases are not allowed in criteria files"),
            (["contracts", "file", contract.path, "--database", database], "line 4, column 3: anchors and aliases are not allowed in contract files"),
            (["criteria", "check", deep.path], "is nested deeper than 32 levels"),
            (["criteria", "check", huge.path], "larger than the 256 KB limit"),
        ]
        for (arguments, expected) in runs {
            let started = ContinuousClock.now
            let run = try CurePathProcess.run(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(expected), "\(arguments): \(run.stderr)")
            #expect(ContinuousClock.now - started < .seconds(10), "\(arguments) took too long")
        }
        #expect(!FileManager.default.fileExists(atPath: database), "a refused file opened the database")
    }
}
