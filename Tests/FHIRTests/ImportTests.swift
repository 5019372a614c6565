import Testing
import Core
import Criteria
import Outcomes
@testable import FHIR

@Suite("Clinical facts import")
struct ImportTests {
    @Test func exampleBundleGivesTheWorkedExampleFacts() throws {
        let result = try imported(try example(dlbclBundle), receivedOn: day("2026-05-15"))
        #expect(result.facts == dlbclFacts())
        // Two entries are reported, never dropped: the eGFR and the Encounter.
        #expect(result.unmapped.map(\.entryIndex) == [9, 23])
        let egfr = try #require(result.unmapped.first)
        #expect(egfr.resourceType == "Observation")
        #expect(egfr.resourceID == "egfr")
        #expect(egfr.codes == ["http://loinc.org|33914-3"])
        #expect(egfr.reason.hasPrefix("LOINC 33914-3 is not a code CurePath maps"))
        #expect(result.unmapped.last?.reason == "Encounter resources are not read")
    }

    @Test func exampleFactsMeetTheirOwnShape() throws {
        let facts = try imported(try example(dlbclBundle)).facts
        #expect(facts.latestLab(.lvef, asOf: day("2026-05-15"))?.value == dec("55"))
        #expect(facts.exclusion(.cnsInvolvement, asOf: day("2026-05-15"))?.present == false)
        #expect(facts.latestPerformanceStatus(asOf: day("2026-05-15"))?.score == 1)
        #expect(facts.therapyLines.map(\.outcome) == [.relapsed, .refractory])
        #expect(facts.age(on: day("2026-05-15")) == 58)
    }

