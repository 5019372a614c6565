import CurePathTesting
import Foundation
import Testing

@Suite("curepath export omop")
struct ExportCLITests {
    static let tables: [(file: String, header: String)] = [
        ("person.csv", "person_id,gender_concept_id,year_of_birth,month_of_birth,day_of_birth,birth_datetime,race_concept_id,ethnicity_concept_id,location_id,provider_id,care_site_id,person_source_value,gender_source_value,gender_source_concept_id,race_source_value,race_source_concept_id,ethnicity_source_value,ethnicity_source_concept_id"),
        ("observation_period.csv", "observation_period_id,person_id,observation_period_start_date,observation_period_end_date,period_type_concept_id"),
        ("condition_occurrence.csv", "condition_occurrence_id,person_id,condition_concept_id,condition_start_date,condition_start_datetime,condition_end_date,condition_end_datetime,condition_type_concept_id,condition_status_concept_id,stop_reason,provider_id,visit_occurrence_id,visit_detail_id,condition_source_value,condition_source_concept_id,condition_status_source_value"),
        ("drug_exposure.csv", "drug_exposure_id,person_id,drug_concept_id,drug_exposure_start_date,drug_exposure_start_datetime,drug_exposure_end_date,drug_exposure_end_datetime,verbatim_end_date,drug_type_concept_id,stop_reason,refills,quantity,days_supply,sig,route_concept_id,lot_number,provider_id,visit_occurrence_id,visit_detail_id,drug_source_value,drug_source_concept_id,route_source_value,dose_unit_source_value"),
        ("procedure_occurrence.csv", "procedure_occurrence_id,person_id,procedure_concept_id,procedure_date,procedure_datetime,procedure_end_date,procedure_end_datetime,procedure_type_concept_id,modifier_concept_id,quantity,provider_id,visit_occurrence_id,visit_detail_id,procedure_source_value,procedure_source_concept_id,modifier_source_value"),
        ("measurement.csv", "measurement_id,person_id,measurement_concept_id,measurement_date,measurement_datetime,measurement_time,measurement_type_concept_id,operator_concept_id,value_as_number,value_as_concept_id,unit_concept_id,range_low,range_high,provider_id,visit_occurrence_id,visit_detail_id,measurement_source_value,measurement_source_concept_id,unit_source_value,unit_source_concept_id,value_source_value,measurement_event_id,meas_event_field_concept_id"),
        ("observation.csv", "observation_id,person_id,observation_concept_id,observation_date,observation_datetime,observation_type_concept_id,value_as_number,value_as_string,value_as_concept_id,qualifier_concept_id,unit_concept_id,provider_id,visit_occurrence_id,visit_detail_id,observation_source_value,observation_source_concept_id,unit_source_value,qualifier_source_value,value_source_value,observation_event_id,obs_event_field_concept_id"),
        ("death.csv", "person_id,death_date,death_datetime,death_type_concept_id,cause_concept_id,cause_source_value,cause_source_concept_id"),
    ]

    /// The demo's synthetic names (DemoNetwork's SyntheticPerson lists): none may appear in an extract.
    static let demoNames = [
        "Avery", "Beatrice", "Camila", "Dolores", "Elena", "Fatima", "Grace", "Hannah", "Imani", "Joan", "Keiko", "Linda", "Maria", "Nadia",
        "Olivia", "Priya", "Rosa", "Sofia", "Tamara", "Valerie", "Aaron", "Bernard", "Carlos", "Darnell", "Eduardo", "Frank", "Gerald", "Hiroshi",
        "Isaac", "Jamal", "Kevin", "Luis", "Marcus", "Nathan", "Omar", "Patrick", "Raymond", "Samuel", "Thomas", "Victor", "Abernathy",
        "Baptiste", "Castellano", "Delacroix", "Ellsworth", "Fairbanks", "Gallagher", "Hollister", "Iverson", "Jablonski", "Kowalczyk",
        "Lindqvist", "Montgomery", "Nakamura", "Okonkwo", "Pemberton", "Quintero", "Rasmussen", "Sandoval", "Thibodeaux", "Underhill",
        "Vasquez", "Whitfield", "Yamamoto",
    ]

    /// What a field of an extract may look like: a number (keys, concepts, years, exact
    /// decimals), a date, a research ID, a lower-case code, an ICD-10-CM code, or a unit —
    /// which must hold a symbol or digit, or be a short upper-case abbreviation, so that no
    /// capitalised word (a name) passes.
    static let allowedField =
        #"^(|-?[0-9]+(\.[0-9]+)?|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9a-f]{32}|[a-z0-9][a-z0-9 ._-]*|[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?"#
            + #"|[A-Za-z0-9.-]*[%/^*\[\]{}µ0-9][A-Za-z0-9%/^*.\[\]{}µ-]*|[A-Z]{1,4})$"#

