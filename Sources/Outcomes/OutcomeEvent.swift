import Core
import CareNetwork

public enum OutcomeEventTag {}
public typealias OutcomeEventID = Identifier<OutcomeEventTag>

/// One thing that happened to a treated patient, as the mediator learned it: the single
/// outcome record every contract, warranty and registry report reads.
///
/// Outcomes are entered once and reused. An event is never edited: a correction is a new
/// event that names the one it supersedes (`corrects`), so a settlement can always say which
/// facts it used, and a result that changes because of a correction posts correcting
/// entries instead of rewriting history. `recordedOn` is the day the fact reached CurePath,
/// which may be long after `date`; that gap is what makes an outcome "late".
public struct OutcomeEvent: Hashable, Sendable {
    /// Chosen by the source (or generated) so that a re-sent file is recognised.
    public var id: OutcomeEventID
    public var patientID: PatientID
    /// The day it happened.
    public var date: CalendarDate
    public var kind: OutcomeKind
    /// The observed category, for a response assessment (`complete`, `partial`, `none`, `lost`…);
    /// optional detail for other kinds.
    public var value: String?
    /// Who reported it: a registry, a center, a claims feed (`cibmtr`, `ctr-mdacc`).
    public var source: String
    /// The day CurePath learned of it; never before `date`.
    public var recordedOn: CalendarDate
    /// The earlier event this one supersedes.
    public var corrects: OutcomeEventID?

    public init(
        id: OutcomeEventID, patientID: PatientID, date: CalendarDate, kind: OutcomeKind, value: String? = nil,
        source: String, recordedOn: CalendarDate? = nil, corrects: OutcomeEventID? = nil
    ) {
        self.id = id
        self.patientID = patientID
        self.date = date
        self.kind = kind
        self.value = value
        self.source = source
        self.recordedOn = recordedOn ?? date
        self.corrects = corrects
    }

    /// Longest free-text field (source, value, unit) accepted; longer text is a data error.
    public static let maximumTextLength = 200

    /// Every reason this event cannot be accepted, each naming the field as the JSON file
    /// and API spell it (`patientId`, `recordedOn`).
    public var issues: [ValidationError.Issue] {
        var issues: [ValidationError.Issue] = []
        do throws(ValidationError) { _ = try OutcomeEventID.validated(id.rawValue, field: "id") } catch { issues += error.issues }
        do throws(ValidationError) { _ = try PatientID.validated(patientID.rawValue, field: "patientId") } catch {
            issues += error.issues
        }
        if recordedOn < date {
            issues.append(.init(field: "recordedOn", problem: "is before the event's date \(date); an outcome cannot be learned before it happens", rule: "time-order"))
        }
        if let corrects {
            do throws(ValidationError) { _ = try OutcomeEventID.validated(corrects.rawValue, field: "corrects") } catch { issues += error.issues }
            if corrects == id { issues.append(.init(field: "corrects", problem: "names the event itself")) }
        } else if kind == .enteredInError {
            issues.append(.init(field: "corrects", problem: "is required for entered-in-error: name the event that should not have been recorded"))
        }
        issues += OutcomeEvent.textIssues(source, field: "source", required: true)
        switch kind {
        case .responseAssessment:
            if let value {
                issues += OutcomeEvent.codeIssues(value, field: "value")
            } else {
                issues.append(.init(field: "value", problem: "is required for a response assessment: the response category, e.g. complete, partial, none, lost"))
            }
        case .hospitalization(let reason):
            issues += OutcomeEvent.codeIssues(reason, field: "reason")
        case .labValue(let test, _, let unit):
            issues += OutcomeEvent.codeIssues(test, field: "test")
            issues += OutcomeEvent.textIssues(unit, field: "unit", required: true, maximum: 32)
        case .cytokineReleaseSyndrome(let grade), .neurotoxicity(let grade), .infection(.some(let grade)):
            if !OutcomeKind.grades.contains(grade) {
                issues.append(.init(field: "grade", problem: "must be a whole number from 1 to 5, got \(grade)"))
            }
        default:
            break
        }
        if case .responseAssessment = kind {} else if let value {
            issues += OutcomeEvent.textIssues(value, field: "value", required: false)
        }
        return issues
    }

