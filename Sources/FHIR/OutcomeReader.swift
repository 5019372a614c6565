import Core
import CareNetwork
import Outcomes

/// The state of one outcome import: the events so far, every error with its entry, what was
/// not an outcome, and the bundle's resources by reference (for subjects and reasons).
///
/// Each resource is read in two steps. Its status says whether it is read, withdrawn
/// (`entered-in-error`) or not an outcome; then the resource type's mapping turns it into
/// drafts (kind, value, date) or says why it is not an outcome. Only then is the patient
/// resolved and the event ID derived, so a Practitioner or an outpatient visit never needs a
/// known patient.
struct OutcomeReader {
    /// One bundle entry being read.
    typealias Entry = BundleEntry

    /// One event a resource gives, before its patient and ID are known.
    struct Draft {
        var kind: OutcomeKind
        var value: String?
        var date: CalendarDate
        /// The element each event field came from (`date`, `value`, `grade`, `reason`, …), so that
        /// a problem found when the event is validated is reported where the sender can fix it.
        var paths: [String: String]
        /// Tells the events of one resource apart (an admission's reasons); part of the event ID.
        var discriminator = ""
    }

    /// Whether a resource is read, by its status.
    enum Status {
        case read
        /// `entered-in-error`: the sender withdrew it.
        case withdrawn
        /// Not an outcome (a preliminary result, a planned admission), with the reason.
        case skip(String)
    }

    /// What a resource's mapping gave.
    enum Reading {
        case drafts([Draft])
        case notAnOutcome(String)
    }

    /// The bundle types that carry resources to read: a `document` or `message` has a
    /// Composition or MessageHeader first, and a `history` may hold one resource many times.
    static let bundleTypes = ["collection", "transaction", "batch", "searchset"]

    let source: String
    let receivedOn: CalendarDate
    let resolve: (OutcomeBundleImport.PatientIdentifiers) -> PatientID?
    var errors: [OutcomeBundleImport.EntryError] = []
    var unmapped: [UnmappedResource] = []
    var events: [OutcomeEvent] = []
    var withdrawals: [OutcomeEvent] = []
    var origins: [OutcomeEventID: Int] = [:]
    /// Resources by every reference that may name them: `Condition/c1` and their fullUrl.
    var byReference: [String: JSONNode] = [:]

    init(source: String, receivedOn: CalendarDate, resolve: @escaping (OutcomeBundleImport.PatientIdentifiers) -> PatientID?) {
        self.source = source
        self.receivedOn = receivedOn
        self.resolve = resolve
    }

    mutating func read(_ document: JSONNode) {
        var issues = IssueList()
        defer { report(issues, nil) }
        // The source is part of every event; check it once rather than once per event.
        let probe = OutcomeEvent(id: "probe", patientID: "probe", date: receivedOn, kind: .death, source: source)
        for issue in probe.issues where issue.field == "source" { issues.add("source", issue.problem) }
        guard document.isObject else {
            issues.add("$", "must be a JSON object (a FHIR Bundle), got \(document.value.typeName)")
            return
        }
        guard let resourceType = document.string("resourceType", &issues, required: true) else { return }
        guard resourceType == "Bundle" else {
            issues.add("resourceType", "expected \"Bundle\", got \"\(resourceType.prefix(40))\"")
            return
        }
        if let type = document.string("type", &issues, required: true), !OutcomeReader.bundleTypes.contains(type) {
            issues.add("type", "must be \(OutcomeReader.bundleTypes.joined(separator: ", ")), got \"\(type.prefix(40))\"")
        }

        var entries: [Entry] = []
        var seen: [String: (index: Int, content: [UInt8])] = [:]
        for entry in document.bundleEntries(&issues, unmapped: &unmapped) {
            let (index, resource, type, id, fullUrl) = (entry.index, entry.resource, entry.resourceType, entry.id, entry.fullUrl)
            if let id {
                // One resource, one version: a second copy is read once if identical and
                // refused if not, because which copy is true only the sender knows.
                let key = "\(type)/\(id)"
                let content = JSONWriter.pretty(resource.value)
                if let first = seen[key] {
                    if first.content == content {
                        unmapped.append(UnmappedResource(entryIndex: index, resourceType: type, resourceID: id,
                                                         reason: "the same \(key.prefix(80)) as entry[\(first.index)]: read once"))
                    } else {
                        errors.append(.init(entryIndex: index, resourceType: type, resourceID: id, path: resource.path,
                                            problem: "a second \(key.prefix(80)) with different content (the first is entry[\(first.index)]); a bundle may carry one version of a resource"))
                    }
                    continue
                }
                seen[key] = (index, content)
                byReference[key] = resource
            }
            if let fullUrl {
                byReference[fullUrl] = resource
                // A relative reference (`Patient/p1`) names the entry whose fullUrl ends in it.
                if let relative = OutcomeReader.relativeReference(fullUrl), byReference[relative] == nil { byReference[relative] = resource }
            }
            entries.append(entry)
        }
        for var entry in entries { process(&entry) }
    }

