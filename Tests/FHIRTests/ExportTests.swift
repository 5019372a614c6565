import Foundation
import Testing
import Core
import Criteria
@testable import FHIR

@Suite("Da Vinci PAS request export")
struct ExportTests {
    func entries(_ bundle: [String: Any]) throws -> [[String: Any]] {
        try #require(bundle["entry"] as? [[String: Any]])
    }

    func resource(_ entry: [String: Any]) throws -> [String: Any] {
        try #require(entry["resource"] as? [String: Any])
    }

    @Test func claimComesFirstAndHasThePASShape() throws {
        let bundle = try jsonObject(try PriorAuthorizationBundle.make(submission()))
        #expect(bundle["resourceType"] as? String == "Bundle")
        #expect(bundle["type"] as? String == "collection")
        #expect((bundle["identifier"] as? [String: Any])?["value"] as? String == "pa-2026-000123")
        #expect(bundle["timestamp"] as? String == "2026-05-15T00:00:00Z")
        let all = try entries(bundle)
        let claim = try resource(try #require(all.first))
        #expect(claim["resourceType"] as? String == "Claim")
        #expect(claim["use"] as? String == "preauthorization")
        #expect(claim["status"] as? String == "active")
        #expect(claim["created"] as? String == "2026-05-15")
        let priority = try #require((claim["priority"] as? [String: Any])?["coding"] as? [[String: Any]])
        #expect(priority.first?["code"] as? String == "stat")
        #expect(priority.first?["system"] as? String == "http://terminology.hl7.org/CodeSystem/processpriority")
        let type = try #require((claim["type"] as? [String: Any])?["coding"] as? [[String: Any]])
        #expect(type.first?["code"] as? String == "institutional")
        let insurance = try #require((claim["insurance"] as? [[String: Any]])?.first)
        #expect(insurance["focal"] as? Bool == true)
        #expect(insurance["sequence"] as? Int == 1)
        let diagnosis = try #require((claim["diagnosis"] as? [[String: Any]])?.first)
        let diagnosisCoding = try #require(((diagnosis["diagnosisCodeableConcept"] as? [String: Any])?["coding"] as? [[String: Any]])?.first)
        #expect(diagnosisCoding["system"] as? String == "http://hl7.org/fhir/sid/icd-10-cm")
        #expect(diagnosisCoding["code"] as? String == "C83.30")
        let item = try #require((claim["item"] as? [[String: Any]])?.first)
        let product = try #require((item["productOrService"] as? [String: Any])?["coding"] as? [[String: Any]])
        #expect(product.map { $0["code"] as? String } == ["Q2041", "prd-yescarta"])
        let types = try all.map { try resource($0)["resourceType"] as? String }
        #expect(Array(types.prefix(6)) == ["Claim", "Patient", "Coverage", "Organization", "Organization", "Practitioner"])
        let coverage = try resource(all[2])
        #expect(coverage["status"] as? String == "active")
        #expect((coverage["beneficiary"] as? [String: Any])?["reference"] as? String == "Patient/pt-000123")
        let plan = try #require((coverage["class"] as? [[String: Any]])?.first)
        #expect(plan["value"] as? String == "pln-nha-ppo")
    }

    @Test func standardPriorityIsNormal() throws {
        let bundle = try jsonObject(try PriorAuthorizationBundle.make(submission(priority: .standard)))
        let claim = try resource(try #require(try entries(bundle).first))
        let priority = try #require((claim["priority"] as? [String: Any])?["coding"] as? [[String: Any]])
        #expect(priority.first?["code"] as? String == "normal")
    }

    /// Every `reference` anywhere in the bundle names an entry in it.
    @Test func everyReferenceResolvesToAnEntry() throws {
        let bundle = try jsonObject(try PriorAuthorizationBundle.make(submission()))
        let all = try entries(bundle)
        var fullUrls: Set<String> = []
        for entry in all {
            let fullUrl = try #require(entry["fullUrl"] as? String)
            let resource = try resource(entry)
            let type = try #require(resource["resourceType"] as? String), id = try #require(resource["id"] as? String)
            #expect(fullUrl == PriorAuthorizationBundle.baseURL + "\(type)/\(id)")
            #expect(PriorAuthorizationBundle.isFHIRID(id))
            fullUrls.insert(fullUrl)
        }
        #expect(fullUrls.count == all.count, "fullUrls are unique")
        var references: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["reference"] as? String { references.append(reference) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(bundle)
        #expect(references.count > 20)
        for reference in references { #expect(fullUrls.contains(PriorAuthorizationBundle.baseURL + reference), "\(reference)") }

        let claim = try resource(all[0])
        let supportingInfo = try #require(claim["supportingInfo"] as? [[String: Any]])
        let evidence = all.count - 6
        #expect(supportingInfo.count == evidence)
        #expect(supportingInfo.map { $0["sequence"] as? Int } == (1...evidence).map { $0 })
        for info in supportingInfo {
            let reference = try #require((info["valueReference"] as? [String: Any])?["reference"] as? String)
            #expect(fullUrls.contains(PriorAuthorizationBundle.baseURL + reference))
            #expect(!reference.hasPrefix("Claim/") && !reference.hasPrefix("Patient/"))
        }
    }

    @Test func exportIsDeterministicWithSortedKeys() throws {
        let first = try PriorAuthorizationBundle.make(submission())
        #expect(first == (try PriorAuthorizationBundle.make(submission())))
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"entry\": [\n"))
        #expect(text.hasSuffix("}\n"))
        // Lab values are written as their exact text.
        #expect(text.contains("\"value\": 0.8\n"))
    }

    @Test func roundTripGivesBackTheSameFacts() throws {
        let bytes = try PriorAuthorizationBundle.make(submission())
        let result = try ClinicalFactsImport.read(bytes, patient: patientID)
        #expect(result.facts == dlbclFacts())
        #expect(result.unmapped.map(\.resourceType) == ["Claim", "Coverage", "Organization", "Organization", "Practitioner"])
    }

    @Test func roundTripOfTheImportedExample() throws {
        let facts = try imported(try example(dlbclBundle)).facts
        let again = try ClinicalFactsImport.read(try PriorAuthorizationBundle.make(submission(evidence: facts)), patient: patientID).facts
        #expect(again == facts)
    }

    @Test func roundTripKeepsExactValuesClassesAndTransplants() throws {
        var facts = dlbclFacts()
        facts.labs = [
            LabObservation(code: .lvef, value: dec("49.99"), date: day("2026-04-28")),
            LabObservation(code: LabCode(rawValue: "anc"), value: dec("1.50"), date: day("2026-05-08")),
        ]
        facts.performanceStatus.append(PerformanceStatus(score: 0, date: day("2026-05-10")))
        facts.pretests.append(PretestResult(code: "pft", date: day("2026-05-01")))
        facts.exclusions = [ExclusionFact(kind: .activeInfection, present: true, date: day("2026-05-02"))]
        facts.therapyLines.append(TherapyLine(classes: ["autologous-hsct"], start: day("2026-02-20"), end: day("2026-03-01")))
        facts.therapyLines.append(TherapyLine(agents: ["rituximab"], classes: ["anti-cd20", "bispecific"], start: day("2026-03-20")))
        let result = try ClinicalFactsImport.read(try PriorAuthorizationBundle.make(submission(evidence: facts)), patient: patientID)
        #expect(result.facts == facts)
        #expect(result.facts.labs.first?.value.description == "49.99")
    }

    @Test func invalidSubmissionsAreRefusedWithTheirFields() throws {
        var bad = submission()
        bad.requestID = "pa_2026"
        bad.payer = "pay_x"
        bad.diagnoses = []
        bad.evidence.labs.append(LabObservation(code: .lvef, value: dec("120"), date: day("2026-05-01")))
        let error = try #require(throws: FHIRError.self) { try PriorAuthorizationBundle.make(bad) }
        #expect(error.issues.map(\.path) == ["requestID", "payer", "diagnoses", "evidence.labs[5].value"])
    }
}
