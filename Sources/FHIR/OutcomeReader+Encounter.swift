import Outcomes

/// Encounters: an inpatient admission (class IMP, ACUTE or NONAC) is a hospitalization, once
/// for each distinct reason it names.
extension OutcomeReader {
    func encounterStatus(_ entry: Entry, _ issues: inout IssueList) -> Status {
        guard let status = entry.resource.string("status", &issues, required: true) else { return .read }
        if status == "entered-in-error" { return .withdrawn }
        if OutcomeTerminology.encounterStatuses.contains(status) { return .read }
        return .skip("status \(status.prefix(40)): only in-progress or finished admissions are read")
    }

    /// The reasons come from `reasonCode` and from Conditions that `reasonReference` names
    /// (in the bundle or contained). A reason CurePath does not know is ignored when another
    /// names a known one (an admission for a crisis may list its comorbidities too) and
    /// refused when none does: a hospitalization must say why.
    mutating func mapEncounter(_ entry: inout Entry, _ issues: inout IssueList) -> Reading {
        let resource = entry.resource
        guard let encounterClass = resource.object("class", &issues, required: true) else { return .drafts([]) }
        let classCode = encounterClass.string("code", &issues)
        let classSystem = encounterClass.string("system", &issues)
        guard classSystem == OutcomeTerminology.actCode, let classCode, OutcomeTerminology.inpatientClasses.contains(classCode) else {
            return .notAnOutcome("class \(OutcomeTerminology.shortName(classSystem)) \((classCode ?? "(no code)").prefix(20)): not an inpatient admission (HL7 ActCode IMP, ACUTE or NONAC)")
        }

        var reasons: [(code: String, path: String)] = []
        var unknown: [(JSONNode, [Coding])] = []
        for concept in resource.objects("reasonCode", &issues) {
            let codings = Coding.all(in: concept, &issues)
            entry.codes += codings.map(\.token)
            if let reason = OutcomeReader.reason(in: codings) { reasons.append((reason, concept.path)) } else { unknown.append((concept, codings)) }
        }
        for reference in resource.objects("reasonReference", &issues) {
            guard let text = reference.string("reference", &issues) else { continue }
            // A reason may also be a Procedure or an Observation, or a Condition not sent: like an
            // unknown code, that matters only when no reason is known.
            guard let condition = target(of: text, in: resource), condition.string("resourceType", &issues) == "Condition" else {
                unknown.append((reference, []))
                continue
            }
            let codings = Coding.all(in: condition.member("code"), &issues)
            if let reason = OutcomeReader.reason(in: codings) { reasons.append((reason, reference.path)) } else { unknown.append((reference, codings)) }
        }
        guard issues.isEmpty else { return .drafts([]) }
        guard !reasons.isEmpty else {
            if let (node, codings) = unknown.first {
                if node.has("reference"), codings.isEmpty {
                    let text = node.member("reference")?.stringValue ?? ""
                    issues.add(node.path(of: "reference"), "\(text.prefix(80)) is not a Condition in the bundle; send the reason in reasonCode or include the Condition")
                } else if node.has("reference") {
                    issues.add(node.path, "the Condition it names (\(codings.prefix(3).map(OutcomeTerminology.shown).joined(separator: ", "))) is not a hospitalization reason CurePath maps; reasons are listed in docs/OUTCOME_CODES.md")
                } else {
                    OutcomeReader.unknownCodes(node, codings, &issues, reads: "hospitalization reasons are listed in docs/OUTCOME_CODES.md (CurePath reason other for anything else)")
                }
            } else {
                issues.add(resource.path(of: "reasonCode"), "is required for an inpatient admission (or reasonReference): why the patient was admitted")
            }
            return .drafts([])
        }
        guard let (date, datePath) = day(resource, ["period.start"], &issues) else { return .drafts([]) }
        var seen = Set<String>()
        var drafts: [Draft] = []
        for reason in reasons where seen.insert(reason.code).inserted {
            let paths = ["reason": reason.path, "date": datePath]
            let reading = OutcomeKind.reading(.hospitalization, .init(reason: reason.code))
            OutcomeReader.reportReading(reading, paths: paths, fallback: resource.path, &issues)
            guard let kind = reading.kind else { continue }
            drafts.append(Draft(kind: kind, date: date, paths: paths, discriminator: reason.code))
        }
        return .drafts(drafts)
    }

    /// The hospitalization reason a concept's codings name: a standard code in the reason
    /// table, a CurePath reason code (synonyms too), or a CurePath kind that is also a reason.
    static func reason(in codings: [Coding]) -> String? {
        for coding in codings {
            guard let code = coding.code else { continue }
            switch coding.system {
            case OutcomeTerminology.curePathReason?:
                if let term = OutcomeDictionary.lookupHospitalizationReason(code) { return term.code }
            case OutcomeTerminology.curePathKind?:
                if let term = OutcomeDictionary.lookupHospitalizationReason(code) { return term.code }
            default:
                for case .hospitalizationReason(let reason) in OutcomeTerminology.meanings(of: coding) { return reason }
            }
        }
        return nil
    }
}
