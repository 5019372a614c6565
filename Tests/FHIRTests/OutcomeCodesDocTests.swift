import Foundation
import Testing
import Outcomes
@testable import FHIR

/// docs/OUTCOME_CODES.md shows the dictionary as tables; this keeps them equal to the code.
@Suite("Outcome code dictionary")
struct OutcomeCodesDocTests {
    static let begin = "<!-- generated from OutcomeDictionary: edit the code, then paste the text this test prints -->"
    static let end = "<!-- end of generated tables -->"

    /// The tables, as the document carries them.
    static func markdown() -> String {
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        func codes(_ standard: [OutcomeDictionary.StandardCode]) -> String {
            standard.isEmpty ? "—" : standard.map { "\($0.vocabulary.rawValue) \($0.code) \(cell($0.display))" }.joined(separator: "<br>")
        }
        func also(_ synonyms: [String]) -> String { synonyms.isEmpty ? "—" : synonyms.map { "`\($0)`" }.joined(separator: ", ") }
        var lines: [String] = []
        lines += ["### Kinds", "", "| kind | meaning | details | standard codes |", "|---|---|---|---|"]
        lines += OutcomeDictionary.kinds.map { "| `\($0.kind.rawValue)` | \(cell($0.definition)) | \(cell($0.details)) | \(codes($0.standardCodes)) |" }
        lines += ["", "### Response categories", "", "| code | meaning | also read | standard codes |", "|---|---|---|---|"]
        lines += OutcomeDictionary.responses.map { "| `\($0.code)` | \(cell($0.definition)) | \(also($0.synonyms)) | \(codes($0.standardCodes)) |" }
        lines += ["", "### Hospitalization reasons", "", "| code | meaning | also read | standard codes |", "|---|---|---|---|"]
        lines += OutcomeDictionary.hospitalizationReasons.map { "| `\($0.code)` | \(cell($0.definition)) | \(also($0.synonyms)) | \(codes($0.standardCodes)) |" }
        lines += ["", "### Lab tests", "", "| code | meaning | LOINC | unit | spellings read as the unit |", "|---|---|---|---|---|"]
        lines += OutcomeDictionary.labTests.map {
            "| `\($0.code)` | \(cell($0.definition)) | \(codes($0.loinc)) | `\($0.unit)` | \($0.unitSpellings.map { "`\($0)`" }.joined(separator: ", ")) |"
        }
        lines += ["", "### Infection classes", "", "| code | meaning | also read | standard codes |", "|---|---|---|---|"]
        lines += OutcomeDictionary.infectionClasses.map { "| `\($0.code)` | \(cell($0.definition)) | \(also($0.synonyms)) | \(codes($0.standardCodes)) |" }
        return lines.joined(separator: "\n")
    }

    @Test func theDocumentShowsTheDictionary() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/OUTCOME_CODES.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let start = try #require(text.range(of: Self.begin), "docs/OUTCOME_CODES.md has no \(Self.begin)")
        let stop = try #require(text.range(of: Self.end), "docs/OUTCOME_CODES.md has no \(Self.end)")
        let shown = text[start.upperBound..<stop.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(shown == Self.markdown(), "docs/OUTCOME_CODES.md is out of date; its generated part should read:\n\(Self.markdown())")
    }

    @Test func codesAreUniqueAndWellFormed() throws {
        for table in [OutcomeDictionary.responses, OutcomeDictionary.hospitalizationReasons, OutcomeDictionary.infectionClasses] {
            let spellings = table.flatMap { [$0.code] + $0.synonyms }
            #expect(Set(spellings).count == spellings.count, "a spelling means two codes: \(spellings)")
            // Codes are what events record: the identifier alphabet of OutcomeEvent's codes.
            #expect(table.allSatisfy { term in
                OutcomeEvent(id: "x", patientID: "p", date: .init(daysSinceEpoch: 0), kind: .hospitalization(reason: term.code), source: "s").issues.isEmpty
            })
        }
        #expect(Set(OutcomeDictionary.kinds.map(\.kind)) == Set(OutcomeKindCode.allCases))
        let loinc = OutcomeDictionary.labTests.flatMap(\.loinc).map(\.code)
        #expect(Set(loinc).count == loinc.count)
        #expect(OutcomeDictionary.labTests.allSatisfy { $0.unitSpellings.contains($0.unit) })
    }

    @Test func lookupsReadCodesSynonymsAndStandardCodes() throws {
        #expect(OutcomeDictionary.lookupResponse(" Complete Response ")?.code == "complete")
        #expect(OutcomeDictionary.lookupResponse("CR")?.code == "complete")
        #expect(OutcomeDictionary.lookupResponse("cured") == nil)
        #expect(OutcomeDictionary.lookupHospitalizationReason("VOC")?.code == "vaso-occlusive-event")
        #expect(OutcomeDictionary.lookupLabTest("3187-2")?.code == "factor-ix-activity")
        #expect(OutcomeDictionary.lookupLabTest("Factor_IX_Activity")?.code == "factor-ix-activity")
        #expect(OutcomeDictionary.lookupInfectionClass("virus")?.code == "viral")
        #expect(OutcomeDictionary.lookupKind("LAB-VALUE")?.kind == .labValue)
        #expect(OutcomeDictionary.didYouMean("parital", in: .responses) == "partial")
        #expect(OutcomeDictionary.didYouMean("vaso-occlusive-evnt", in: .hospitalizationReasons) == "vaso-occlusive-event")
        #expect(OutcomeDictionary.didYouMean("levitation", in: .kinds) == nil)
        // A transposed LOINC digit names the test, which is what events record.
        #expect(OutcomeDictionary.didYouMean("3178-2", in: .labTests) == "factor-ix-activity")
        #expect(OutcomeDictionary.meanings(of: .icd10CM, "D89.834") == [.kind(.cytokineReleaseSyndrome, grade: 4), .hospitalizationReason("crs")])
        #expect(OutcomeDictionary.meanings(of: .snomedCT, "87628006") == [.hospitalizationReason("infection"), .infectionClass("bacterial")])
        #expect(OutcomeDictionary.meanings(of: .loinc, "3209-7").isEmpty)
    }
}
