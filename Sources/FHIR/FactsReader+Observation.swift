import Criteria
import Outcomes

/// Observations: labs by LOINC, ECOG, CurePath exclusion assessments and pretests.
extension FactsReader {
    static let finalStatuses: Set<String> = ["final", "amended", "corrected"]
    static let effectiveElements = ["effectiveDateTime", "effectivePeriod.start", "effectiveInstant"]

    mutating func readObservation(_ entry: inout Entry) {
        let resource = entry.resource
        if !resource.has("code") { issues.add(resource.path(of: "code"), "is required") }
        let codings = Coding.all(in: resource.member("code"), &issues)
        entry.codes = codings.map(\.token)
        guard let status = resource.string("status", &issues, required: true) else { return }
        guard FactsReader.finalStatuses.contains(status) else {
            let why = status == "entered-in-error" || status == "cancelled" ? "skipped" : "only final, amended or corrected results are read"
            return skip(entry, "status \(status.prefix(40)): \(why)")
        }
        if let reason = otherPatient(entry) { return skip(entry, reason) }

        if let kind = codings.lazy.compactMap(ExclusionTerminology.assessedKind).first {
            guard let present = resource.bool("valueBoolean", &issues) else {
                if !resource.has("valueBoolean") { skip(entry, "a CurePath exclusion assessment needs valueBoolean (true: present, false: absent)") }
                return
            }
            guard let (day, datePath) = usableDay(dated(resource, FactsReader.effectiveElements), entry, needs: "an exclusion assessment") else { return }
            facts.exclusions.append(ExclusionFact(kind: kind, present: present, date: day))
            record("exclusions", Source(resource: resource.path, fields: ["date": datePath]))
        } else if let pretest = codings.first(where: { $0.system == FHIRCodeSystem.curePathPretest && $0.code != nil })?.code {
            guard let (day, datePath) = usableDay(dated(resource, FactsReader.effectiveElements), entry, needs: "a pretest") else { return }
            facts.pretests.append(PretestResult(code: pretest, date: day))
            record("pretests", Source(resource: resource.path, fields: ["code": resource.path(of: "code"), "date": datePath]))
        } else if codings.contains(where: PerformanceStatusTerminology.isECOG) {
            readPerformanceStatus(entry)
        } else if let term = codings.lazy.compactMap({ $0.system == FHIRCodeSystem.loinc ? $0.code.flatMap(LabTerminology.term(loinc:)) : nil }).first {
            readLab(entry, term)
        } else {
            skip(entry, FactsReader.unknownCodes(codings, reads: "observations are read from the LOINC and CurePath codes in docs/FHIR.md"))
        }
    }

    private mutating func readPerformanceStatus(_ entry: Entry) {
        let resource = entry.resource
        var score: Int?
        var scorePath = resource.path
        if resource.has("valueInteger") {
            score = resource.integer("valueInteger", &issues)
            scorePath = resource.path(of: "valueInteger")
            if score == nil { return }
        } else if let concept = resource.member("valueCodeableConcept") {
            let answers = Coding.all(in: concept, &issues)
            score = answers.lazy.compactMap { coding in
                coding.system == FHIRCodeSystem.loinc ? coding.code.flatMap { PerformanceStatusTerminology.answers.firstIndex(of: $0) } : nil
            }.first
            scorePath = concept.path
            guard score != nil else {
                return skip(entry, "valueCodeableConcept has no ECOG answer (LOINC \(PerformanceStatusTerminology.answers.first!) … \(PerformanceStatusTerminology.answers.last!))")
            }
        } else {
            return skip(entry, "an ECOG score needs valueInteger or valueCodeableConcept")
        }
        guard let score, let (day, datePath) = usableDay(dated(resource, FactsReader.effectiveElements), entry, needs: "an ECOG score") else { return }
        facts.performanceStatus.append(PerformanceStatus(score: score, date: day))
        record("performanceStatus", Source(resource: resource.path, fields: ["score": scorePath, "date": datePath]))
    }

    private mutating func readLab(_ entry: Entry, _ term: LabTerm) {
        let resource = entry.resource
        let name = term.lab.rawValue
        guard let quantity = resource.member("valueQuantity") else {
            if resource.has("dataAbsentReason") { return skip(entry, "no value (dataAbsentReason)") }
            let other = ["valueString", "valueCodeableConcept", "valueInteger", "valueRatio", "valueRange", "valueBoolean"].first(where: resource.has)
            return skip(entry, other.map { "\(name) is read from valueQuantity, not \($0)" } ?? "no valueQuantity")
        }
        guard quantity.isObject else { return issues.add(quantity.path, "must be an object, got \(quantity.value.typeName)") }
        if let comparator = quantity.string("comparator", &issues) {
            return skip(entry, "valueQuantity.comparator \(comparator.prefix(4)): a bound, not a measured value")
        }
        guard quantity.has("value") else { return skip(entry, "valueQuantity has no value") }
        guard let value = exactValue(quantity, entry, what: "valueQuantity") else { return }
        guard unitMatches(quantity, term, entry, what: "valueQuantity") else { return }

        var upperLimit: (value: ExactDecimal, path: String)?
        if let range = resource.array("referenceRange", &issues).first, let high = range.object("high", &issues), high.has("value") {
            guard let limit = exactValue(high, entry, what: "referenceRange[0].high"), unitMatches(high, term, entry, what: "referenceRange[0].high") else { return }
            upperLimit = (limit, high.path(of: "value"))
        }
        guard let (day, datePath) = usableDay(dated(resource, FactsReader.effectiveElements), entry, needs: "a lab result") else { return }
        facts.labs.append(LabObservation(code: term.lab, value: value, upperLimitOfNormal: upperLimit?.value, date: day))
        var fields = ["value": quantity.path(of: "value"), "date": datePath, "code": resource.path(of: "code")]
        fields["upperLimitOfNormal"] = upperLimit?.path
        record("labs", Source(resource: resource.path, fields: fields))
    }

    /// The quantity's value, exact; a number CurePath cannot hold exactly is reported.
    private mutating func exactValue(_ quantity: JSONNode, _ entry: Entry, what: String) -> ExactDecimal? {
        guard let text = quantity.number("value", &issues) else { return nil }
        switch ExactDecimal.parse(text) {
        case .success(let value): return value
        case .failure(let failure):
            skip(entry, "\(what).value \(text.prefix(40)) \(failure)")
            return nil
        }
    }

    /// Whether the quantity is in the lab's unit (spelt any accepted way); reported if not.
    private mutating func unitMatches(_ quantity: JSONNode, _ term: LabTerm, _ entry: Entry, what: String) -> Bool {
        let code = quantity.string("code", &issues)
        let system = quantity.string("system", &issues)
        let unit = quantity.string("unit", &issues)
        let spelt = code != nil && (system == nil || system == FHIRCodeSystem.ucum) ? code : unit
        guard let spelt else {
            if what != "valueQuantity" { return true }
            skip(entry, "\(what) has no unit; \(term.lab.rawValue) is read in \(term.ucum)")
            return false
        }
        guard term.acceptedUnits.contains(spelt) else {
            skip(entry, "\(what) unit \(spelt.prefix(20)) is not \(term.lab.rawValue)'s unit \(term.ucum); CurePath does not convert units")
            return false
        }
        return true
    }
}
