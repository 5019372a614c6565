import Foundation
import Testing
import Core
import Outcomes
import Criteria

@Suite("Clinical facts")
struct ClinicalFactsTests {
    @Test func theWorkedExampleIsValid() throws {
        let facts = try candidate().validated()
        #expect(facts.age(on: evaluationDay) == 58)
        #expect(facts.age(on: day("2026-02-09")) == 57)
        #expect(facts.age(on: day("2026-02-10")) == 58)
        #expect(facts.latestLab(.lvef, asOf: evaluationDay)?.value == dec("55"))
        #expect(facts.latestLab(.lvef, asOf: day("2026-04-27")) == nil, "a result after the evaluation date is not read")
    }

    @Test func everyBadFieldIsNamed() {
        var facts = candidate()
        facts.diagnoses.append(Diagnosis(code: "lymphoma", date: day("2025-01-01")))
        facts.performanceStatus.append(PerformanceStatus(score: 7, date: day("2026-05-01")))
        facts.labs.append(LabObservation(code: .lvef, value: dec("120"), date: day("2026-05-01")))
        facts.labs.append(LabObservation(code: LabCode(rawValue: "troponin"), value: dec("1"), date: day("2026-05-01")))
        facts.therapyLines.append(TherapyLine(agents: ["Rituximab"], start: day("2026-01-01"), end: day("2025-12-01")))
        facts.pretests.append(PretestResult(code: "echo", date: day("1960-01-01")))
        #expect {
            try facts.validated()
        } throws: { error in
            let fields = Set((error as! ValidationError).issues.map(\.field))
            return fields == [
                "diagnoses[1].code", "performanceStatus[1].score", "labs[5].value", "labs[6].code", "therapyLines[2].agents",
                "therapyLines[2].end", "pretests[2].date",
            ]
        }
    }

    @Test func aCarTLineIsAPriorCarT() {
        var facts = candidate()
        facts.therapyLines.append(TherapyLine(agents: ["tisagenlecleucel"], classes: ["car-t"], start: day("2026-03-01")))
        #expect(facts.exclusion(.priorCarT, asOf: evaluationDay)?.present == true)
    }

    @Test func icd10Shapes() {
        #expect(ICD10.isWellFormed("C83.30"))
        #expect(ICD10.isWellFormed("C8330"))
        #expect(ICD10.isWellFormed("Z94.84"))
        #expect(!ICD10.isWellFormed("C8"))
        #expect(!ICD10.isWellFormed("83.30"))
        #expect(!ICD10.isWellFormed("C83."))
        #expect(ICD10.normalized("c83.30") == "C8330")
    }
}

@Suite("Clinical facts as JSON")
struct ClinicalFactsJSONTests {
    @Test func factsAndResultsRoundTripWithExactValues() throws {
        let json = """
            {"patient": "pt-1", "birthDate": "1970-01-31",
             "diagnoses": [{"code": "C83.30", "date": "2025-01-02"}],
             "therapyLines": [{"agents": ["rituximab"], "classes": ["anti-cd20"], "start": "2025-02-01", "outcome": "refractory", "outcomeDate": "2025-05-01"}],
             "labs": [{"code": "bilirubin", "value": "1.50", "date": "2026-01-05"}],
             "exclusions": [{"kind": "priorCarT", "present": false, "date": "2026-01-05"}]}
            """
        let facts = try JSONDecoder().decode(ClinicalFacts.self, from: Data(json.utf8)).validated()
        #expect(facts.labs[0].value == dec("1.5") && facts.labs[0].value.description == "1.50")
        #expect(facts.therapyLines[0].outcome == .refractory)
        let evaluation = CriteriaEvaluator.evaluate(facts, against: try exampleCriteria(regional), asOf: day("2026-01-10"))
        let decoded = try JSONDecoder().decode(SetEvaluation.self, from: try JSONEncoder().encode(evaluation))
        #expect(decoded == evaluation && decoded.owner == .regionalStandard && decoded.verdict == evaluation.verdict)
    }
}