    /// Everything found, the errors capped at ``OutcomeBundleImport/maximumErrors``.
    func result() -> OutcomeBundleImport.Result {
        var errors = errors
        let limit = OutcomeBundleImport.maximumErrors
        if errors.count > limit {
            let more = errors.count - limit + 1
            errors = Array(errors.prefix(limit - 1)) + [.init(entryIndex: nil, resourceType: nil, resourceID: nil, path: "$", problem: "and \(more) more errors")]
        }
        return OutcomeBundleImport.Result(events: events, withdrawals: withdrawals, errors: errors, unmapped: unmapped, origins: origins)
    }

    // MARK: One entry

    mutating func process(_ entry: inout Entry) {
        var issues = IssueList()
        let status: Status
        switch entry.resourceType {
        case "Observation": status = observationStatus(entry, &issues)
        case "Condition": status = conditionStatus(entry, &issues)
        case "Encounter": status = encounterStatus(entry, &issues)
        case "Procedure": status = procedureStatus(entry, &issues)
        case "MedicationAdministration", "MedicationRequest": status = medicationStatus(entry, &issues)
        case "Patient": status = .read
        case "EpisodeOfCare":
            status = .skip("EpisodeOfCare is not read: its status does not say why care ended; send a lost-to-follow-up Observation (SNOMED CT 399307001)")
        case "MedicationStatement":
            status = .skip("MedicationStatement is not read for outcomes: a subsequent therapy is a MedicationAdministration or MedicationRequest")
        default:
            status = .skip("\(entry.resourceType.prefix(60)) resources are not read for outcomes")
        }
        guard issues.isEmpty else { return report(issues, entry) }
        switch status {
        case .skip(let reason):
            skip(entry, reason)
        case .read:
            let reading = map(&entry, &issues)
            guard issues.isEmpty else { return report(issues, entry) }
            switch reading {
            case .notAnOutcome(let reason): skip(entry, reason)
            case .drafts(let drafts): record(drafts, entry, withdrawn: false)
            }
        case .withdrawn:
            // The withdrawn copy is read only to name the event it would have given; its own
            // problems do not matter, since it will never be an outcome.
            var ignored = IssueList()
            let reading = map(&entry, &ignored)
            guard ignored.isEmpty, case .drafts(let drafts) = reading, !drafts.isEmpty else {
                return skip(entry, "status entered-in-error: skipped (it maps to no outcome, so none was recorded from it)")
            }
            record(drafts, entry, withdrawn: true)
        }
    }

    mutating func map(_ entry: inout Entry, _ issues: inout IssueList) -> Reading {
        switch entry.resourceType {
        case "Observation": mapObservation(&entry, &issues)
        case "Condition": mapCondition(&entry, &issues)
        case "Encounter": mapEncounter(&entry, &issues)
        case "Procedure": mapProcedure(&entry, &issues)
        case "MedicationAdministration", "MedicationRequest": mapMedication(&entry, &issues)
        case "Patient": mapPatient(&entry, &issues)
        default: .notAnOutcome("\(entry.resourceType.prefix(60)) resources are not read for outcomes")
        }
    }