    static func lines(_ url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\r\n").dropLast().map { $0 }
    }

    @Test("writes the eight tables with their CDM headers, no internal ID, name or member ID, and audits the read")
    func exportOMOP() throws {
        try CLITests.withDemoDatabase { database in
            let directory = URL(fileURLWithPath: database).deletingLastPathComponent()
            let keyFile = directory.appendingPathComponent("research.key"), otherKeyFile = directory.appendingPathComponent("other.key")
            try String(repeating: "5a", count: 32).write(to: keyFile, atomically: true, encoding: .utf8)
            try String(repeating: "a5", count: 32).write(to: otherKeyFile, atomically: true, encoding: .utf8)
            let out = directory.appendingPathComponent("omop")
            let run = try CLITests.run(["export", "omop", "--out", out.path, "--research-key-file", keyFile.path, "--database", database])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.split(separator: "\n").count == 8)
            #expect(run.stdout.contains("person: "))

            let allowedField = try Regex(Self.allowedField)
            var everything = ""
            for (file, header) in Self.tables {
                let lines = try Self.lines(out.appendingPathComponent(file))
                #expect(lines.first == header, "\(file)")
                everything += lines.joined(separator: "\n") + "\n"
                for line in lines.dropFirst() {
                    for field in line.split(separator: ",", omittingEmptySubsequences: false) {
                        #expect(String(field).wholeMatch(of: allowedField) != nil, "\(file): unexpected field \(field)")
                    }
                }
            }
            let people = try Self.lines(out.appendingPathComponent("person.csv")).dropFirst()
            #expect(!people.isEmpty)
            #expect(try Self.lines(out.appendingPathComponent("drug_exposure.csv")).count > 1)
            #expect(try Self.lines(out.appendingPathComponent("observation_period.csv")).count == people.count + 1)

            #expect(!everything.contains("pat-"), "an internal patient ID left in the extract")
            for name in Self.demoNames { #expect(!everything.contains(name), "the name \(name) left in the extract") }
            #expect(everything.firstMatch(of: try Regex("[A-Z]{3}[0-9]{9}")) == nil, "a member ID left in the extract")

            let audit = try CLITests.run(["audit", "list", "--action", "export-research", "--database", database])
            #expect(audit.status == 0)
            #expect(audit.stdout.contains("patients:\(people.count)"))
            #expect(audit.stdout.contains("research-export"))
            #expect(try CLITests.run(["audit", "verify", "--database", database]).status == 0)

            // The same key lines up with the first extract; another key does not.
            let again = directory.appendingPathComponent("omop-again"), other = directory.appendingPathComponent("omop-other")
            #expect(try CLITests.run(["export", "omop", "--out", again.path, "--research-key-file", keyFile.path, "--database", database]).status == 0)
            #expect(try Self.lines(again.appendingPathComponent("person.csv")) == Self.lines(out.appendingPathComponent("person.csv")))
            #expect(try CLITests.run(["export", "omop", "--out", other.path, "--research-key-file", otherKeyFile.path, "--database", database]).status == 0)
            let firstIDs = Set(people.map { $0.split(separator: ",", omittingEmptySubsequences: false)[11] })
            let otherIDs = Set(try Self.lines(other.appendingPathComponent("person.csv")).dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[11] })
            #expect(firstIDs.isDisjoint(with: otherIDs))
        }
    }

    /// The executable inherits the test's environment, where a developer may have a key set.
    @Test("a missing or malformed research key is one line on stderr, a non-zero exit and no files",
          .enabled(if: ProcessInfo.processInfo.environment["CUREPATH_RESEARCH_KEY"] == nil))
    func missingKey() throws {
        try CLITests.withDemoDatabase { database in
            let directory = URL(fileURLWithPath: database).deletingLastPathComponent()
            let out = directory.appendingPathComponent("omop")
            let missing = try CLITests.run(["export", "omop", "--out", out.path, "--database", database])
            #expect(missing.status != 0)
            #expect(missing.stderr.split(separator: "\n").count == 1)
            #expect(missing.stderr.contains("research key"))
            #expect(!FileManager.default.fileExists(atPath: out.path))
            let short = directory.appendingPathComponent("short.key")
            try "abcd".write(to: short, atomically: true, encoding: .utf8)
            let malformed = try CLITests.run(["export", "omop", "--out", out.path, "--research-key-file", short.path, "--database", database])
            #expect(malformed.status != 0)
            #expect(malformed.stderr.split(separator: "\n").count == 1)
            #expect(malformed.stderr.contains("--research-key-file"))
            let audit = try CLITests.run(["audit", "list", "--action", "export-research", "--database", database])
            #expect(!audit.stdout.contains("export-research"))
        }
    }
}
