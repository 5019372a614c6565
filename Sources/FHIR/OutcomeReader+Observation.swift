import Outcomes

/// Observations: response assessments, lab values, losses to follow-up, and CRS or ICANS
/// graded as an observation with CurePath's kind code.
extension OutcomeReader {
    static let effectiveElements = ["effectiveDateTime", "effectivePeriod.start", "effectiveInstant"]
    static let observationReads = "Observations are read from the response, lab and lost-to-follow-up codes in docs/OUTCOME_CODES.md"

    /// What an Observation's code says it is.
    enum ObservationMeaning {
        case response
        case lab(OutcomeDictionary.LabTest)
        case lostToFollowUp
        case toxicity(OutcomeKindCode)
    }

    func observationStatus(_ entry: Entry, _ issues: inout IssueList) -> Status {
        guard let status = entry.resource.string("status", &issues, required: true) else { return .read }
        if status == "entered-in-error" { return .withdrawn }
        if OutcomeTerminology.observationStatuses.contains(status) { return .read }
        return .skip("status \(status.prefix(40)): only final, amended or corrected results are read")
    }

    mutating func mapObservation(_ entry: inout Entry, _ issues: inout IssueList) -> Reading {
        let resource = entry.resource
        let concept = resource.member("code")
        if concept == nil { issues.add(resource.path(of: "code"), "is required") }
        let codings = Coding.all(in: concept, &issues)
        entry.codes = codings.map(\.token)
        var found: ObservationMeaning?
        for coding in codings where found == nil {
            found = OutcomeReader.observationMeaning(coding, &issues, at: concept?.path ?? resource.path)
        }
        guard let meaning = found else {
            if issues.isEmpty { OutcomeReader.unknownCodes(concept, codings, &issues, reads: OutcomeReader.observationReads) }
            return .drafts([])
        }
        switch meaning {
        case .response: return readResponse(resource, &issues)
        case .lab(let test): return readLab(resource, test, &issues)
        case .lostToFollowUp:
            guard let (date, path) = day(resource, OutcomeReader.effectiveElements, &issues) else { return .drafts([]) }
            return .drafts([Draft(kind: .lostToFollowUp, date: date, paths: ["date": path])])
        case .toxicity(let kind): return readGradedObservation(resource, kind, &issues)
        }
    }

    /// The meaning of one coding of `Observation.code`, or `nil`; a CurePath kind code that is
    /// not read from an Observation is reported.
    static func observationMeaning(_ coding: Coding, _ issues: inout IssueList, at path: String) -> ObservationMeaning? {
        guard let code = coding.code else { return nil }
        switch coding.system {
        case OutcomeTerminology.curePathKind?:
            switch OutcomeKindCode(rawValue: code) {
            case .responseAssessment?: return .response
            case .lostToFollowUp?: return .lostToFollowUp
            case .cytokineReleaseSyndrome?: return .toxicity(.cytokineReleaseSyndrome)
            case .neurotoxicity?: return .toxicity(.neurotoxicity)
            case let other?:
                issues.add(path, "CurePath outcome kind \(other.rawValue) is not read from an Observation; docs/FHIR.md lists the resource for each kind")
                return nil
            case nil: return nil
            }
        case OutcomeTerminology.curePathLabTest?:
            return OutcomeDictionary.lookupLabTest(code).map(ObservationMeaning.lab)
        default:
            for meaning in OutcomeTerminology.meanings(of: coding) {
                switch meaning {
                case .kind(.responseAssessment, _): return .response
                case .kind(.lostToFollowUp, _): return .lostToFollowUp
                case .labTest(let test): return OutcomeDictionary.lookupLabTest(test).map(ObservationMeaning.lab)
                default: continue
                }
            }
            return nil
        }
    }

    // MARK: Response

    /// The category from `valueCodeableConcept`: an mCODE answer (SNOMED CT) or a CurePath
    /// response code, synonyms included (`CR`).
    private func readResponse(_ resource: JSONNode, _ issues: inout IssueList) -> Reading {
        guard let concept = resource.member("valueCodeableConcept") else {
            if resource.has("dataAbsentReason") { return .notAnOutcome("no value (dataAbsentReason): no response was determined") }
            let other = OutcomeReader.otherValue(resource)
            issues.add(resource.path(of: other ?? "valueCodeableConcept"),
                       other.map { "a response is read from valueCodeableConcept, not \($0)" } ?? "is required: the response category")
            return .drafts([])
        }
        let answers = Coding.all(in: concept, &issues)
        var category: String?
        for answer in answers {
            if answer.system == OutcomeTerminology.curePathResponse, let code = answer.code {
                category = OutcomeDictionary.lookupResponse(code)?.code
            } else {
                category = OutcomeTerminology.meanings(of: answer).lazy.compactMap { meaning -> String? in
                    if case .response(let code) = meaning { return code } else { return nil }
                }.first
            }
            if category != nil { break }
        }
        guard let category else {
            if answers.contains(where: { $0.system == FHIRCodeSystem.snomed && $0.code == "268910001" }) {
                issues.add(concept.path, "SNOMED CT 268910001 (condition improved) does not say whether the response is complete or partial; send the mCODE remission codes or a CurePath response code")
            } else {
                OutcomeReader.unknownCodes(concept, answers, &issues, reads: "responses are read from the categories in docs/OUTCOME_CODES.md")
            }
            return .drafts([])
        }
        guard let (date, path) = day(resource, OutcomeReader.effectiveElements, &issues) else { return .drafts([]) }
        return .drafts([Draft(kind: .responseAssessment, value: category, date: date, paths: ["value": concept.path, "date": path])])
    }