    /// Turns drafts into events (or withdrawals) once the resource's id and patient are known.
    mutating func record(_ drafts: [Draft], _ entry: Entry, withdrawn: Bool) {
        guard !drafts.isEmpty else { return }
        var issues = IssueList()
        defer { report(issues, entry) }
        guard let id = entry.id, OutcomeReader.isFHIRID(id) else {
            if withdrawn { return skip(entry, "status entered-in-error: skipped (no valid id, so no event can be named)") }
            let problem = entry.id == nil ? "is required: the event's ID is derived from it, so that a re-sent bundle is recognised"
                : "must be a FHIR id (1 to 64 letters, digits, '-' or '.'), got \"\(entry.id!.prefix(80))\""
            return issues.add(entry.resource.path(of: "id"), problem)
        }
        var patientIssues = IssueList()
        guard let patient = patient(of: entry, &patientIssues) else {
            if withdrawn { return skip(entry, "status entered-in-error: skipped (its patient is not known, so nothing was recorded from it)") }
            issues = patientIssues
            return
        }
        for draft in drafts {
            let eventID = OutcomeReader.eventID(source: source, resourceType: entry.resourceType, resourceID: id, discriminator: draft.discriminator)
            if withdrawn {
                let withdrawalID = OutcomeReader.eventID(source: source, resourceType: entry.resourceType, resourceID: id, discriminator: draft.discriminator, withdrawal: true)
                withdrawals.append(OutcomeEvent(id: withdrawalID, patientID: patient, date: draft.date, kind: .enteredInError, source: source, recordedOn: receivedOn, corrects: eventID))
                origins[withdrawalID] = entry.index
                continue
            }
            let event = OutcomeEvent(id: eventID, patientID: patient, date: draft.date, kind: draft.kind, value: draft.value, source: source, recordedOn: receivedOn)
            let problems = event.issues.filter { $0.field != "source" }
            for problem in problems { issues.add(draft.paths[problem.field] ?? entry.resource.path, problem.problem) }
            if problems.isEmpty {
                events.append(event)
                origins[eventID] = entry.index
            }
        }
    }

    // MARK: Reporting

    mutating func skip(_ entry: Entry, _ reason: String) {
        unmapped.append(UnmappedResource(entryIndex: entry.index, resourceType: entry.resourceType, resourceID: entry.id, codes: entry.codes, reason: reason))
    }

    /// Files every issue under its entry (or the bundle, when `entry` is `nil`).
    mutating func report(_ issues: IssueList, _ entry: Entry?) {
        errors += issues.issues.map {
            .init(entryIndex: entry?.index, resourceType: entry?.resourceType, resourceID: entry?.id, path: $0.path, problem: $0.problem)
        }
    }

    // MARK: Identity

    /// The event ID of one outcome of one resource: `fhir-` and 32 hex digits of SHA-256 over
    /// the source, resource type, resource id and discriminator. The same resource from the
    /// same source always gives the same ID, so a re-sent bundle is recognised; two sources
    /// never collide. The fields cannot forge the separator: FHIR ids and sources have no
    /// control characters.
    static func eventID(source: String, resourceType: String, resourceID: String, discriminator: String, withdrawal: Bool = false) -> OutcomeEventID {
        let fields = ["curepath-fhir-outcome-v1", source, resourceType, resourceID, discriminator] + (withdrawal ? ["entered-in-error"] : [])
        return OutcomeEventID(rawValue: "fhir-" + HashChain.hash(HashChain.canonical(fields)).prefix(32))
    }

