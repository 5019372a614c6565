import CareNetwork
import Core
import Outcomes
import Research
import Testing

@Suite("OMOP export mapping")
struct OMOPExportTests {
    static let key = try! ResearchKey(bytes: Array(repeating: 7, count: 32))
    static let infusion = CalendarDate(year: 2025, month: 1, day: 10)!
    static let products = [
        Product(id: "prd-yescarta", name: "Yescarta", genericName: "axicabtagene ciloleucel", manufacturer: "Kite", modality: .carT,
                listPrice: Money(dollars: 373_000), journeyTemplate: "car-t", typicalManufacturingDays: 17, indications: "LBCL"),
        Product(id: "prd-casgevy", name: "Casgevy", genericName: "exagamglogene autotemcel", manufacturer: "Vertex", modality: .exVivoGeneTherapy,
                listPrice: Money(dollars: 2_200_000), journeyTemplate: "gene-therapy", typicalManufacturingDays: 52, indications: "SCD"),
    ]

    static func day(_ offset: Int) -> CalendarDate { infusion.adding(days: offset) }

    static func decimal(_ text: String) -> ExactDecimal { try! ExactDecimal.parse(text).get() }

    static func event(
        _ id: String, _ kind: OutcomeKind, day offset: Int, value: String? = nil, recordedDay: Int? = nil, corrects: String? = nil,
        patient: PatientID = "pat-00001"
    ) -> OutcomeEvent {
        OutcomeEvent(id: OutcomeEventID(id), patientID: patient, date: day(offset), kind: kind, value: value, source: "cibmtr",
                     recordedOn: day(recordedDay ?? offset), corrects: corrects.map { OutcomeEventID($0) })
    }

    /// A CAR-T patient with every kind of event, a correction and a withdrawn assessment, and
    /// a gene therapy patient lost to follow-up.
    static let patients: [ResearchPatient] = [
        ResearchPatient(
            patientID: "pat-00001", birthYear: 1961, sex: .female, infusions: [.init(productID: "prd-yescarta", date: infusion)],
            diagnoses: [.init(code: "c8330", date: CalendarDate(year: 2024, month: 3, day: 1)!)],
            events: [
                event("oe-crs", .cytokineReleaseSyndrome(grade: 3), day: 3),
                event("oe-icans", .neurotoxicity(grade: 1), day: 5),
                event("oe-ldh-1", .labValue(test: "ldh", value: decimal("4.0"), unit: "U/L"), day: 30),
                event("oe-ldh-2", .labValue(test: "ldh", value: decimal("5.20"), unit: "U/L"), day: 30, recordedDay: 40, corrects: "oe-ldh-1"),
                event("oe-resp-30", .responseAssessment, day: 30, value: "partial"),
                event("oe-inf", .infection(grade: 2), day: 45, value: "bacterial"),
                event("oe-hosp", .hospitalization(reason: "febrile-neutropenia"), day: 50),
                event("oe-tx", .transfusion, day: 60),
                event("oe-resp-90", .responseAssessment, day: 90, value: "complete"),
                event("oe-error", .enteredInError, day: 90, recordedDay: 95, corrects: "oe-resp-90"),
                event("oe-death", .death, day: 200, value: "Jane Doe died at home"),
            ]
        ),
        ResearchPatient(
            patientID: "pat-00002", birthYear: 2004, sex: .male, infusions: [.init(productID: "prd-casgevy", date: day(20))],
            events: [
                event("oe-b1", .responseAssessment, day: 385, value: "transfusion-independent", patient: "pat-00002"),
                event("oe-b2", .lostToFollowUp, day: 400, patient: "pat-00002"),
            ]
        ),
    ]

    static let extract = try! OMOPExport.extract(patients, products: products, key: key)

    static func personID(_ patient: PatientID) -> String {
        let researchID = ResearchID.make(for: patient, key: key).text
        return extract.rows(.person).first { $0["person_source_value"] == researchID }!["person_id"]!
    }

    static func rows(_ table: OMOPTable, of patient: PatientID) -> [OMOPRow] {
        let id = personID(patient)
        return extract.rows(table).filter { $0["person_id"] == id }
    }

