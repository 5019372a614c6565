import Testing
import Core
import CareNetwork
import Outcomes
@testable import FHIR

let outcomesBundle = "outcomes-bundle.json"

/// The resolver the CLI uses: the CurePath patient identifier, as PAS requests carry it.
func curePathPatient(_ identifiers: OutcomeBundleImport.PatientIdentifiers) -> PatientID? {
    identifiers.value(in: FHIRCodeSystem.curePathPatient).map { PatientID(rawValue: $0) }
}

func outcomes(_ bytes: [UInt8], receivedOn: String = "2026-06-01", source: String = "registry") -> OutcomeBundleImport.Result {
    OutcomeBundleImport.read(bytes, source: source, receivedOn: day(receivedOn), resolve: curePathPatient)
}

/// A collection Bundle with Patient `p1` (CurePath patient `pat-00001`) first, then `resources`.
func outcomeBundle(_ resources: String...) -> [UInt8] {
    let patient = """
    {"resourceType": "Patient", "id": "p1", "identifier": [{"system": "https://curepath.example/fhir/patient", "value": "pat-00001"},
     {"system": "https://ehr.example.org/mrn", "value": "MRN-99812"}]}
    """
    let entries = ([patient] + resources).map { "{\"resource\": \($0)}" }.joined(separator: ",\n")
    return Array("{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [\(entries)]}".utf8)
}

/// A final Observation about `p1`, coded `system|code`, with `value` (JSON members) and a date.
func outcomeObservation(id: String = "o1", system: String = "http://loinc.org", code: String, value: String, date: String = "2026-05-08", status: String = "final") -> String {
    """
    {"resourceType": "Observation", "id": "\(id)", "status": "\(status)", "subject": {"reference": "Patient/p1"},
     "code": {"coding": [{"system": "\(system)", "code": "\(code)"}]}, "effectiveDateTime": "\(date)", \(value)}
    """
}

func quantity(_ value: String, _ unit: String) -> String {
    "\"valueQuantity\": {\"value\": \(value), \"unit\": \"\(unit)\", \"system\": \"http://unitsofmeasure.org\", \"code\": \"\(unit)\"}"
}

/// A confirmed Condition about `p1` with `codings` (JSON objects) and more members.
func outcomeCondition(id: String = "c1", codings: String, extra: String = "", onset: String = "2026-05-08") -> String {
    """
    {"resourceType": "Condition", "id": "\(id)", "subject": {"reference": "Patient/p1"}, "code": {"coding": [\(codings)]},
     "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]},
     "onsetDateTime": "\(onset)"\(extra)}
    """
}

func coding(_ system: String, _ code: String) -> String { "{\"system\": \"\(system)\", \"code\": \"\(code)\"}" }

let icd = "http://hl7.org/fhir/sid/icd-10-cm"
let sct = "http://snomed.info/sct"
let ctcae = "http://hl7.org/fhir/us/ctcae/CodeSystem/ctcae-grade-code-system"

/// The ID the importer gives the (only) event of a resource.
func fhirEventID(_ type: String, _ id: String, source: String = "registry", discriminator: String = "") -> OutcomeEventID {
    OutcomeReader.eventID(source: source, resourceType: type, resourceID: id, discriminator: discriminator)
}

@Suite("Outcome events from FHIR")
struct OutcomeImportTests {
    // MARK: The example bundle

