import Outcomes

/// Conditions: cytokine release syndrome and ICANS with their grade, infections with their
/// class and optional grade. Vaso-occlusive crises and bleeds are outcomes only as the
/// reason for an admission (see the Encounter mapping).
extension OutcomeReader {
    static let conditionDateElements = ["onsetDateTime", "onsetPeriod.start", "recordedDate"]
    static let conditionReads = "Conditions are read from the CRS, ICANS and infection codes in docs/OUTCOME_CODES.md"

    func conditionStatus(_ entry: Entry, _ issues: inout IssueList) -> Status {
        let verification = Coding.firstCode(in: entry.resource.member("verificationStatus"), system: FHIRCodeSystem.conditionVerificationStatus, &issues)
        switch verification {
        case "entered-in-error"?: return .withdrawn
        case "refuted"?: return .skip("verificationStatus refuted: it did not happen")
        case let tentative? where FactsReader.tentativeVerifications.contains(tentative):
            return .skip("verificationStatus \(tentative): only confirmed conditions are outcomes")
        default: return .read
        }
    }

    mutating func mapCondition(_ entry: inout Entry, _ issues: inout IssueList) -> Reading {
        let resource = entry.resource
        let concept = resource.member("code")
        let codings = Coding.all(in: concept, &issues)
        entry.codes = codings.map(\.token)

        // Several codings are alternatives for one condition: they must agree on the kind.
        var kinds: [(OutcomeKindCode, path: String)] = []
        var codeGrades: [(Int, String)] = []
        var infectionClass: String?
        var reasonOnly: String?
        for (position, coding) in codings.enumerated() {
            let path = "\(concept?.path ?? resource.path).coding[\(position)]"
            guard let code = coding.code else { continue }
            switch coding.system {
            case OutcomeTerminology.curePathKind?:
                if let kind = OutcomeKindCode(rawValue: code), [.cytokineReleaseSyndrome, .neurotoxicity, .infection].contains(kind) {
                    kinds.append((kind, path))
                }
            case OutcomeTerminology.curePathInfectionClass?:
                guard let term = OutcomeDictionary.lookupInfectionClass(code) else {
                    let hint = OutcomeDictionary.didYouMean(code, in: .infectionClasses).map { " (did you mean \($0)?)" } ?? ""
                    issues.add(path + ".code", "\(code.prefix(40)) is not an infection class\(hint): bacterial, viral or fungal")
                    continue
                }
                infectionClass = infectionClass ?? term.code
                kinds.append((.infection, path))
            default:
                for meaning in OutcomeTerminology.meanings(of: coding) {
                    switch meaning {
                    case .kind(let kind, let grade) where [.cytokineReleaseSyndrome, .neurotoxicity, .infection].contains(kind):
                        kinds.append((kind, path))
                        if let grade { codeGrades.append((grade, path + ".code")) }
                    case .infectionClass(let code):
                        infectionClass = infectionClass ?? code
                        kinds.append((.infection, path))
                    case .hospitalizationReason(let reason):
                        reasonOnly = reasonOnly ?? reason
                    default:
                        break
                    }
                }
            }
        }
        guard let (kind, _) = kinds.first else {
            if let reasonOnly {
                return .notAnOutcome("\(reasonOnly) is an outcome as the reason for an inpatient Encounter (reasonCode or reasonReference), not as a Condition on its own")
            }
            if concept == nil { issues.add(resource.path(of: "code"), "is required") }
            if issues.isEmpty { OutcomeReader.unknownCodes(concept, codings, &issues, reads: OutcomeReader.conditionReads) }
            return .drafts([])
        }
        if let other = kinds.first(where: { $0.0 != kind }) {
            issues.add(other.path, "codes \(other.0.rawValue), but an earlier coding codes \(kind.rawValue); one Condition is one outcome")
            return .drafts([])
        }
        guard let (grade, gradePath) = oneGrade(codeGrades + statedGrades(resource, &issues), kind: kind, at: concept?.path ?? resource.path, &issues),
              let (date, datePath) = day(resource, OutcomeReader.conditionDateElements, &issues)
        else { return .drafts([]) }
        let paths = ["grade": gradePath, "date": datePath, "value": concept?.path ?? resource.path]
        let reading = OutcomeKind.reading(kind, .init(value: infectionClass, grade: grade.map(String.init)))
        OutcomeReader.reportReading(reading, paths: paths, fallback: resource.path, &issues)
        guard let outcome = reading.kind else { return .drafts([]) }
        return .drafts([Draft(kind: outcome, value: reading.value, date: date, paths: paths)])
    }
}