    @Test func onePersonPerPatientKeyedByResearchIDWithYearOfBirthOnly() throws {
        let people = Self.extract.rows(.person)
        #expect(people.count == 2)
        let first = try #require(people.first { $0["person_source_value"] == ResearchID.make(for: "pat-00001", key: Self.key).text })
        #expect(first["gender_concept_id"] == "8532")
        #expect(first["gender_source_value"] == "female")
        #expect(first["year_of_birth"] == "1961")
        #expect(first["month_of_birth"] == nil && first["day_of_birth"] == nil && first["birth_datetime"] == nil)
        #expect(first["race_concept_id"] == "0" && first["ethnicity_concept_id"] == "0")
        #expect(Self.rows(.person, of: "pat-00002").first?["gender_concept_id"] == "8507")
    }

    @Test func crsGradeThreeIsAConditionWithItsGrade() {
        let conditions = Self.rows(.conditionOccurrence, of: "pat-00001")
        let crs = conditions.filter { $0["condition_source_value"] == "crs" }
        #expect(crs.count == 1)
        #expect(crs.first?["condition_status_source_value"] == "grade-3")
        #expect(crs.first?["condition_start_date"] == "2025-01-13")
        #expect(crs.first?["condition_type_concept_id"] == "32879")
        #expect(conditions.first { $0["condition_source_value"] == "icans" }?["condition_status_source_value"] == "grade-1")
        let infection = conditions.first { $0["condition_source_value"] == "infection-bacterial" }
        #expect(infection?["condition_status_source_value"] == "grade-2")
    }

    @Test func theDiagnosisIsAnICD10CMConditionFromTheRecord() {
        let diagnosis = Self.rows(.conditionOccurrence, of: "pat-00001").first { $0["condition_source_value"] == "C83.30" }
        #expect(diagnosis?["condition_start_date"] == "2024-03-01")
        #expect(diagnosis?["condition_type_concept_id"] == "32817")
        #expect(diagnosis?["condition_concept_id"] == "0")
        #expect(OMOPExport.icd10CM("z9484") == "Z94.84")
        #expect(OMOPExport.icd10CM("C83") == "C83")
        #expect(OMOPExport.icd10CM("1234") == nil)
    }

    @Test func aCorrectionReplacesItsOriginalAndTheLabValueIsKeptExactly() {
        let measurements = Self.rows(.measurement, of: "pat-00001")
        #expect(measurements.count == 1)
        #expect(measurements.first?["value_as_number"] == "5.20")
        #expect(measurements.first?["value_source_value"] == "5.20")
        #expect(measurements.first?["unit_source_value"] == "U/L")
        #expect(measurements.first?["measurement_source_value"] == "ldh")
        #expect(measurements.first?["measurement_date"] == "2025-02-09")
        #expect(!Self.extract.csv(.measurement).contains("4.0"))
    }

    @Test func anEnteredInErrorEventAndTheEventItWithdrawsAreLeftOut() {
        let observations = Self.rows(.observation, of: "pat-00001")
        #expect(observations.compactMap { $0["value_as_string"] }.sorted() == ["febrile-neutropenia", "partial"])
        #expect(!observations.contains { $0["value_as_string"] == "complete" })
        #expect(!OMOPTable.allCases.contains { Self.extract.csv($0).contains("entered-in-error") })
        let hospitalization = observations.first { $0["observation_source_value"] == "hospitalization" }
        #expect(hospitalization?["value_source_value"] == "febrile-neutropenia")
        #expect(Self.rows(.procedureOccurrence, of: "pat-00001").map { $0["procedure_source_value"] } == ["transfusion"])
    }

    @Test func deathHasOneRowAndItsFreeTextStaysBehind() {
        let deaths = Self.extract.rows(.death)
        #expect(deaths.count == 1)
        #expect(deaths.first?["person_id"] == Self.personID("pat-00001"))
        #expect(deaths.first?["death_date"] == "2025-07-29")
        #expect(deaths.first?["death_type_concept_id"] == "32879")
        #expect(!OMOPTable.allCases.contains { Self.extract.csv($0).contains("Jane") })
    }