    @Test func exampleBundleGivesEveryMapping() throws {
        let result = outcomes(try example(outcomesBundle))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.isAccepted)
        let byResource = Dictionary(uniqueKeysWithValues: result.events.map { ($0.id, $0) })
        func event(_ type: String, _ id: String, _ discriminator: String = "") throws -> OutcomeEvent {
            try #require(byResource[fhirEventID(type, id, discriminator: discriminator)], "no event for \(type)/\(id)")
        }
        let lbcl: PatientID = "pat-00001", hemb: PatientID = "pat-00002", scd: PatientID = "pat-00003"
        #expect(try event("Patient", "p-lbcl") == OutcomeEvent(id: fhirEventID("Patient", "p-lbcl"), patientID: lbcl, date: day("2026-05-20"), kind: .death, source: "registry", recordedOn: day("2026-06-01")))
        #expect(try event("Condition", "crs-1").kind == .cytokineReleaseSyndrome(grade: 2))
        let icans = try event("Condition", "icans-1")
        #expect(icans.kind == .neurotoxicity(grade: 1))
        // 22:40 at UTC-5 is still January 16th where it happened.
        #expect(icans.date == day("2026-01-16"))
        #expect(try event("Encounter", "adm-1", "crs").kind == .hospitalization(reason: "crs"))
        #expect(try event("Encounter", "adm-1", "crs").date == day("2026-01-14"))
        let response = try event("Observation", "resp-d30")
        #expect(response.kind == .responseAssessment && response.value == "complete")
        let infection = try event("Condition", "inf-1")
        #expect(infection.kind == .infection(grade: 3) && infection.value == "bacterial")
        #expect(try event("Observation", "resp-d180").value == "progression")
        let therapy = try event("MedicationAdministration", "pola-1")
        #expect(therapy.kind == .subsequentTherapy && therapy.value == "polatuzumab-vedotin" && therapy.date == day("2026-05-06"))
        let factorIX = try event("Observation", "fix-1")
        #expect(factorIX.patientID == hemb)
        #expect(factorIX.kind == .labValue(test: "factor-ix-activity", value: dec("5.20"), unit: "%"))
        #expect(factorIX.details.value == "5.20")
        #expect(try event("Observation", "fix-2").kind == .labValue(test: "factor-ix-activity", value: dec("4.8"), unit: "%"))
        #expect(try event("Encounter", "adm-2", "vaso-occlusive-event") == OutcomeEvent(
            id: fhirEventID("Encounter", "adm-2", discriminator: "vaso-occlusive-event"), patientID: scd, date: day("2026-03-10"),
            kind: .hospitalization(reason: "vaso-occlusive-event"), source: "registry", recordedOn: day("2026-06-01")))
        #expect(try event("Observation", "hbf-1").details.value == "38.50")
        #expect(try event("Procedure", "tx-1").kind == .transfusion)
        #expect(result.events.count == 13)
        #expect(result.events.allSatisfy { $0.issues.isEmpty })

        #expect(result.unmapped.map(\.entryIndex) == [6, 12, 13, 14, 16])
        #expect(result.unmapped[0].reason == "dexamethasone (corticosteroid) is supportive care, not a subsequent therapy")
        #expect(result.unmapped[1].reason.hasPrefix("status preliminary"))
        #expect(result.unmapped[2].reason.hasPrefix("class HL7 ActCode"), "\(result.unmapped[2].reason)")
        #expect(result.unmapped[3].reason == "Practitioner resources are not read for outcomes")
        #expect(result.unmapped[4].reason.hasPrefix("vaso-occlusive-event is an outcome as the reason for an inpatient Encounter"))

        let withdrawal = try #require(result.withdrawals.first)
        #expect(result.withdrawals.count == 1)
        #expect(withdrawal.kind == .enteredInError && withdrawal.corrects == fhirEventID("Observation", "fix-0") && withdrawal.patientID == hemb)
        #expect(result.origins[fhirEventID("Observation", "fix-1")] == 10)
    }

    @Test func theSameBundleTwiceGivesIdenticalEvents() throws {
        let bytes = try example(outcomesBundle)
        let first = outcomes(bytes), second = outcomes(bytes, receivedOn: "2026-06-02")
        #expect(first.events.map(\.id) == second.events.map(\.id))
        // Only the day CurePath learned them differs; the store compares facts without it.
        #expect(first.events.map { var event = $0; event.recordedOn = day("2026-06-02"); return event } == second.events)
        #expect(first.withdrawals.map(\.id) == second.withdrawals.map(\.id))
        // Another source's copy of the same resources are other events.
        let other = outcomes(bytes, source: "ctr-lakeside")
        #expect(Set(other.events.map(\.id)).isDisjoint(with: first.events.map(\.id)))
        #expect(first.events.allSatisfy { $0.id.rawValue.hasPrefix("fhir-") && $0.id.rawValue.count == 37 })
    }

    @Test func recordableKeepsOnlyWithdrawalsOfStoredEvents() throws {
        let result = outcomes(try example(outcomesBundle))
        #expect(result.recordable(alreadyStored: { _ in false }) == result.events)
        let stored = fhirEventID("Observation", "fix-0")
        #expect(result.recordable(alreadyStored: { $0 == stored }) == result.events + result.withdrawals)
    }

    // MARK: Observations

    @Test func labValueIsTakenExactlyAndInTheDictionaryUnit() throws {
        let result = outcomes(outcomeBundle(
            outcomeObservation(id: "a", code: "3187-2", value: quantity("5.20", "%")),
            outcomeObservation(id: "b", code: "3209-4", value: quantity("0.80", "[IU]/dL")),
            outcomeObservation(id: "c", code: "718-7", value: quantity("11.0", "g/dL")),
            outcomeObservation(id: "d", system: OutcomeTerminology.curePathLabTest, code: "fetal-hemoglobin", value: quantity("40", "%")),
            outcomeObservation(id: "e", code: "777-3", value: quantity("142", "10*3/uL"))))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.events.map(\.details.value) == ["5.20", "0.80", "11.0", "40", "142"])
        #expect(result.events.map(\.details.unit) == ["%", "%", "g/dL", "%", "10*9/L"])
        #expect(result.events.map(\.details.test) == ["factor-ix-activity", "factor-viii-activity", "hemoglobin", "fetal-hemoglobin", "platelets"])
        #expect(result.events.first?.kind == .labValue(test: "factor-ix-activity", value: ExactDecimal(significand: 520, scale: 2), unit: "%"))
    }

    @Test func unknownLOINCIsAnErrorAtItsCodeWithDidYouMean() throws {
        // 3209-7 is not a LOINC code (its check digit is wrong); factor VIII activity is 3209-4.
        let result = outcomes(outcomeBundle(outcomeObservation(code: "3209-7", value: quantity("12", "%"))))
        #expect(!result.isAccepted)
        #expect(result.events.isEmpty)
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.entryIndex == 1 && error.resourceType == "Observation" && error.resourceID == "o1")
        #expect(error.path == "entry[1].resource.code.coding[0].code")
        #expect(error.problem.hasPrefix("LOINC 3209-7 is not a code CurePath maps to an outcome (did you mean LOINC 3209-4, factor-viii-activity?)"), "\(error.problem)")
        #expect(error.description.hasPrefix("entry[1] Observation/o1: entry[1].resource.code.coding[0].code: LOINC 3209-7"))
        // Far from every known code: no guess.
        let far = outcomes(outcomeBundle(outcomeObservation(code: "8867-4", value: quantity("72", "/min"))))
        #expect(far.errors.first?.problem.contains("did you mean") == false)
    }

    @Test func misspeltCurePathCodesSuggestTheCode() throws {
        let lab = outcomes(outcomeBundle(outcomeObservation(system: OutcomeTerminology.curePathLabTest, code: "factor-ix-activty", value: quantity("5", "%"))))
        #expect(lab.errors.first?.problem.contains("(did you mean factor-ix-activity?)") == true, "\(lab.errors)")
        let response = outcomes(outcomeBundle(outcomeObservation(code: "97509-4", value: """
            "valueCodeableConcept": {"coding": [{"system": "\(OutcomeTerminology.curePathResponse)", "code": "complet"}]}
            """)))
        #expect(response.errors.first?.path == "entry[1].resource.valueCodeableConcept.coding[0].code")
        #expect(response.errors.first?.problem.contains("(did you mean complete?)") == true, "\(response.errors)")
    }

    @Test(arguments: [("CR", "complete"), ("partial-response", "partial"), ("VGPR", "very-good-partial"), ("relapsed", "relapse"), ("none", "none")])
    func responseSynonymsReadAsTheirCode(sent: String, category: String) throws {
        let result = outcomes(outcomeBundle(outcomeObservation(system: OutcomeTerminology.curePathKind, code: "response-assessment", value: """
            "valueCodeableConcept": {"coding": [{"system": "\(OutcomeTerminology.curePathResponse)", "code": "\(sent)"}]}
            """)))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.events.first?.value == category)
    }

    @Test func improvedIsNotACategory() throws {
        let result = outcomes(outcomeBundle(outcomeObservation(code: "97509-4", value: """
            "valueCodeableConcept": {"coding": [{"system": "\(sct)", "code": "268910001"}]}
            """)))
        #expect(result.errors.first?.problem.hasPrefix("SNOMED CT 268910001 (condition improved) does not say whether") == true)
    }

    @Test func aResultInAnotherUnitOrABoundIsRefusedNotConverted() throws {
        let unit = outcomes(outcomeBundle(outcomeObservation(code: "718-7", value: quantity("110", "g/L"))))
        #expect(unit.errors.first?.path == "entry[1].resource.valueQuantity.code")
        #expect(unit.errors.first?.problem.hasPrefix("g/L is not hemoglobin's unit g/dL; CurePath does not convert units") == true)
        let bound = outcomes(outcomeBundle(outcomeObservation(code: "3187-2", value: """
            "valueQuantity": {"comparator": "<", "value": 1, "system": "http://unitsofmeasure.org", "code": "%"}
            """)))
        #expect(bound.errors.map(\.path) == ["entry[1].resource.valueQuantity.comparator"])
        let exponent = outcomes(outcomeBundle(outcomeObservation(code: "3187-2", value: quantity("5.2e0", "%"))))
        #expect(exponent.errors.first?.path == "entry[1].resource.valueQuantity.value")
    }

    @Test func lostToFollowUpAndNonFinalObservations() throws {
        let result = outcomes(outcomeBundle(
            outcomeObservation(id: "lost", system: sct, code: "399307001", value: "\"valueBoolean\": true", date: "2026-04-02"),
            outcomeObservation(id: "prelim", code: "3187-2", value: quantity("5", "%"), status: "preliminary"),
            outcomeObservation(id: "absent", code: "3187-2", value: "\"dataAbsentReason\": {\"text\": \"hemolysed\"}")))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.events.map(\.kind) == [.lostToFollowUp])
        #expect(result.events.first?.date == day("2026-04-02"))
        #expect(result.unmapped.map(\.entryIndex) == [2, 3])
        #expect(result.unmapped.last?.reason.hasPrefix("no value (dataAbsentReason)") == true)
    }

    // MARK: Dates

    @Test func anImpossibleDateIsAnErrorAtItsElement() throws {
        let result = outcomes(outcomeBundle(outcomeObservation(code: "3187-2", value: quantity("5", "%"), date: "2026-02-30")))
        #expect(result.errors.map(\.path) == ["entry[1].resource.effectiveDateTime"])
        #expect(result.errors.first?.problem.contains("\"2026-02-30\"") == true)
        let partial = outcomes(outcomeBundle(outcomeObservation(code: "3187-2", value: quantity("5", "%"), date: "2026-02")))
        #expect(partial.errors.first?.problem == "2026-02 is a partial date; an outcome needs the day it happened")
    }

    @Test func aFutureDateIsAnError() throws {
        let result = outcomes(outcomeBundle(outcomeObservation(code: "3187-2", value: quantity("5", "%"), date: "2026-06-02T00:30:00+02:00")), receivedOn: "2026-06-01")
        #expect(result.errors.map(\.path) == ["entry[1].resource.effectiveDateTime"])
        #expect(result.errors.first?.problem == "is 2026-06-02, after the day the bundle was received (2026-06-01); an outcome cannot be reported before it happens")
        // The day itself is fine.
        #expect(outcomes(outcomeBundle(outcomeObservation(code: "3187-2", value: quantity("5", "%"), date: "2026-06-01T23:59:00-10:00"))).isAccepted)
    }

    @Test func aDayIsTakenAtTheSourcesOffset() throws {
        let late = outcomes(outcomeBundle(outcomeObservation(code: "3187-2", value: quantity("5", "%"), date: "2026-03-01T23:30:00-05:00")))
        #expect(late.events.first?.date == day("2026-03-01"))
        let early = outcomes(outcomeBundle(outcomeObservation(code: "3187-2", value: quantity("5", "%"), date: "2026-03-02T00:30:00+09:00")))
        #expect(early.events.first?.date == day("2026-03-02"))
    }

    // MARK: Conditions

    @Test func crsAndICANSTakeTheirGradeFromTheCodeAStageOrTheExtension() throws {
        let result = outcomes(outcomeBundle(
            outcomeCondition(id: "a", codings: coding(icd, "D89.833")),
            outcomeCondition(id: "b", codings: coding(icd, "D89839"), extra: ", \"stage\": [{\"summary\": {\"coding\": [\(coding(ctcae, "2"))]}}]"),
            outcomeCondition(id: "c", codings: coding(icd, "G92.00"), extra: ", \"extension\": [{\"url\": \"\(OutcomeTerminology.toxicityGradeExtension)\", \"valueInteger\": 4}]"),
            outcomeCondition(id: "d", codings: coding(OutcomeTerminology.curePathKind, "icans"),
                             extra: ", \"stage\": [{\"summary\": {\"coding\": [\(coding(OutcomeTerminology.nciThesaurus, "C41339"))]}}]"),
            outcomeCondition(id: "e", codings: coding(sct, "40733004")),
            outcomeCondition(id: "f", codings: coding(sct, "3218000"), extra: ", \"stage\": [{\"summary\": {\"coding\": [\(coding(ctcae, "4"))]}}]")))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.events.map(\.kind) == [.cytokineReleaseSyndrome(grade: 3), .cytokineReleaseSyndrome(grade: 2), .neurotoxicity(grade: 4),
                                              .neurotoxicity(grade: 2), .infection(grade: nil), .infection(grade: 4)])
        #expect(result.events.map(\.value) == [nil, nil, nil, nil, nil, "fungal"])
    }

    @Test func aToxicityWithoutOneGradeIsRefused() throws {
        let result = outcomes(outcomeBundle(
            outcomeCondition(id: "none", codings: coding(icd, "D89.839")),
            outcomeCondition(id: "two", codings: coding(icd, "D89.832"), extra: ", \"stage\": [{\"summary\": {\"coding\": [\(coding(ctcae, "3"))]}}]"),
            outcomeCondition(id: "zero", codings: coding(OutcomeTerminology.curePathKind, "crs"), extra: ", \"stage\": [{\"summary\": {\"coding\": [\(coding(ctcae, "0"))]}}]"),
            outcomeCondition(id: "six", codings: coding(OutcomeTerminology.curePathKind, "crs"),
                             extra: ", \"extension\": [{\"url\": \"\(OutcomeTerminology.toxicityGradeExtension)\", \"valueInteger\": 6}]")))
        #expect(result.events.isEmpty)
        #expect(result.errors.map(\.resourceID) == ["none", "two", "zero", "six"])
        #expect(result.errors[0].problem.hasPrefix("crs needs its worst grade"))
        #expect(result.errors[1].path == "entry[2].resource.stage[0].summary" && result.errors[1].problem.contains("says grade 3"))
        #expect(result.errors[2].problem.hasPrefix("grade 0 means it did not occur"))
        #expect(result.errors[3].path == "entry[4].resource.extension[0].valueInteger")
    }

    @Test func conditionStatusesDecideWhatIsRead() throws {
        func condition(_ id: String, _ verification: String) -> String {
            outcomeCondition(id: id, codings: coding(icd, "D89.832")).replacingOccurrences(of: "\"confirmed\"", with: "\"\(verification)\"")
        }
        let result = outcomes(outcomeBundle(condition("r", "refuted"), condition("p", "provisional"), condition("e", "entered-in-error")))
        #expect(result.errors.isEmpty && result.events.isEmpty)
        #expect(result.unmapped.map(\.reason) == ["verificationStatus refuted: it did not happen", "verificationStatus provisional: only confirmed conditions are outcomes"])
        #expect(result.withdrawals.map(\.corrects) == [fhirEventID("Condition", "e")])
    }

    @Test func anUnknownConditionCodeIsRefusedWithDidYouMean() throws {
        let result = outcomes(outcomeBundle(outcomeCondition(codings: coding(icd, "D89.382"))))
        #expect(result.errors.first?.path == "entry[1].resource.code.coding[0].code")
        #expect(result.errors.first?.problem.contains("(did you mean ICD-10-CM D89.832, crs grade 2?)") == true, "\(result.errors)")
    }

    // MARK: Encounters

    @Test func anInpatientAdmissionIsAHospitalizationPerReason() throws {
        let encounter = """
        {"resourceType": "Encounter", "id": "e1", "status": "in-progress", "subject": {"reference": "Patient/p1"},
         "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "ACUTE"}, "period": {"start": "2026-05-01"},
         "reasonCode": [{"coding": [\(coding(icd, "D57.00"))]}, {"coding": [\(coding(OutcomeTerminology.curePathReason, "Bleed"))]},
                        {"coding": [\(coding(icd, "I10"))]}]}
        """
        let result = outcomes(outcomeBundle(encounter))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.events.map(\.kind) == [.hospitalization(reason: "vaso-occlusive-event"), .hospitalization(reason: "bleeding")])
        #expect(result.events.map(\.id) == [fhirEventID("Encounter", "e1", discriminator: "vaso-occlusive-event"), fhirEventID("Encounter", "e1", discriminator: "bleeding")])
    }

    @Test func anAdmissionMustSayWhy() throws {
        let base = """
        {"resourceType": "Encounter", "id": "e1", "status": "finished", "subject": {"reference": "Patient/p1"},
         "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"}, "period": {"start": "2026-05-01"}
        """
        let none = outcomes(outcomeBundle(base + "}"))
        #expect(none.errors.map(\.path) == ["entry[1].resource.reasonCode"])
        let unknown = outcomes(outcomeBundle(base + ", \"reasonCode\": [{\"coding\": [\(coding(icd, "I10"))]}]}"))
        #expect(unknown.errors.first?.problem.hasPrefix("ICD-10-CM I10 is not a code CurePath maps to an outcome") == true)
        let missing = outcomes(outcomeBundle(base + ", \"reasonReference\": [{\"reference\": \"Condition/gone\"}]}"))
        #expect(missing.errors.map(\.path) == ["entry[1].resource.reasonReference[0].reference"])
        #expect(missing.errors.first?.problem.hasPrefix("Condition/gone is not a Condition in the bundle") == true)
        // Another known reason is enough: the reference to a Procedure is not a reason CurePath reads.
        let mixed = outcomes(outcomeBundle(base + ", \"reasonReference\": [{\"reference\": \"Procedure/x\"}], \"reasonCode\": [{\"coding\": [\(coding(OutcomeTerminology.curePathReason, "other"))]}]}"))
        #expect(mixed.errors.isEmpty, "\(mixed.errors)")
        #expect(mixed.events.map(\.kind) == [.hospitalization(reason: "other")])
        let outpatient = outcomes(outcomeBundle(base.replacingOccurrences(of: "\"IMP\"", with: "\"EMER\"") + "}"))
        #expect(outpatient.isAccepted && outpatient.events.isEmpty)
        #expect(outpatient.unmapped.first?.reason == "class HL7 ActCode EMER: not an inpatient admission (HL7 ActCode IMP, ACUTE or NONAC)")
    }

    // MARK: Procedures and medications

    @Test func proceduresAndMedicationsGiveTransfusionsAndSubsequentTherapies() throws {
        func procedure(_ id: String, _ system: String, _ code: String, status: String = "completed") -> String {
            """
            {"resourceType": "Procedure", "id": "\(id)", "status": "\(status)", "subject": {"reference": "Patient/p1"},
             "code": {"coding": [\(coding(system, code))]}, "performedPeriod": {"start": "2026-04-01", "end": "2026-04-02"}}
            """
        }
        func medication(_ type: String, _ id: String, _ concept: String, status: String = "completed", intent: String = "order") -> String {
            let date = type == "MedicationRequest" ? "\"authoredOn\": \"2026-04-03\", \"intent\": \"\(intent)\"" : "\"effectiveDateTime\": \"2026-04-03\""
            return """
            {"resourceType": "\(type)", "id": "\(id)", "status": "\(status)", "subject": {"reference": "Patient/p1"},
             "medicationCodeableConcept": \(concept), \(date)}
            """
        }
        let result = outcomes(outcomeBundle(
            procedure("rbc", OutcomeTerminology.icd10PCS, "30233N1"),
            procedure("allo", "http://www.ama-assn.org/go/cpt", "38240"),
            procedure("planned", sct, "116859006", status: "preparation"),
            medication("MedicationRequest", "len", "{\"coding\": [\(coding("http://www.nlm.nih.gov/research/umls/rxnorm", "342369"))]}"),
            medication("MedicationRequest", "plan", "{\"text\": \"lenalidomide\"}", status: "active", intent: "plan"),
            medication("MedicationAdministration", "emi", "{\"text\": \"Hemlibra\"}"),
            medication("MedicationAdministration", "toci", "{\"text\": \"tocilizumab\"}")))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.events.map(\.kind) == [.transfusion, .subsequentTherapy, .subsequentTherapy, .subsequentTherapy])
        #expect(result.events.map(\.value) == [nil, "allogeneic-hsct", "lenalidomide", "emicizumab"])
        #expect(result.unmapped.map(\.resourceID) == ["planned", "plan", "toci"])
        #expect(result.unmapped.last?.reason.hasPrefix("medication \"tocilizumab\" is not an anticancer or prophylaxis agent") == true)
        let unknown = outcomes(outcomeBundle(procedure("x", sct, "116859060")))
        #expect(unknown.errors.first?.problem.contains("did you mean SNOMED CT 116859006, transfusion?") == true, "\(unknown.errors)")
    }

    // MARK: Patients

    @Test func deathNeedsItsDay() throws {
        let dated = outcomes(Array("""
        {"resourceType": "Bundle", "type": "transaction", "entry": [{"resource": {"resourceType": "Patient", "id": "p1",
         "identifier": [{"system": "https://curepath.example/fhir/patient", "value": "pat-00007"}], "deceasedDateTime": "2026-05-02"}}]}
        """.utf8))
        #expect(dated.events.map(\.kind) == [.death])
        #expect(dated.events.first?.patientID == "pat-00007")
        let undated = outcomes(Array("""
        {"resourceType": "Bundle", "type": "batch", "entry": [{"resource": {"resourceType": "Patient", "id": "p1", "deceasedBoolean": true}}]}
        """.utf8))
        #expect(undated.errors.map(\.path) == ["entry[0].resource.deceasedBoolean"])
    }

    @Test func anUnresolvablePatientIsAnErrorNamingTheReferenceNotTheMRN() throws {
        let result = outcomes(Array("""
        {"resourceType": "Bundle", "type": "collection", "entry": [
          {"fullUrl": "https://ehr.example.org/fhir/Patient/p9", "resource": {"resourceType": "Patient", "id": "p9",
            "identifier": [{"system": "https://ehr.example.org/mrn", "value": "MRN-4417"}], "name": [{"family": "Doe"}], "birthDate": "1970-01-01"}},
          {"resource": \(outcomeObservation(code: "3187-2", value: quantity("5", "%")).replacingOccurrences(of: "Patient/p1", with: "https://ehr.example.org/fhir/Patient/p9"))}]}
        """.utf8))
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.path == "entry[1].resource.subject")
        #expect(error.problem == "no CurePath patient for https://ehr.example.org/fhir/Patient/p9 (identifier systems: https://ehr.example.org/mrn)")
        #expect(!error.problem.contains("MRN-4417"))
        // The Patient itself is no outcome and needs no resolution.
        #expect(result.unmapped.isEmpty)
    }

    @Test func theResolverSeesIdentifiersButNeverNamesOrBirthDates() throws {
        var seen: [OutcomeBundleImport.PatientIdentifiers] = []
        let bytes = Array("""
        {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "Observation", "id": "o1", "status": "final",
          "code": {"coding": [{"system": "http://loinc.org", "code": "3187-2"}]}, "effectiveDateTime": "2026-05-01", \(quantity("5", "%")),
          "subject": {"reference": "#pt", "identifier": {"system": "https://registry.example.org/id", "value": "R-1"}},
          "contained": [{"resourceType": "Patient", "id": "pt", "name": [{"family": "Doe"}], "birthDate": "1970-01-01",
                         "identifier": [{"system": "https://curepath.example/fhir/patient", "value": "pat-00004"}]}]}}]}
        """.utf8)
        let result = OutcomeBundleImport.read(bytes, source: "registry", receivedOn: day("2026-06-01")) { identifiers in
            seen.append(identifiers)
            return curePathPatient(identifiers)
        }
        #expect(result.events.first?.patientID == "pat-00004")
        #expect(seen == [OutcomeBundleImport.PatientIdentifiers(reference: "#pt", identifiers: [
            .init(system: "https://registry.example.org/id", value: "R-1"), .init(system: "https://curepath.example/fhir/patient", value: "pat-00004"),
        ])])
    }

    // MARK: Duplicates and the bundle

    @Test func aResourceTwiceIsReadOnceIfIdenticalAndRefusedIfNot() throws {
        let observation = outcomeObservation(code: "3187-2", value: quantity("5.20", "%"))
        let same = outcomes(outcomeBundle(observation, observation))
        #expect(same.isAccepted && same.events.count == 1)
        #expect(same.unmapped.map(\.reason) == ["the same Observation/o1 as entry[1]: read once"])
        let different = outcomes(outcomeBundle(observation, outcomeObservation(code: "3187-2", value: quantity("5.2", "%"))))
        #expect(different.errors.map(\.path) == ["entry[2].resource"])
        #expect(different.errors.first?.problem == "a second Observation/o1 with different content (the first is entry[1]); a bundle may carry one version of a resource")
    }

    @Test func everyErrorIsListedNotJustTheFirst() throws {
        let result = outcomes(outcomeBundle(
            outcomeObservation(id: "a", code: "3209-7", value: quantity("5", "%")),
            outcomeObservation(id: "b", code: "3187-2", value: quantity("5", "%"), date: "2026-13-01"),
            outcomeObservation(id: "c", code: "3187-2", value: quantity("5", "%")).replacingOccurrences(of: "\"id\": \"c\",", with: ""),
            outcomeObservation(id: "d", code: "3187-2", value: quantity("5", "%"))))
        #expect(result.errors.map(\.resourceID) == ["a", "b", nil])
        #expect(result.errors.last?.path == "entry[3].resource.id")
        // The good entry is still read, and the result says the bundle as a whole is refused.
        #expect(result.events.map(\.id) == [fhirEventID("Observation", "d")])
        #expect(!result.isAccepted)
    }

    @Test(arguments: [
        ("[1, 2]", "$"), ("{\"resourceType\": \"Patient\"}", "resourceType"), ("{\"resourceType\": \"Bundle\", \"type\": \"document\"}", "type"),
        ("{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": {}}", "entry"), ("{\"resourceType\":", nil), ("", "$"),
    ] as [(String, String?)])
    func malformedBundlesAreRefusedAtTheBundle(text: String, path: String?) throws {
        let result = outcomes(Array(text.utf8))
        #expect(!result.isAccepted)
        #expect(result.events.isEmpty)
        #expect(result.errors.allSatisfy { $0.entryIndex == nil })
        if let path { #expect(result.errors.first?.path == path) }
    }

    @Test func aBadSourceIsRefusedOnce() throws {
        let result = outcomes(try example(outcomesBundle), source: "reg\u{07}istry")
        #expect(result.errors.map(\.path) == ["source"])
    }
}
