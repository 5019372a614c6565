import Criteria

/// Procedures: pretests by SNOMED CT, CPT or CurePath code, and transplants as therapy lines.
extension FactsReader {
    mutating func readProcedure(_ entry: inout Entry) {
        let resource = entry.resource
        let codings = Coding.all(in: resource.member("code"), &issues)
        entry.codes = codings.map(\.token)
        guard let status = resource.string("status", &issues, required: true) else { return }
        guard status == "completed" else { return skip(entry, "status \(status.prefix(40)): only completed procedures are read") }
        if let reason = otherPatient(entry) { return skip(entry, reason) }
        guard let meaning = codings.lazy.compactMap(ProcedureTerminology.meaning).first else {
            return skip(entry, FactsReader.unknownCodes(codings, reads: "procedures are read from the SNOMED CT, CPT and CurePath codes in docs/FHIR.md"))
        }
        switch meaning {
        case .pretest(let code):
            guard let (day, datePath) = usableDay(dated(resource, ["performedDateTime", "performedPeriod.start"]), entry, needs: "a pretest") else { return }
            facts.pretests.append(PretestResult(code: code, date: day))
            record("pretests", Source(resource: resource.path, fields: ["code": resource.path(of: "code"), "date": datePath]))
        case .therapy(let therapyClass):
            readTherapyItem(entry, agent: nil, classes: [therapyClass], start: "performedDateTime", period: "performedPeriod")
        }
    }
}
