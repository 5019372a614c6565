import Criteria

/// MedicationStatement and MedicationAdministration: the agents of lines of therapy.
extension FactsReader {
    static let statementStatuses: Set<String> = ["active", "completed", "stopped", "on-hold"]
    static let administrationStatuses: Set<String> = ["in-progress", "completed", "stopped", "on-hold"]

    mutating func readMedication(_ entry: inout Entry) {
        let resource = entry.resource
        let concept = resource.member("medicationCodeableConcept")
        let codings = Coding.all(in: concept, &issues)
        entry.codes = codings.map(\.token)
        guard let status = resource.string("status", &issues, required: true) else { return }
        let read = entry.resourceType == "MedicationStatement" ? FactsReader.statementStatuses : FactsReader.administrationStatuses
        guard read.contains(status) else {
            return skip(entry, "status \(status.prefix(40)): only \(read.sorted().joined(separator: ", ")) records are read")
        }
        if let reason = otherPatient(entry) { return skip(entry, reason) }
        guard let concept else {
            if resource.has("medicationReference") { return skip(entry, "medicationReference is not read; send medicationCodeableConcept") }
            return issues.add(resource.path(of: "medication[x]"), "is required")
        }
        let text = concept.string("text", &issues)
        if let term = codings.lazy.compactMap({ $0.system == FHIRCodeSystem.rxNorm ? $0.code.flatMap(MedicationTerminology.term(rxNorm:)) : nil }).first
            ?? ([text] + codings.map(\.display)).lazy.compactMap({ $0.flatMap(MedicationTerminology.term(named:)) }).first
        {
            return readTherapyItem(entry, agent: term.agent, classes: term.classes, start: "effectiveDateTime", period: "effectivePeriod")
        }
        let classes = codings.filter { $0.system == FHIRCodeSystem.curePathTherapyClass }.compactMap(\.code)
        if !classes.isEmpty {
            return readTherapyItem(entry, agent: nil, classes: classes, start: "effectiveDateTime", period: "effectivePeriod")
        }
        let named = text.map { "; the name \"\($0.prefix(60))\" is not an agent in the table" } ?? ""
        let rxNorm = codings.filter { $0.system == FHIRCodeSystem.rxNorm }
        if rxNorm.isEmpty, codings.isEmpty {
            skip(entry, "medication \"\((text ?? "").prefix(60))\" is not an agent CurePath maps; agents are read from the RxNorm codes and names in docs/FHIR.md")
        } else {
            skip(entry, FactsReader.unknownCodes(rxNorm.isEmpty ? codings : rxNorm, reads: "agents are read from the RxNorm codes and names in docs/FHIR.md") + named)
        }
    }
}