    /// Throws every issue at once, or returns the event unchanged.
    public func validated() throws(ValidationError) -> OutcomeEvent {
        let issues = issues
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        return self
    }

    /// Codes (response categories, hospitalization reasons, lab tests) are compared exactly,
    /// so they share the identifier alphabet: a stray space would silently not match a contract.
    static func codeIssues(_ text: String, field: String) -> [ValidationError.Issue] {
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
        guard !text.isEmpty, text.utf8.count <= 64, allowed else {
            return [.init(field: field, problem: "must be a code of 1 to 64 lowercase letters, digits, '-', '_' or '.', got \"\(text.prefix(80))\"")]
        }
        return []
    }

    static func textIssues(_ text: String, field: String, required: Bool, maximum: Int = maximumTextLength) -> [ValidationError.Issue] {
        if text.isEmpty {
            return required ? [.init(field: field, problem: "is required")] : []
        }
        if text.count > maximum {
            return [.init(field: field, problem: "is longer than \(maximum) characters")]
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return [.init(field: field, problem: "contains a control character")]
        }
        return []
    }
}

extension OutcomeEvent {
    /// The kind's details as the flat fields of files, the API and the database: a
    /// hospitalization's `reason`; a lab value's `test`, `value` (its exact text) and `unit`;
    /// a toxicity's `grade`; otherwise the event's own `value`.
    public var details: OutcomeKind.Details {
        switch kind {
        case .hospitalization(let reason): .init(reason: reason, value: value)
        case .labValue(let test, let number, let unit): .init(test: test, value: number.description, unit: unit)
        default: .init(value: value, grade: kind.grade.map(String.init))
        }
    }
}

extension OutcomeEvent: Codable {
    /// The flat shape of the JSON file and the API: `kind` is a code and its details are
    /// sibling fields (`reason`, `test`, `value`, `unit`).
    enum CodingKeys: String, CodingKey {
        case id, patientId, date, kind, reason, test, value, unit, grade, source, recordedOn, corrects
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(OutcomeEventID.self, forKey: .id)
        patientID = try container.decode(PatientID.self, forKey: .patientId)
        date = try container.decode(CalendarDate.self, forKey: .date)
        source = try container.decode(String.self, forKey: .source)
        recordedOn = try container.decodeIfPresent(CalendarDate.self, forKey: .recordedOn) ?? date
        corrects = try container.decodeIfPresent(OutcomeEventID.self, forKey: .corrects)
        let code = try container.decode(OutcomeKindCode.self, forKey: .kind)
        let reading = OutcomeKind.reading(code, .init(
            reason: try container.decodeIfPresent(String.self, forKey: .reason),
            test: try container.decodeIfPresent(String.self, forKey: .test),
            value: try container.decodeIfPresent(String.self, forKey: .value),
            unit: try container.decodeIfPresent(String.self, forKey: .unit),
            grade: try container.decodeIfPresent(Int.self, forKey: .grade).map(String.init)
        ))
        guard let kind = reading.kind else {
            let issue = reading.issues.first
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(issue?.field ?? "kind") \(issue?.problem ?? "is not valid")"))
        }
        self.kind = kind
        value = reading.value
        if code == .responseAssessment, value == nil {
            throw DecodingError.keyNotFound(CodingKeys.value, .init(codingPath: decoder.codingPath, debugDescription: "value is required for a response assessment"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(patientID, forKey: .patientId)
        try container.encode(date, forKey: .date)
        try container.encode(kind.code, forKey: .kind)
        switch kind {
        case .hospitalization(let reason): try container.encode(reason, forKey: .reason)
        case .labValue(let test, let value, let unit):
            try container.encode(test, forKey: .test)
            try container.encode(value, forKey: .value)
            try container.encode(unit, forKey: .unit)
        default: try container.encodeIfPresent(kind.grade, forKey: .grade)
        }
        if case .labValue = kind {} else { try container.encodeIfPresent(value, forKey: .value) }
        try container.encode(source, forKey: .source)
        try container.encode(recordedOn, forKey: .recordedOn)
        try container.encodeIfPresent(corrects, forKey: .corrects)
    }
}
