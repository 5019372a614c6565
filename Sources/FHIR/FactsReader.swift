import Core
import CareNetwork
import Criteria

/// The state of one import: the facts so far, what was not mapped, every problem found, and
/// where each fact came from so that a validation problem can be reported at its FHIR element.
struct FactsReader {
    /// One bundle entry being read.
    typealias Entry = BundleEntry

    /// Where one fact came from: its resource and, per fact field, the element.
    struct Source {
        var resource: String
        var fields: [String: String] = [:]
    }

    /// A date element's day, or why there is none.
    enum Dated {
        case day(CalendarDate, path: String)
        case partial(String, path: String)
        case missing
        /// Malformed; already reported as an issue.
        case invalid
    }

    static let bundleTypes: Set<String> = [
        "document", "message", "transaction", "transaction-response", "batch", "batch-response", "history", "searchset", "collection",
    ]

    let receivedOn: CalendarDate?
    var issues = IssueList()
    var facts: ClinicalFacts
    var unmapped: [UnmappedResource] = []
    /// Per fact list (`labs`, `therapyLines`), the source of each fact in order.
    var sources: [String: [Source]] = [:]
    var therapyItems: [TherapyItem] = []
    /// How resources may refer to the bundle's Patient (`Patient/p1`, its fullUrl).
    var patientReferences: Set<String> = []

    init(patient: PatientID, receivedOn: CalendarDate?) {
        self.receivedOn = receivedOn
        facts = ClinicalFacts(patient: patient)
    }

    mutating func read(_ document: JSONNode) {
        guard document.isObject else {
            issues.add("$", "must be a JSON object (a FHIR Bundle), got \(document.value.typeName)")
            return
        }
        guard let resourceType = document.string("resourceType", &issues, required: true) else { return }
        guard resourceType == "Bundle" else {
            issues.add("resourceType", "expected \"Bundle\", got \"\(resourceType.prefix(40))\"")
            return
        }
        if let type = document.string("type", &issues, required: true), !FactsReader.bundleTypes.contains(type) {
            issues.add("type", "must be a Bundle type (\(FactsReader.bundleTypes.sorted().joined(separator: ", "))), got \"\(type.prefix(40))\"")
        }
        var entries: [Entry] = []
        var patientEntry: Int?
        for entry in document.bundleEntries(&issues, unmapped: &unmapped) {
            let (index, resource, type, id, fullUrl) = (entry.index, entry.resource, entry.resourceType, entry.id, entry.fullUrl)
            if type == "Patient" {
                if let first = patientEntry {
                    issues.add(resource.path, "a second Patient (the first is entry[\(first)]); a bundle must be about one patient")
                    continue
                }
                patientEntry = index
                if let id { patientReferences.insert("Patient/\(id)") }
                if let fullUrl { patientReferences.insert(fullUrl) }
            }
            entries.append(entry)
        }
        for var entry in entries {
            switch entry.resourceType {
            case "Patient": readPatient(entry)
            case "Condition": readCondition(&entry)
            case "Observation": readObservation(&entry)
            case "Procedure": readProcedure(&entry)
            case "MedicationStatement", "MedicationAdministration": readMedication(&entry)
            default: skip(entry, "\(entry.resourceType) resources are not read")
            }
        }
        assembleTherapyLines()
    }

    /// The facts, once every problem is reported and the facts pass validation.
    func result() throws(FHIRError) -> ClinicalFactsImport.Result {
        try issues.throwIfAny()
        do {
            return ClinicalFactsImport.Result(facts: try facts.validated(), unmapped: unmapped)
        } catch {
            throw FHIRError(issues: error.issues.map(translate))
        }
    }

    // MARK: Reading helpers

    mutating func skip(_ entry: Entry, _ reason: String) {
        unmapped.append(UnmappedResource(entryIndex: entry.index, resourceType: entry.resourceType, resourceID: entry.id, codes: entry.codes, reason: reason))
    }

    mutating func record(_ list: String, _ source: Source) { sources[list, default: []].append(source) }

