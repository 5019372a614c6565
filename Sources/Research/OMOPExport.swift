import CareNetwork
import Core
import Outcomes

/// Turns treated patients into OMOP CDM v5.4 rows keyed by research ID: the research
/// export of the outcomes registry (docs/OMOP.md).
///
/// One person per patient, `person_source_value` the ``ResearchID`` — never the internal ID,
/// a token, a name or a member ID, none of which ``ResearchPatient`` even carries. Outcome
/// events are taken as they stand today: a correction replaces its original, an
/// entered-in-error event removes itself and the event it withdraws. Dates are calendar days
/// (`YYYY-MM-DD`); every datetime column is NULL, since CurePath records no time of day.
public enum OMOPExport {
    /// Builds the extract, or throws every problem at once (a source value too long for its
    /// column, a patient without an infusion), each naming the patient and field.
    ///
    /// `progress` is called with the number of patients mapped so far.
    public static func extract(
        _ patients: [ResearchPatient], products: [Product], key: ResearchKey, progress: (Int) -> Void = { _ in }
    ) throws(ValidationError) -> OMOPExtract {
        var issues: [ValidationError.Issue] = []
        var seen = Set<PatientID>()
        for patient in patients where !seen.insert(patient.patientID).inserted {
            issues.append(.init(field: "patients[\(patient.patientID)]", problem: "appears twice; give each patient once with all of their data"))
        }
        let researchIDs = patients.map { ResearchID.make(for: $0.patientID, key: key) }
        let personIDs = PersonNumbering.assign(researchIDs)
        let genericNames = Dictionary(products.map { ($0.id, $0.genericName) }, uniquingKeysWith: { first, _ in first })
        var builder = Builder(genericNames: genericNames)
        let ordered = zip(patients, researchIDs).sorted { personIDs[$0.1]! < personIDs[$1.1]! }
        for (done, (patient, researchID)) in ordered.enumerated() {
            builder.add(patient, researchID: researchID, personID: personIDs[researchID]!)
            progress(done + 1)
        }
        issues += builder.issues
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        return OMOPExtract(tables: builder.tables)
    }

    /// ICD-10-CM as the OMOP vocabulary spells its concept codes: upper case, a dot after the
    /// third character (`C83.30`); `nil` when the text is not shaped like a code.
    public static func icd10CM(_ code: String) -> String? {
        let bare = code.uppercased().filter { $0 != "." }
        guard (3...7).contains(bare.count), bare.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            bare.first!.isLetter
        else { return nil }
        guard bare.count > 3 else { return bare }
        return String(bare.prefix(3)) + "." + String(bare.dropFirst(3))
    }

    /// Accumulates rows table by table, numbering each table's keys from 1 in output order.
    struct Builder {
        let genericNames: [ProductID: String]
        var tables: [OMOPTable: [OMOPRow]] = [:]
        var issues: [ValidationError.Issue] = []
        private var nextKey: [OMOPTable: Int] = [:]

        init(genericNames: [ProductID: String]) { self.genericNames = genericNames }

        mutating func add(_ patient: ResearchPatient, researchID: ResearchID, personID: Int) {
            let field = "patients[\(patient.patientID)]"
            var person = OMOPRow(.person)
            person[number: "person_id"] = personID
            person[number: "gender_concept_id"] = switch patient.sex {
            case .male: OMOPConcepts.male
            case .female: OMOPConcepts.female
            case .other, .unknown: OMOPConcepts.noMatchingConcept
            }
            person[number: "year_of_birth"] = patient.birthYear
            person[number: "race_concept_id"] = OMOPConcepts.noMatchingConcept
            person[number: "ethnicity_concept_id"] = OMOPConcepts.noMatchingConcept
            person["person_source_value"] = researchID.text
            person["gender_source_value"] = patient.sex.rawValue
            person[number: "gender_source_concept_id"] = OMOPConcepts.noMatchingConcept
            append(person)

            guard !patient.infusions.isEmpty else {
                issues.append(.init(field: "\(field).infusions", problem: "is empty; only treated patients are exported, from their infusion on"))
                return
            }
            var dates: [CalendarDate] = []
            for infusion in Set(patient.infusions).sorted(by: { ($0.date, $0.productID) < ($1.date, $1.productID) }) {
                let name = genericNames[infusion.productID] ?? infusion.productID.rawValue
                var row = OMOPRow(.drugExposure)
                row[number: "person_id"] = personID
                row[number: "drug_concept_id"] = OMOPConcepts.drug(genericName: name)
                row["drug_exposure_start_date"] = infusion.date.description
                // One infusion: it ends the day it starts.
                row["drug_exposure_end_date"] = infusion.date.description
                row[number: "drug_type_concept_id"] = OMOPConcepts.registry
                set(&row, "drug_source_value", name, field: "\(field).infusions[\(infusion.productID)].product")
                row[number: "drug_source_concept_id"] = OMOPConcepts.noMatchingConcept
                append(row)
                dates.append(infusion.date)
            }

            var diagnosed = Set<String>()
            for (index, diagnosis) in patient.diagnoses.enumerated().sorted(by: { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }) {
                guard let code = OMOPExport.icd10CM(diagnosis.code) else {
                    issues.append(.init(field: "\(field).diagnoses[\(index)].code", problem: "is not an ICD-10-CM code"))
                    continue
                }
                guard diagnosed.insert("\(code)|\(diagnosis.date)").inserted else { continue }
                var row = OMOPRow(.conditionOccurrence)
                row[number: "person_id"] = personID
                row[number: "condition_concept_id"] = OMOPConcepts.noMatchingConcept
                row["condition_start_date"] = diagnosis.date.description
                row[number: "condition_type_concept_id"] = OMOPConcepts.ehr
                row["condition_source_value"] = code
                row[number: "condition_source_concept_id"] = OMOPConcepts.noMatchingConcept
                append(row)
                dates.append(diagnosis.date)
            }

            let own = patient.events.filter { $0.patientID == patient.patientID }
            if own.count != patient.events.count {
                issues.append(.init(field: "\(field).events", problem: "holds events of another patient"))
            }
            let standing = OutcomeHistory.effective(own).sorted { ($0.date, $0.id.rawValue) < ($1.date, $1.id.rawValue) }
            var death: CalendarDate?
            for event in standing {
                guard let destination = OutcomeMapping.destination(of: event) else { continue }
                dates.append(event.date)
                add(destination, of: event, personID: personID, field: "\(field).events[\(event.id)]", death: &death)
            }
            if let death {
                var row = OMOPRow(.death)
                row[number: "person_id"] = personID
                row["death_date"] = death.description
                row[number: "death_type_concept_id"] = OMOPConcepts.registry
                append(row)
            }

            var period = OMOPRow(.observationPeriod)
            period[number: "person_id"] = personID
            period["observation_period_start_date"] = dates.min()!.description
            period["observation_period_end_date"] = dates.max()!.description
            period[number: "period_type_concept_id"] = OMOPConcepts.registry
            append(period)
        }