    @Test func observationPeriodsRunFromTheFirstToTheLastDateKnown() {
        let first = Self.rows(.observationPeriod, of: "pat-00001")
        #expect(first.count == 1)
        // From the diagnosis before infusion to the death.
        #expect(first.first?["observation_period_start_date"] == "2024-03-01")
        #expect(first.first?["observation_period_end_date"] == "2025-07-29")
        let second = Self.rows(.observationPeriod, of: "pat-00002")
        // From the infusion to the loss to follow-up, which adds no row of its own.
        #expect(second.first?["observation_period_start_date"] == "2025-01-30")
        #expect(second.first?["observation_period_end_date"] == "2026-02-14")
        #expect(second.first?["period_type_concept_id"] == "32879")
        #expect(Self.rows(.observation, of: "pat-00002").count == 1)
    }

    @Test func infusionsAreDrugExposuresWithTheIngredientWhereKnown() {
        let axiCel = Self.rows(.drugExposure, of: "pat-00001")
        #expect(axiCel.count == 1)
        #expect(axiCel.first?["drug_concept_id"] == "792844")
        #expect(axiCel.first?["drug_source_value"] == "axicabtagene ciloleucel")
        #expect(axiCel.first?["drug_exposure_start_date"] == "2025-01-10")
        #expect(axiCel.first?["drug_exposure_end_date"] == "2025-01-10")
        let exaCel = Self.rows(.drugExposure, of: "pat-00002")
        #expect(exaCel.first?["drug_concept_id"] == "0")
        #expect(exaCel.first?["drug_source_value"] == "exagamglogene autotemcel")
    }

    @Test func noInternalIDLeavesAndEveryRowKeyIsNumberedFromOne() {
        for table in OMOPTable.allCases {
            let csv = Self.extract.csv(table)
            #expect(!csv.contains("pat-0"), "\(table.name) holds an internal patient ID")
            #expect(!csv.contains("oe-"), "\(table.name) holds an outcome event ID")
            #expect(csv.hasPrefix(table.columns.joined(separator: ",") + "\r\n"))
            guard let key = table.keyColumn, key != "person_id" else { continue }
            let rows = Self.extract.rows(table)
            #expect(rows.map { $0[key] } == rows.indices.map { String($0 + 1) })
        }
        let personIDs = Set(Self.extract.rows(.person).compactMap { $0["person_id"] })
        for table in OMOPTable.allCases where table != .person {
            #expect(Self.extract.rows(table).allSatisfy { personIDs.contains($0["person_id"] ?? "") })
        }
    }

    @Test func theSameKeyGivesTheSameExtract() throws {
        let again = try OMOPExport.extract(Self.patients.reversed(), products: Self.products, key: Self.key)
        for table in OMOPTable.allCases { #expect(again.csv(table) == Self.extract.csv(table)) }
        let other = try OMOPExport.extract(Self.patients, products: Self.products, key: ResearchKey(bytes: Array(repeating: 8, count: 32)))
        #expect(other.csv(.person) != Self.extract.csv(.person))
        #expect(other.csv(.measurement).contains("5.20"))
    }

    @Test func aValueTooLongForItsColumnOrAPatientWithoutInfusionIsRefusedNamingIt() {
        let longTest = String(repeating: "a", count: 51)
        let patients = [
            ResearchPatient(patientID: "pat-9", birthYear: 1970, sex: .other, infusions: [.init(productID: "prd-yescarta", date: Self.infusion)],
                            events: [Self.event("oe-long", .labValue(test: longTest, value: Self.decimal("1"), unit: "%"), day: 3, patient: "pat-9")]),
            ResearchPatient(patientID: "pat-10", birthYear: 1970, sex: .unknown, infusions: []),
        ]
        do {
            _ = try OMOPExport.extract(patients, products: Self.products, key: Self.key)
            Issue.record("the extract was built")
        } catch {
            let fields = error.issues.map(\.field)
            #expect(fields.contains("patients[pat-9].events[oe-long].test"))
            #expect(fields.contains("patients[pat-10].infusions"))
        }
    }
}
