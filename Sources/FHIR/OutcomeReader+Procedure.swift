import Outcomes

/// Procedures: transfusions, and transplants or other therapies that are a subsequent therapy.
extension OutcomeReader {
    static let procedureReads = "Procedures are read from the transfusion and subsequent-therapy codes in docs/OUTCOME_CODES.md"

    func procedureStatus(_ entry: Entry, _ issues: inout IssueList) -> Status {
        guard let status = entry.resource.string("status", &issues, required: true) else { return .read }
        if status == "entered-in-error" { return .withdrawn }
        if status == "completed" { return .read }
        return .skip("status \(status.prefix(40)): only completed procedures are read")
    }

    mutating func mapProcedure(_ entry: inout Entry, _ issues: inout IssueList) -> Reading {
        let resource = entry.resource
        let concept = resource.member("code")
        let codings = Coding.all(in: concept, &issues)
        entry.codes = codings.map(\.token)
        var found: (kind: OutcomeKindCode, value: String?)?
        for coding in codings where found == nil {
            guard let code = coding.code else { continue }
            switch coding.system {
            case OutcomeTerminology.curePathKind?:
                switch OutcomeKindCode(rawValue: code) {
                case .transfusion?: found = (.transfusion, nil)
                case .subsequentTherapy?: found = (.subsequentTherapy, nil)
                default: break
                }
            case FHIRCodeSystem.curePathTherapyClass?:
                // A therapy class (`allogeneic-hsct`, `car-t`) started after the infusion.
                if !OutcomeTerminology.supportiveClasses.contains(code) { found = (.subsequentTherapy, code) }
            default:
                for case .kind(let kind, _) in OutcomeTerminology.meanings(of: coding) where kind == .transfusion || kind == .subsequentTherapy {
                    // The transplant's class, as the facts import names it, says which therapy.
                    var therapyClass: String?
                    if case .therapy(let name)? = ProcedureTerminology.meaning(of: coding) { therapyClass = name }
                    found = (kind, kind == .subsequentTherapy ? therapyClass : nil)
                    break
                }
            }
        }
        guard let found else {
            if concept == nil { issues.add(resource.path(of: "code"), "is required") }
            if issues.isEmpty { OutcomeReader.unknownCodes(concept, codings, &issues, reads: OutcomeReader.procedureReads) }
            return .drafts([])
        }
        guard let (date, datePath) = day(resource, ["performedDateTime", "performedPeriod.start"], &issues) else { return .drafts([]) }
        let kind: OutcomeKind = found.kind == .transfusion ? .transfusion : .subsequentTherapy
        return .drafts([Draft(kind: kind, value: found.value, date: date, paths: ["date": datePath, "value": concept?.path ?? resource.path])])
    }
}