    @Test func unknownCodeIsReportedWithItsEntryIndex() throws {
        let result = try imported(bundle(
            labObservation(loinc: "10230-1", value: "60", unit: "%"),
            labObservation(loinc: "2345-7", value: "98", unit: "mg/dL")))
        #expect(result.facts.labs.count == 1)
        #expect(result.unmapped == [UnmappedResource(entryIndex: 1, resourceType: "Observation", resourceID: "obs-2345-7", codes: ["http://loinc.org|2345-7"],
            reason: "LOINC 2345-7 is not a code CurePath maps; observations are read from the LOINC and CurePath codes in docs/FHIR.md")])
    }

    @Test func mismatchedUnitIsReportedNotConverted() throws {
        let result = try imported(bundle(labObservation(loinc: "1975-2", value: "14", unit: "umol/L")))
        #expect(result.facts.labs.isEmpty)
        #expect(result.unmapped.first?.reason == "valueQuantity unit umol/L is not bilirubin's unit mg/dL; CurePath does not convert units")
    }

    @Test func equivalentSpellingsOfAUnitAreRead() throws {
        let result = try imported(bundle(labObservation(loinc: "777-3", value: "142", unit: "10*3/uL")))
        #expect(result.facts.labs == [LabObservation(code: LabCode(rawValue: "platelets"), value: dec("142"), date: day("2026-05-08"))])
    }

    @Test func valueIsTakenExactlyFromTheText() throws {
        let result = try imported(bundle(labObservation(loinc: "10230-1", value: "49.99", unit: "%"), labObservation(loinc: "1975-2", value: "1.50", unit: "mg/dL")))
        let lvef = try #require(result.facts.labs.first)
        #expect(lvef.value == dec("49.99"))
        #expect(lvef.value.description == "49.99")
        #expect(lvef.value < dec("50"))
        #expect(result.facts.labs.last?.value.description == "1.50")
    }

    @Test func numberCurePathCannotHoldExactlyIsReported() throws {
        let result = try imported(bundle(labObservation(loinc: "10230-1", value: "5.5e1", unit: "%")))
        #expect(result.facts.labs.isEmpty)
        #expect(result.unmapped.first?.reason == "valueQuantity.value 5.5e1 must be a decimal number such as 5, 0.25 or -1.5 (no exponent, no thousands separators)")
    }

    @Test(arguments: ["entered-in-error", "cancelled", "preliminary"])
    func nonFinalObservationsAreSkippedAndReported(status: String) throws {
        let result = try imported(bundle(labObservation(loinc: "10230-1", value: "60", unit: "%", status: status)))
        #expect(result.facts.labs.isEmpty)
        #expect(result.unmapped.count == 1)
        #expect(result.unmapped.first?.reason.hasPrefix("status \(status):") == true)
    }

    @Test func comparatorIsABoundNotAValue() throws {
        let result = try imported(bundle(labObservation(loinc: "1975-2", value: "0.2", unit: "mg/dL").replacingOccurrences(of: "\"value\": 0.2", with: "\"comparator\": \"<\", \"value\": 0.2")))
        #expect(result.facts.labs.isEmpty)
        #expect(result.unmapped.first?.reason == "valueQuantity.comparator <: a bound, not a measured value")
    }

    @Test func ecogIsReadFromAnIntegerToo() throws {
        let result = try imported(bundle("""
            {"resourceType": "Observation", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "89262-0"}]},
             "effectiveDateTime": "2026-05-01", "valueInteger": 2}
            """))
        #expect(result.facts.performanceStatus == [PerformanceStatus(score: 2, date: day("2026-05-01"))])
    }

    @Test func confirmedCNSConditionIsAnExclusionAndADiagnosis() throws {
        let result = try imported(bundle("""
            {"resourceType": "Condition", "clinicalStatus": {"coding": [{"code": "active"}]},
             "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C79.31"}]},
             "onsetDateTime": "2026-04-02", "recordedDate": "2026-04-03"}
            """))
        #expect(result.facts.exclusions == [ExclusionFact(kind: .cnsInvolvement, present: true, date: day("2026-04-03"))])
        #expect(result.facts.diagnoses == [Diagnosis(code: "C79.31", date: day("2026-04-02"))])
    }

    @Test func provisionalAndRefutedDiagnosesAreNotDiagnoses() throws {
        let result = try imported(bundle(
            """
            {"resourceType": "Condition", "verificationStatus": {"coding": [{"code": "provisional"}]},
             "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C83.30"}]}, "onsetDateTime": "2026-04-02"}
            """,
            """
            {"resourceType": "Condition", "verificationStatus": {"coding": [{"code": "refuted"}]},
             "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C83.30"}]}, "onsetDateTime": "2026-04-02"}
            """))
        #expect(result.facts.diagnoses.isEmpty)
        #expect(result.unmapped.map(\.entryIndex) == [0, 1])
    }

    @Test func therapyLinesWithoutTheExtensionAreGroupedByStartDay() throws {
        func statement(_ rxNorm: String, _ start: String, _ end: String) -> String {
            """
            {"resourceType": "MedicationStatement", "status": "completed",
             "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "\(rxNorm)"}]},
             "effectivePeriod": {"start": "\(start)", "end": "\(end)"}}
            """
        }
        let result = try imported(bundle(
            statement("121191", "2025-01-10", "2025-04-01"), statement("134547", "2025-01-10", "2025-04-20"), statement("12574", "2025-06-01", "2025-07-01")))
        #expect(result.facts.therapyLines == [
            TherapyLine(agents: ["rituximab", "bendamustine"], classes: ["anti-cd20", "alkylating-agent"], start: day("2025-01-10"), end: day("2025-04-20")),
            TherapyLine(agents: ["gemcitabine"], classes: ["antimetabolite"], start: day("2025-06-01"), end: day("2025-07-01")),
        ])
    }

    @Test func carTByNameAndAutologousTransplantAreLines() throws {
        let result = try imported(bundle(
            """
            {"resourceType": "MedicationAdministration", "status": "completed",
             "medicationCodeableConcept": {"text": "Yescarta"}, "effectiveDateTime": "2024-11-05T10:00:00Z"}
            """,
            """
            {"resourceType": "Procedure", "status": "completed",
             "code": {"coding": [{"system": "http://snomed.info/sct", "code": "709115004"}]}, "performedPeriod": {"start": "2024-03-01"}}
            """))
        #expect(result.facts.therapyLines == [
            TherapyLine(classes: ["autologous-hsct"], start: day("2024-03-01")),
            TherapyLine(agents: ["axicabtagene-ciloleucel"], classes: ["car-t"], start: day("2024-11-05"), end: day("2024-11-05")),
        ])
        #expect(result.facts.exclusion(.priorCarT, asOf: day("2026-01-01"))?.present == true)
    }

    @Test func unknownMedicationIsReported() throws {
        let result = try imported(bundle("""
            {"resourceType": "MedicationStatement", "status": "active",
             "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "1657861"}], "text": "rituximab Injection"},
             "effectiveDateTime": "2025-01-10"}
            """))
        #expect(result.facts.therapyLines.isEmpty)
        #expect(result.unmapped.first?.reason.hasPrefix("RxNorm 1657861 is not a code CurePath maps") == true)
    }

    @Test func conflictingLineOutcomesAreRefused() throws {
        func statement(_ rxNorm: String, _ outcome: String) -> String {
            """
            {"resourceType": "MedicationStatement", "status": "completed",
             "extension": [{"url": "https://curepath.example/fhir/StructureDefinition/therapy-line", "valueInteger": 1},
                           {"url": "https://curepath.example/fhir/StructureDefinition/therapy-line-outcome", "valueCode": "\(outcome)"}],
             "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "\(rxNorm)"}]},
             "effectiveDateTime": "2025-01-10"}
            """
        }
        let error = try #require(refusal(bundle(statement("121191", "refractory"), statement("3002", "relapsed"))))
        #expect(error.issues == [FHIRError.Issue(path: "entry[1].resource.extension", problem: "the line's outcome relapsed disagrees with refractory on entry[0]")])
    }

    @Test func resourcesAboutAnotherPatientAreReported() throws {
        let result = try imported(bundle(
            #"{"resourceType": "Patient", "id": "p1", "birthDate": "1970-01-01"}"#,
            labObservation(loinc: "10230-1", value: "60", unit: "%", extra: #", "subject": {"reference": "Patient/p2"}"#),
            labObservation(loinc: "1975-2", value: "0.5", unit: "mg/dL", extra: #", "subject": {"reference": "https://ehr.example.org/fhir/Patient/p1"}"#)))
        #expect(result.facts.labs.map(\.code) == [.bilirubin])
        #expect(result.unmapped.first?.reason == "subject Patient/p2 is not the bundle's Patient (Patient/p1)")
    }

    @Test func partialAndFutureDatesAreReportedNotGuessed() throws {
        let result = try imported(bundle(
            labObservation(loinc: "10230-1", value: "60", unit: "%", date: "2026-05"),
            labObservation(loinc: "1975-2", value: "0.5", unit: "mg/dL", date: "2026-06-01"),
            #"{"resourceType": "Patient", "birthDate": "1968"}"#), receivedOn: day("2026-05-15"))
        #expect(result.facts.labs.isEmpty)
        #expect(result.facts.birthDate == nil)
        #expect(result.unmapped.map(\.reason) == [
            "effectiveDateTime 2026-05 is a partial date; a lab result needs the day",
            "dated 2026-06-01, after the day the bundle was received (2026-05-15)",
            "birthDate 1968 is a partial date; age criteria need the day",
        ])
    }

    @Test func impossibleValuesAreRefusedAtTheirElement() throws {
        let error = try #require(refusal(bundle(labObservation(loinc: "10230-1", value: "120", unit: "%"))))
        #expect(error.issues == [FHIRError.Issue(path: "entry[0].resource.valueQuantity.value", problem: "is a percentage and must be at most 100, got 120 (labs[0].value)")])
    }

    @Test func medicationReferenceAndEmptyEntriesAreReported() throws {
        let result = try imported(Array("""
            {"resourceType": "Bundle", "type": "searchset", "entry": [
              {"fullUrl": "urn:uuid:1"},
              {"resource": {"resourceType": "MedicationStatement", "status": "completed", "medicationReference": {"reference": "Medication/m1"}, "effectiveDateTime": "2025-01-01"}}
            ]}
            """.utf8))
        #expect(result.unmapped.map(\.reason) == ["the entry has no resource", "medicationReference is not read; send medicationCodeableConcept"])
    }
}
