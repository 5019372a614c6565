import CareNetwork
import Core
import Criteria
import Outcomes

/// The clinical-facts form: one row per fact, each list with blank rows to add to, read back
/// into ``ClinicalFacts``. Field names carry the list and row (`labs[2].value`), the same
/// names validation errors use, so an error points at the row that caused it.
struct ClinicalFactsForm {
    struct Field { var name, value: String }
    struct Row { var index: Int; var fields: [String: String] }

    /// Rows per list, counting the blank ones offered for new facts.
    static let blankRows = 2
    static let lists: [(name: String, fields: [String])] = [
        ("diagnoses", ["code", "date"]),
        ("therapyLines", ["agents", "classes", "start", "end", "outcome", "outcomeDate"]),
        ("performanceStatus", ["score", "date"]),
        ("labs", ["code", "value", "upperLimitOfNormal", "date"]),
        ("exclusions", ["kind", "present", "date"]),
        ("pretests", ["code", "date"]),
    ]

    var values: [String: [Row]]

    /// The form showing `facts`, with blank rows to add to each list.
    init(_ facts: ClinicalFacts) {
        func rows(_ items: [[String: String]]) -> [Row] {
            (items + Array(repeating: [:], count: Self.blankRows)).enumerated().map { Row(index: $0.offset, fields: $0.element) }
        }
        values = [
            "diagnoses": rows(facts.diagnoses.map { ["code": $0.code, "date": $0.date.description] }),
            "therapyLines": rows(facts.therapyLines.map {
                ["agents": $0.agents.joined(separator: ", "), "classes": $0.classes.joined(separator: ", "), "start": $0.start.description,
                 "end": $0.end?.description ?? "", "outcome": $0.outcome?.rawValue ?? "", "outcomeDate": $0.outcomeDate?.description ?? ""]
            }),
            "performanceStatus": rows(facts.performanceStatus.map { ["score": String($0.score), "date": $0.date.description] }),
            "labs": rows(facts.labs.map {
                ["code": $0.code.rawValue, "value": $0.value.description, "upperLimitOfNormal": $0.upperLimitOfNormal?.description ?? "", "date": $0.date.description]
            }),
            "exclusions": rows(facts.exclusions.map { ["kind": $0.kind.rawValue, "present": $0.present ? "yes" : "no", "date": $0.date.description] }),
            "pretests": rows(facts.pretests.map { ["code": $0.code, "date": $0.date.description] }),
        ]
    }

    /// The form as submitted (`labs[2].value=…`), keeping what was typed for redisplay.
    init(fields: [String: String]) {
        var values: [String: [Row]] = [:]
        for (list, names) in Self.lists {
            var rows: [Row] = []
            var index = 0
            while names.contains(where: { fields["\(list)[\(index)].\($0)"] != nil }), index < 500 {
                var row: [String: String] = [:]
                for name in names { row[name] = fields["\(list)[\(index)].\(name)"]?.trimmingCharacters(in: .whitespaces) ?? "" }
                rows.append(Row(index: index, fields: row))
                index += 1
            }
            values[list] = rows
        }
        self.values = values
    }

    /// The facts the form says, or every problem by field name. Rows left blank are skipped.
    func facts(for patient: PatientID) throws(ValidationError) -> ClinicalFacts {
        var issues: [ValidationError.Issue] = []
        var facts = ClinicalFacts(patient: patient)
        func date(_ row: Row, _ list: String, _ name: String, required: Bool = true) -> CalendarDate? {
            let text = row.fields[name] ?? ""
            if text.isEmpty {
                if required { issues.append(.init(field: "\(list)[\(row.index)].\(name)", problem: "is required")) }
                return nil
            }
            guard let value = CalendarDate(iso8601: text) else {
                issues.append(.init(field: "\(list)[\(row.index)].\(name)", problem: "'\(text.prefix(40))' is not a date (YYYY-MM-DD)"))
                return nil
            }
            return value
        }
        func decimal(_ row: Row, _ list: String, _ name: String, required: Bool = true) -> ExactDecimal? {
            let text = row.fields[name] ?? ""
            if text.isEmpty {
                if required { issues.append(.init(field: "\(list)[\(row.index)].\(name)", problem: "is required")) }
                return nil
            }
            guard case .success(let value) = ExactDecimal.parse(text) else {
                issues.append(.init(field: "\(list)[\(row.index)].\(name)", problem: "'\(text.prefix(40))' is not a decimal number"))
                return nil
            }
            return value
        }
        func filled(_ list: String) -> [Row] { (values[list] ?? []).filter { $0.fields.values.contains { !$0.isEmpty } } }
        func names(_ text: String?) -> [String] {
            (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        }
        for row in filled("diagnoses") {
            if let day = date(row, "diagnoses", "date") { facts.diagnoses.append(Diagnosis(code: row.fields["code"] ?? "", date: day)) }
        }
        for row in filled("therapyLines") {
            let outcomeText = row.fields["outcome"] ?? ""
            let outcome = TherapyOutcome(rawValue: outcomeText)
            if !outcomeText.isEmpty, outcome == nil {
                issues.append(.init(field: "therapyLines[\(row.index)].outcome", problem: "must be refractory, relapsed or response"))
            }
            if let start = date(row, "therapyLines", "start") {
                facts.therapyLines.append(TherapyLine(
                    agents: names(row.fields["agents"]), classes: names(row.fields["classes"]), start: start,
                    end: date(row, "therapyLines", "end", required: false), outcome: outcome, outcomeDate: date(row, "therapyLines", "outcomeDate", required: false)))
            }
        }
        for row in filled("performanceStatus") {
            guard let score = Int(row.fields["score"] ?? "") else {
                issues.append(.init(field: "performanceStatus[\(row.index)].score", problem: "must be an ECOG score from 0 to 5"))
                continue
            }
            if let day = date(row, "performanceStatus", "date") { facts.performanceStatus.append(PerformanceStatus(score: score, date: day)) }
        }
        for row in filled("labs") {
            let value = decimal(row, "labs", "value"), uln = decimal(row, "labs", "upperLimitOfNormal", required: false), day = date(row, "labs", "date")
            if let value, let day { facts.labs.append(LabObservation(code: LabCode(rawValue: row.fields["code"] ?? ""), value: value, upperLimitOfNormal: uln, date: day)) }
        }
        for row in filled("exclusions") {
            guard let kind = ExclusionKind(rawValue: row.fields["kind"] ?? "") else {
                issues.append(.init(field: "exclusions[\(row.index)].kind", problem: "must be activeInfection, cnsInvolvement or priorCarT"))
                continue
            }
            let present = row.fields["present"] ?? ""
            guard present == "yes" || present == "no" else {
                issues.append(.init(field: "exclusions[\(row.index)].present", problem: "say whether it is present (yes) or absent (no)"))
                continue
            }
            if let day = date(row, "exclusions", "date") { facts.exclusions.append(ExclusionFact(kind: kind, present: present == "yes", date: day)) }
        }
        for row in filled("pretests") {
            if let day = date(row, "pretests", "date") { facts.pretests.append(PretestResult(code: (row.fields["code"] ?? "").lowercased(), date: day)) }
        }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        return try facts.validated()
    }

    /// Each list's rows as fields named for the form, for the template.
    func rows(_ list: String) -> [[Field]] {
        let names = Self.lists.first { $0.name == list }?.fields ?? []
        return (values[list] ?? []).map { row in names.map { Field(name: "\(list)[\(row.index)].\($0)", value: row.fields[$0] ?? "") } }
    }
}