    /// `[A-Za-z0-9\-\.]{1,64}`, FHIR's id type.
    static func isFHIRID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x2E
        }
    }

    // MARK: Dates

    /// The first of `elements` (`effectiveDateTime`, `effectivePeriod.start`) that is present,
    /// as a day and its path; reports a malformed, partial, missing or future date.
    ///
    /// A dateTime gives the day as written, at its own offset (`2026-03-01T23:30:00-05:00` is
    /// March 1st): the day at the place it happened, never moved to another zone.
    func day(_ resource: JSONNode, _ elements: [String], _ issues: inout IssueList) -> (CalendarDate, String)? {
        for element in elements {
            var node: JSONNode? = resource
            let parts = element.split(separator: ".").map(String.init)
            for part in parts.dropLast() { node = node?.object(part, &issues) }
            guard let parent = node, let last = parts.last, parent.has(last) else { continue }
            let path = parent.path(of: last)
            switch parent.date(last, &issues) {
            case .day(let day)?:
                guard day <= receivedOn else {
                    issues.add(path, "is \(day), after the day the bundle was received (\(receivedOn)); an outcome cannot be reported before it happens")
                    return nil
                }
                return (day, path)
            case .partial(let text)?:
                issues.add(path, "\(text.prefix(20)) is a partial date; an outcome needs the day it happened")
                return nil
            case nil:
                return nil
            }
        }
        issues.add(resource.path, "has no date (\(elements.joined(separator: ", "))): an outcome needs the day it happened")
        return nil
    }

    // MARK: Unknown codes

    /// "LOINC 3209-7 is not a code CurePath maps to an outcome (did you mean LOINC 3209-4,
    /// factor-viii-activity?)", at the code that was most likely meant.
    static func unknownCodes(_ concept: JSONNode?, _ codings: [Coding], _ issues: inout IssueList, reads: String) {
        guard let concept else { return }
        guard !codings.isEmpty else { return issues.add(concept.path, "has no coding; \(reads)") }
        let suggestions = codings.map(suggestion)
        let at = suggestions.firstIndex { $0 != nil } ?? 0
        let shown = codings.prefix(3).map(OutcomeTerminology.shown).joined(separator: ", ") + (codings.count > 3 ? ", …" : "")
        let hint = suggestions[at].map { " (did you mean \($0)?)" } ?? ""
        issues.add("\(concept.path).coding[\(at)].code",
                   "\(shown) \(codings.count == 1 ? "is not a code" : "are not codes") CurePath maps to an outcome\(hint); \(reads)")
    }

    /// The dictionary code closest to a mistyped one, shown with what it means.
    static func suggestion(_ coding: Coding) -> String? {
        guard let code = coding.code else { return nil }
        func standard(_ vocabulary: OutcomeDictionary.Vocabulary) -> String? {
            guard let close = DidYouMean.closest(to: code, in: OutcomeDictionary.standardCodes(in: vocabulary)) else { return nil }
            let meaning = OutcomeDictionary.meanings(of: vocabulary, close).first.map(OutcomeReader.describe) ?? ""
            return "\(vocabulary.rawValue) \(close)" + (meaning.isEmpty ? "" : ", \(meaning)")
        }
        switch coding.system {
        case OutcomeTerminology.curePathKind?: return OutcomeDictionary.didYouMean(code, in: .kinds)
        case OutcomeTerminology.curePathLabTest?: return OutcomeDictionary.didYouMean(code, in: .labTests)
        case OutcomeTerminology.curePathResponse?: return OutcomeDictionary.didYouMean(code, in: .responses)
        case OutcomeTerminology.curePathReason?: return OutcomeDictionary.didYouMean(code, in: .hospitalizationReasons)
        case OutcomeTerminology.curePathInfectionClass?: return OutcomeDictionary.didYouMean(code, in: .infectionClasses)
        default: return OutcomeTerminology.vocabulary(of: coding.system).flatMap(standard)
        }
    }

    /// A meaning in words for messages: `factor-viii-activity`, `crs grade 2`.
    static func describe(_ meaning: OutcomeDictionary.Meaning) -> String {
        switch meaning {
        case .kind(let kind, let grade?): "\(kind.rawValue) grade \(grade)"
        case .kind(let kind, nil): kind.rawValue
        case .response(let code), .hospitalizationReason(let code), .labTest(let code), .infectionClass(let code): code
        }
    }

    /// Where a kind reading's problem belongs, from the fields of ``OutcomeKind/Details``.
    static func reportReading(_ reading: OutcomeKind.Reading, paths: [String: String], fallback: String, _ issues: inout IssueList) {
        for issue in reading.issues { issues.add(paths[issue.field] ?? fallback, issue.problem) }
    }
}