        private mutating func add(_ destination: OutcomeMapping.Destination, of event: OutcomeEvent, personID: Int, field: String, death: inout CalendarDate?) {
            let date = event.date.description
            switch destination {
            case .condition(let source, let status):
                var row = OMOPRow(.conditionOccurrence)
                row[number: "person_id"] = personID
                row[number: "condition_concept_id"] = OMOPConcepts.noMatchingConcept
                row["condition_start_date"] = date
                row[number: "condition_type_concept_id"] = OMOPConcepts.registry
                set(&row, "condition_source_value", source, field: "\(field).kind")
                row[number: "condition_source_concept_id"] = OMOPConcepts.noMatchingConcept
                if let status {
                    row[number: "condition_status_concept_id"] = OMOPConcepts.noMatchingConcept
                    row["condition_status_source_value"] = status
                }
                append(row)
            case .observation(let source, let value):
                var row = OMOPRow(.observation)
                row[number: "person_id"] = personID
                row[number: "observation_concept_id"] = OMOPConcepts.noMatchingConcept
                row["observation_date"] = date
                row[number: "observation_type_concept_id"] = OMOPConcepts.registry
                if let value {
                    row["value_as_string"] = value
                    set(&row, "value_source_value", value, field: "\(field).\(event.kind.code == .hospitalization ? "reason" : "value")")
                }
                row["observation_source_value"] = source
                row[number: "observation_source_concept_id"] = OMOPConcepts.noMatchingConcept
                append(row)
            case .measurement(let test, let value, let unit):
                var row = OMOPRow(.measurement)
                row[number: "person_id"] = personID
                row[number: "measurement_concept_id"] = OMOPConcepts.noMatchingConcept
                row["measurement_date"] = date
                row[number: "measurement_type_concept_id"] = OMOPConcepts.registry
                // The decimal's own text: 5.20 stays 5.20, never a binary float's 5.2000000000000002.
                row["value_as_number"] = value.description
                row[number: "unit_concept_id"] = OMOPConcepts.noMatchingConcept
                set(&row, "measurement_source_value", test, field: "\(field).test")
                row[number: "measurement_source_concept_id"] = OMOPConcepts.noMatchingConcept
                set(&row, "unit_source_value", unit, field: "\(field).unit")
                row["value_source_value"] = value.description
                append(row)
            case .procedure(let source):
                var row = OMOPRow(.procedureOccurrence)
                row[number: "person_id"] = personID
                row[number: "procedure_concept_id"] = OMOPConcepts.noMatchingConcept
                row["procedure_date"] = date
                row[number: "procedure_type_concept_id"] = OMOPConcepts.registry
                row["procedure_source_value"] = source
                row[number: "procedure_source_concept_id"] = OMOPConcepts.noMatchingConcept
                append(row)
            case .death:
                // One death row per person: the earliest death that stands.
                if death == nil || event.date < death! { death = event.date }
            case .periodBound:
                break
            }
        }

        /// Sets a text cell, or records an issue when it is longer than the DDL allows: a
        /// loader would refuse the whole file, and cutting a code short would change it.
        private mutating func set(_ row: inout OMOPRow, _ column: String, _ text: String, field: String) {
            if let maximum = OMOPTable.maximumLength(of: column), text.count > maximum {
                issues.append(.init(field: field, problem: "is \(text.count) characters; \(row.table.name).\(column) holds at most \(maximum)"))
                return
            }
            row[column] = text
        }

        private mutating func append(_ row: OMOPRow) {
            var row = row
            if let key = row.table.keyColumn, key != "person_id" {
                let next = nextKey[row.table, default: 1]
                row[number: key] = next
                nextKey[row.table] = next + 1
            }
            tables[row.table, default: []].append(row)
        }
    }
}
