import Foundation
import Testing
@testable import FHIR

/// Malformed input is refused with the path and the problem, never read half-way or crashed on.
@Suite("Malformed FHIR input")
struct MalformedInputTests {
    @Test func wrongResourceTypeIsNamed() throws {
        let error = try #require(refusal(Array(#"{"resourceType": "Patient", "id": "p1"}"#.utf8)))
        #expect(error.description == #"resourceType: expected "Bundle", got "Patient""#)
    }

    @Test func valueThatIsNotANumberIsNamedByPath() throws {
        let error = try #require(refusal(bundle(
            labObservation(loinc: "10230-1", value: "60", unit: "%"),
            labObservation(loinc: "10230-1", value: "\"55\"", unit: "%"))))
        #expect(error.issues == [FHIRError.Issue(path: "entry[1].resource.valueQuantity.value", problem: "must be a number, got a string")])
    }

    @Test func badDateIsNamedByPath() throws {
        let error = try #require(refusal(bundle(labObservation(loinc: "10230-1", value: "60", unit: "%", date: "2026-02-30"))))
        #expect(error.issues.map(\.path) == ["entry[0].resource.effectiveDateTime"])
        #expect(error.issues.first?.problem.contains("2026-02-30") == true)
    }

    @Test func everyProblemIsListedAtOnce() throws {
        let error = try #require(refusal(bundle(
            labObservation(loinc: "10230-1", value: "\"x\"", unit: "%"),
            #"{"resourceType": "Procedure", "code": {"coding": [{"system": "http://snomed.info/sct", "code": "40701008"}]}}"#,
            #"{"id": "no-type"}"#)))
        #expect(error.issues.map(\.path) == ["entry[2].resource.resourceType", "entry[0].resource.valueQuantity.value", "entry[1].resource.status"])
    }

    @Test func timeOfDayMustBeWellFormed() throws {
        #expect(refusal(bundle(labObservation(loinc: "10230-1", value: "60", unit: "%", date: "2026-05-08T25:00:00Z"))) != nil)
        #expect(refusal(bundle(labObservation(loinc: "10230-1", value: "60", unit: "%", date: "2026-05-08T10:00:00"))) != nil)
        #expect(refusal(bundle(labObservation(loinc: "10230-1", value: "60", unit: "%", date: "2026-05-08T10:00:00.123+05:30"))) == nil)
    }

    @Test func deepNestingIsRefusedWithoutExhaustingTheStack() throws {
        let depth = 10_000
        let text = #"{"resourceType": "Bundle", "type": "collection", "entry": "# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        let error = try #require(refusal(Array(text.utf8)))
        #expect(error.issues.count == 1)
        #expect(error.issues.first?.problem.hasPrefix("nested deeper than 64 levels") == true)
        #expect(error.issues.first?.path.hasPrefix("entry[0][0][0]") == true)
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(refusal(Array(objects.utf8))?.issues.first?.problem.hasPrefix("nested deeper") == true)
    }

    @Test func aMillionSmallValuesAreRefusedAtTheValueLimit() throws {
        // Under the size limit, but two bytes a value: the tree, not the input, would be large.
        let text = #"{"resourceType": "Bundle", "type": "collection", "entry": [], "padding": ["# + Array(repeating: "[]", count: 1_100_000).joined(separator: ",") + "]}"
        let error = try #require(refusal(Array(text.utf8)))
        #expect(error.issues.count == 1)
        #expect(error.issues.first?.problem.hasPrefix("the input holds more than 1000000 values") == true)
        #expect(error.issues.first?.path.hasPrefix("padding[") == true)
    }

    /// Red-team pass 4: the duplicate-key check scanned every earlier key, so one object of
    /// 40,000 keys (430 KB) held the server for minutes. 300,000 keys with the first repeated
    /// last must be found at once (the time limit only catches a return of the quadratic scan).
    @Test(.timeLimit(.minutes(1))) func aDuplicateAmongHundredsOfThousandsOfKeysIsFoundQuickly() throws {
        let keys = (0..<300_000).map { "\"k\($0)\":1" }.joined(separator: ",")
        let text = #"{"resourceType": "Bundle", "type": "collection", "# + keys + #", "k0": 2}"#
        let error = try #require(refusal(Array(text.utf8)))
        #expect(error.issues.first?.problem.hasPrefix(#"the key "k0" appears twice in one object"#) == true)
    }

    @Test func invalidUTF8IsRefused() throws {
        var bytes = bundle(labObservation(loinc: "10230-1", value: "60", unit: "%"))
        bytes.insert(contentsOf: [0xC3, 0x28], at: 40)
        let error = try #require(refusal(bytes))
        #expect(error.description.hasPrefix("$: the input is not valid UTF-8 at byte 40"))
    }

    @Test func inputOverTenMegabytesIsRefusedBeforeParsing() throws {
        var bytes = Array(#"{"resourceType": "Bundle", "type": "collection", "entry": [], "padding": ""#.utf8)
        bytes += [UInt8](repeating: 0x61, count: 11_000_000)
        bytes += Array(#""}"#.utf8)
        let error = try #require(refusal(bytes))
        #expect(error.description.contains("the limit is 10485760 bytes"))
    }

    @Test func emptyObjectNeedsAResourceType() throws {
        #expect(refusal(Array("{}".utf8))?.description == "resourceType: is required")
    }

    @Test(arguments: ["", "   ", "not json", "{\"resourceType\": \"Bundle\",}", "[1, 2", "{\"a\": 01}", "\"Bundle\"", "{\"resourceType\": \"Bundle\"} x"])
    func textThatIsNotAJSONObjectIsRefused(text: String) throws {
        let error = try #require(refusal(Array(text.utf8)))
        #expect(!error.issues.isEmpty)
        #expect(error.issues.allSatisfy { !$0.path.isEmpty && !$0.problem.isEmpty })
    }

    @Test func syntaxErrorsGiveLineAndColumn() throws {
        let error = try #require(refusal(Array("{\"resourceType\": \"Bundle\",\n \"entry\": [\n  {\"resource\": tru}]}".utf8)))
        #expect(error.description == "entry[0].resource: expected a value, found 't' (line 3, column 16)")
    }

    @Test func duplicateKeysAreRefused() throws {
        let error = try #require(refusal(Array(#"{"resourceType": "Bundle", "type": "collection", "type": "batch"}"#.utf8)))
        #expect(error.description.hasPrefix(#"type: the key "type" appears twice in one object"#))
    }

    @Test func aSecondPatientIsRefused() throws {
        let error = try #require(refusal(bundle(#"{"resourceType": "Patient", "id": "a"}"#, #"{"resourceType": "Patient", "id": "b"}"#)))
        #expect(error.issues == [FHIRError.Issue(path: "entry[1].resource", problem: "a second Patient (the first is entry[0]); a bundle must be about one patient")])
    }

    @Test func wrongTypesAreNamed() throws {
        let error = try #require(refusal(Array(#"{"resourceType": "Bundle", "type": "collection", "entry": {"resource": {}}}"#.utf8)))
        #expect(error.description == "entry: must be an array, got an object")
        let unknownType = try #require(refusal(Array(#"{"resourceType": "Bundle", "type": "bag"}"#.utf8)))
        #expect(unknownType.issues.first?.path == "type")
    }

    @Test func escapesAreDecoded() throws {
        let result = try imported(bundle(#"{"resourceType": "MedicationStatement", "status": "completed", "medicationCodeableConcept": {"text": "Ritu\u0078an \ud83d\ude00"}, "effectiveDateTime": "2025-01-01"}"#))
        #expect(result.unmapped.first?.reason.contains("Rituxan 😀") == true)
        #expect(refusal(bundle(#"{"resourceType": "X", "id": "\ud83d"}"#)) != nil)
    }
}