    // MARK: Lab values

    /// `valueQuantity` taken exactly as written, in the test's unit (spelt any accepted way);
    /// no unit is converted and a bound (`<1`) is not a value.
    private func readLab(_ resource: JSONNode, _ test: OutcomeDictionary.LabTest, _ issues: inout IssueList) -> Reading {
        guard let quantity = resource.member("valueQuantity") else {
            if resource.has("dataAbsentReason") { return .notAnOutcome("no value (dataAbsentReason): no result to record") }
            let other = OutcomeReader.otherValue(resource)
            issues.add(resource.path(of: other ?? "valueQuantity"),
                       other.map { "\(test.code) is read from valueQuantity, not \($0)" } ?? "is required: the \(test.code) result")
            return .drafts([])
        }
        guard quantity.isObject else {
            issues.add(quantity.path, "must be an object, got \(quantity.value.typeName)")
            return .drafts([])
        }
        if let comparator = quantity.string("comparator", &issues) {
            issues.add(quantity.path(of: "comparator"), "\(comparator.prefix(4)) makes the value a bound, not a measured result; CurePath records results exactly")
        }
        let text = quantity.number("value", &issues)
        if text == nil, !quantity.has("value") { issues.add(quantity.path(of: "value"), "is required") }
        let code = quantity.string("code", &issues)
        let system = quantity.string("system", &issues)
        let unit = quantity.string("unit", &issues)
        let spelt = code != nil && (system == nil || system == FHIRCodeSystem.ucum) ? code : unit
        if let spelt, !test.unitSpellings.contains(spelt) {
            issues.add(quantity.path(of: spelt == code ? "code" : "unit"),
                       "\(spelt.prefix(20)) is not \(test.code)'s unit \(test.unit); CurePath does not convert units (read as \(test.unit): \(test.unitSpellings.joined(separator: ", ")))")
        } else if spelt == nil {
            issues.add(quantity.path, "has no unit; \(test.code) is recorded in \(test.unit)")
        }
        guard issues.isEmpty, let text, let (date, path) = day(resource, OutcomeReader.effectiveElements, &issues) else { return .drafts([]) }
        let paths = ["test": resource.path(of: "code"), "value": quantity.path(of: "value"), "unit": quantity.path, "date": path]
        let reading = OutcomeKind.reading(.labValue, .init(test: test.code, value: text, unit: test.unit))
        OutcomeReader.reportReading(reading, paths: paths, fallback: quantity.path, &issues)
        guard let kind = reading.kind else { return .drafts([]) }
        return .drafts([Draft(kind: kind, date: date, paths: paths)])
    }

    // MARK: Graded observations

    /// CRS or ICANS sent as an Observation coded with CurePath's kind: the grade is
    /// `valueInteger`, a grade code in `valueCodeableConcept`, or the toxicity-grade extension.
    private func readGradedObservation(_ resource: JSONNode, _ kind: OutcomeKindCode, _ issues: inout IssueList) -> Reading {
        var grades = statedGrades(resource, &issues)
        if resource.has("valueInteger"), let value = resource.integer("valueInteger", &issues) {
            grades.append((value, resource.path(of: "valueInteger")))
        }
        if let concept = resource.member("valueCodeableConcept") {
            grades += Coding.all(in: concept, &issues).compactMap(OutcomeTerminology.grade).map { ($0, concept.path) }
        }
        guard let (grade, gradePath) = oneGrade(grades, kind: kind, at: resource.path, &issues),
              let (date, path) = day(resource, OutcomeReader.effectiveElements, &issues)
        else { return .drafts([]) }
        let paths = ["grade": gradePath, "date": path]
        let reading = OutcomeKind.reading(kind, .init(grade: grade.map(String.init)))
        OutcomeReader.reportReading(reading, paths: paths, fallback: resource.path, &issues)
        guard let kind = reading.kind else { return .drafts([]) }
        return .drafts([Draft(kind: kind, date: date, paths: paths)])
    }

    /// The value[x] element present other than the expected one, for "read from X, not Y".
    static func otherValue(_ resource: JSONNode) -> String? {
        ["valueString", "valueCodeableConcept", "valueQuantity", "valueInteger", "valueBoolean", "valueRatio", "valueRange", "valueDateTime"].first(where: resource.has)
    }
}