    /// The reason a resource is about another patient, or `nil` when it is about the bundle's.
    mutating func otherPatient(_ entry: Entry) -> String? {
        guard !patientReferences.isEmpty, let subject = entry.resource.object("subject", &issues),
            let reference = subject.string("reference", &issues)
        else { return nil }
        if patientReferences.contains(reference) { return nil }
        if patientReferences.contains(where: { $0.hasPrefix("Patient/") && reference.hasSuffix("/" + $0) }) { return nil }
        let ours = patientReferences.sorted().first ?? ""
        return "subject \(reference.prefix(80)) is not the bundle's Patient (\(ours.prefix(80)))"
    }

    /// The first of `elements` (`effectiveDateTime`, `effectivePeriod.start`) that is present, as a day.
    mutating func dated(_ resource: JSONNode, _ elements: [String]) -> Dated {
        for element in elements {
            var node: JSONNode? = resource
            let parts = element.split(separator: ".").map(String.init)
            for (position, part) in parts.enumerated() {
                if position < parts.count - 1 {
                    node = node?.object(part, &issues)
                } else if let parent = node, parent.has(part) {
                    switch parent.date(part, &issues) {
                    case .day(let day)?: return .day(day, path: parent.path(of: part))
                    case .partial(let text)?: return .partial(text, path: parent.path(of: part))
                    case nil: return .invalid
                    }
                }
            }
        }
        return .missing
    }

    /// Whether `date` is after the day the bundle was received; reports the entry if so.
    mutating func isAfterReceipt(_ date: CalendarDate, _ entry: Entry) -> Bool {
        guard let receivedOn, date > receivedOn else { return false }
        skip(entry, "dated \(date), after the day the bundle was received (\(receivedOn))")
        return true
    }

    /// Reports an entry whose date element cannot be used; `true` when there is a usable day.
    mutating func usableDay(_ dated: Dated, _ entry: Entry, needs what: String) -> (CalendarDate, String)? {
        switch dated {
        case .day(let day, let path):
            return isAfterReceipt(day, entry) ? nil : (day, path)
        case .partial(let text, let path):
            skip(entry, "\(path.split(separator: ".").last ?? "") \(text) is a partial date; \(what) needs the day")
        case .missing:
            skip(entry, "no date: \(what) needs the day")
        case .invalid:
            break
        }
        return nil
    }

    /// "LOINC 2345-7 is not a code CurePath maps; …" for codes no table knows.
    static func unknownCodes(_ codings: [Coding], reads: String) -> String {
        guard !codings.isEmpty else { return "no coding; \(reads)" }
        let shown = codings.prefix(3).map(\.shown).joined(separator: ", ") + (codings.count > 3 ? ", …" : "")
        return "\(shown) \(codings.count == 1 ? "is not a code" : "are not codes") CurePath maps; \(reads)"
    }

    // MARK: Patient

    mutating func readPatient(_ entry: Entry) {
        guard entry.resource.has("birthDate") else { return }
        switch entry.resource.date("birthDate", &issues) {
        case .day(let day)?: facts.birthDate = day
        case .partial(let text)?: skip(entry, "birthDate \(text) is a partial date; age criteria need the day")
        case nil: break
        }
    }

    // MARK: Validation

    /// A validation problem (`labs[2].value`) moved to the FHIR element the fact came from.
    func translate(_ issue: ValidationError.Issue) -> FHIRError.Issue {
        let field = issue.field
        guard let open = field.firstIndex(of: "["), let close = field.firstIndex(of: "]"), open < close,
            let index = Int(field[field.index(after: open)..<close])
        else { return FHIRError.Issue(path: field == "patient" ? "patient" : "$", problem: "\(issue.problem) (\(field))") }
        let list = String(field[..<open])
        let rest = String(field[field.index(after: close)...].drop { $0 == "." })
        let source = sources[list].flatMap { index < $0.count ? $0[index] : nil }
        let path = source.flatMap { $0.fields[rest] ?? $0.resource } ?? "$"
        let from = source?.fields["_entries"].map { "; from \($0)" } ?? ""
        return FHIRError.Issue(path: path, problem: "\(issue.problem) (\(field)\(from))")
    }
}
