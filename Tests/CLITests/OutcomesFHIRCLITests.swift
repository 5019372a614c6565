import CurePathTesting
import Foundation
import Testing

/// `curepath outcomes import-fhir`, run as a user would against a demo database.
@Suite("curepath outcomes import-fhir")
struct OutcomesFHIRCLITests {
    static let bundle = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/fhir/outcomes-bundle.json").path

    /// A collection Bundle of `resources` (JSON text), about demo patient `pat-00001`.
    static func bundle(_ resources: String...) -> String {
        let patient = """
        {"resourceType": "Patient", "id": "p1", "identifier": [{"system": "https://curepath.example/fhir/patient", "value": "pat-00001"}]}
        """
        return "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [" + ([patient] + resources).map { "{\"resource\": \($0)}" }.joined(separator: ", ") + "]}"
    }

    static func factorIX(id: String, value: String, date: String, status: String = "final", loinc: String = "3187-2") -> String {
        """
        {"resourceType": "Observation", "id": "\(id)", "status": "\(status)", "subject": {"reference": "Patient/p1"},
         "code": {"coding": [{"system": "http://loinc.org", "code": "\(loinc)"}]}, "effectiveDateTime": "\(date)",
         "valueQuantity": {"value": \(value), "system": "http://unitsofmeasure.org", "code": "%"}}
        """
    }

    @Test("the example bundle is recorded once; a second run records nothing")
    func exampleTwice() throws {
        try CLITests.withDemoDatabase { path in
            let arguments = ["outcomes", "import-fhir", Self.bundle, "--source", "registry", "--received-on", "2026-06-01", "--database", path]
            let first = try CLITests.run(arguments)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("13 outcome events recorded, 0 already recorded, 1 withdrawn resource never recorded"), "\(first.stdout)")
            #expect(first.stdout.contains("not an outcome: entry[14] Practitioner/pr-1: Practitioner resources are not read for outcomes"))
            #expect(first.stderr.isEmpty)
            let again = try CLITests.run(arguments.map { $0 == "2026-06-01" ? "2026-06-03" : $0 })
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("0 outcome events recorded, 13 already recorded"), "\(again.stdout)")
        }
    }

    @Test("a refused bundle prints one line per error, exits 64 and records nothing; a withdrawal corrects a recorded event")
    func refusalsAndWithdrawals() throws {
        try CLITests.withDemoDatabase { path in
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            func run(_ name: String, _ text: String) throws -> CurePathRun {
                let file = directory.appendingPathComponent(name)
                try text.write(to: file, atomically: true, encoding: .utf8)
                return try CLITests.run(["outcomes", "import-fhir", file.path, "--source", "ctr-lakeside", "--received-on", "2026-06-01", "--database", path])
            }
            let good = Self.factorIX(id: "f1", value: "5.20", date: "2026-05-02")
            let refused = try run("bad.json", Self.bundle(good, Self.factorIX(id: "f2", value: "3", date: "2026-05-02", loinc: "3209-7"),
                                                          Self.factorIX(id: "f3", value: "3", date: "2026-06-12")))
            #expect(refused.status == 64)
            let lines = refused.stderr.split(separator: "\n")
            try #require(lines.count == 3, "\(refused.stderr)")
            #expect(lines[0].contains("entry[2] Observation/f2: entry[2].resource.code.coding[0].code: LOINC 3209-7") && lines[0].contains("did you mean LOINC 3209-4"))
            #expect(lines[1].contains("entry[3] Observation/f3: entry[3].resource.effectiveDateTime: is 2026-06-12, after the day the bundle was received"))
            #expect(lines[2].hasSuffix("2 errors, nothing recorded"))

            // The good entry of the refused bundle was not written: alone it is new.
            let alone = try run("good.json", Self.bundle(good))
            #expect(alone.status == 0, "\(alone.stderr)")
            #expect(alone.stdout.contains("1 outcome events recorded, 0 already recorded"), "\(alone.stdout)")

            // The same resource amended later is the same event with other facts: append-only.
            let amended = try run("amended.json", Self.bundle(Self.factorIX(id: "f1", value: "5.21", date: "2026-05-02")))
            #expect(amended.status == 64)
            #expect(amended.stderr.contains("entry[1]") && amended.stderr.contains("event fhir-") && amended.stderr.contains("was already recorded with different facts"), "\(amended.stderr)")

            let withdrawn = try run("withdrawn.json", Self.bundle(Self.factorIX(id: "f1", value: "5.20", date: "2026-05-02", status: "entered-in-error")))
            #expect(withdrawn.status == 0, "\(withdrawn.stderr)")
            #expect(withdrawn.stdout.contains("1 outcome events recorded, 0 already recorded"), "\(withdrawn.stdout)")

            let stranger = try run("stranger.json", Self.bundle(Self.factorIX(id: "f4", value: "5", date: "2026-05-02"))
                .replacingOccurrences(of: "pat-00001", with: "pat-99999"))
            #expect(stranger.status == 64)
            #expect(stranger.stderr.contains("entry[1] Observation/f4: entry[1].resource.subject: no CurePath patient for Patient/p1"), "\(stranger.stderr)")
        }
    }
}
