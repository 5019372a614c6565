import Core
import CareNetwork
import Outcomes

/// What is known about one patient's disease, treatment history and fitness, each fact
/// with the date it was true — the input every criteria set is evaluated against.
///
/// Facts are entered once (form, API or FHIR import) and reused for every payer, which is
/// the point of computable criteria: one record, every payer's verdict. Nothing here is
/// assumed: a fact that was never recorded makes the criteria that need it "unknown", so a
/// missing echocardiogram is reported as missing rather than read as normal.
public struct ClinicalFacts: Hashable, Sendable, Codable {
    public var patient: PatientID
    /// Needed for age criteria; kept here only as long as the evaluation needs it.
    public var birthDate: CalendarDate?
    public var diagnoses: [Diagnosis]
    public var therapyLines: [TherapyLine]
    public var performanceStatus: [PerformanceStatus]
    public var labs: [LabObservation]
    public var exclusions: [ExclusionFact]
    public var pretests: [PretestResult]

    public init(
        patient: PatientID, birthDate: CalendarDate? = nil, diagnoses: [Diagnosis] = [], therapyLines: [TherapyLine] = [],
        performanceStatus: [PerformanceStatus] = [], labs: [LabObservation] = [], exclusions: [ExclusionFact] = [],
        pretests: [PretestResult] = []
    ) {
        self.patient = patient
        self.birthDate = birthDate
        self.diagnoses = diagnoses
        self.therapyLines = therapyLines
        self.performanceStatus = performanceStatus
        self.labs = labs
        self.exclusions = exclusions
        self.pretests = pretests
    }

    private enum CodingKeys: String, CodingKey {
        case patient, birthDate, diagnoses, therapyLines, performanceStatus, labs, exclusions, pretests
    }

    /// Lists left out of the JSON are empty: a form or import sends only what it knows.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        patient = try container.decode(PatientID.self, forKey: .patient)
        birthDate = try container.decodeIfPresent(CalendarDate.self, forKey: .birthDate)
        diagnoses = try container.decodeIfPresent([Diagnosis].self, forKey: .diagnoses) ?? []
        therapyLines = try container.decodeIfPresent([TherapyLine].self, forKey: .therapyLines) ?? []
        performanceStatus = try container.decodeIfPresent([PerformanceStatus].self, forKey: .performanceStatus) ?? []
        labs = try container.decodeIfPresent([LabObservation].self, forKey: .labs) ?? []
        exclusions = try container.decodeIfPresent([ExclusionFact].self, forKey: .exclusions) ?? []
        pretests = try container.decodeIfPresent([PretestResult].self, forKey: .pretests) ?? []
    }

    /// Age in whole years on `date`; `nil` without a birth date.
    public func age(on date: CalendarDate) -> Int? {
        guard let birthDate else { return nil }
        let born = birthDate.components, now = date.components
        var years = now.year - born.year
        if (now.month, now.day) < (born.month, born.day) { years -= 1 }
        return years
    }

    /// These facts with the birth date replaced by a stand-in that gives, on `date`, the age
    /// the patient has on `today`: for an evaluation shown to someone who may not learn the
    /// birth date. Evaluated at the caller's date, the real birth date would let them step
    /// the date a day at a time until the age changes, and so read the birthday; with the
    /// stand-in, every evaluation date shows the same age, today's.
    public func withTodaysAge(_ today: CalendarDate, shownOn date: CalendarDate) -> ClinicalFacts {
        guard let age = age(on: today) else { return self }
        let (year, month, day) = date.components
        var facts = self
        // 29 February has no twin in most years; the 28th gives the same whole years.
        facts.birthDate = CalendarDate(year: year - age, month: month, day: day) ?? CalendarDate(year: year - age, month: month, day: 28)
        return facts
    }

    /// The latest ECOG score recorded on or before `date`.
    public func latestPerformanceStatus(asOf date: CalendarDate) -> PerformanceStatus? {
        var best: PerformanceStatus?
        for status in performanceStatus where status.date <= date && (best == nil || status.date >= best!.date) { best = status }
        return best
    }

    /// The latest observation of `code` made on or before `date`: criteria judge the
    /// patient as last measured, not on the best day.
    public func latestLab(_ code: LabCode, asOf date: CalendarDate) -> LabObservation? {
        var best: LabObservation?
        for lab in labs where lab.code == code && lab.date <= date {
            if best == nil || lab.date >= best!.date { best = lab }
        }
        return best
    }

    /// The latest assessment of an exclusion on or before `date`. A line of CAR-T therapy
    /// counts as a prior CAR-T even when nobody recorded the exclusion separately.
    public func exclusion(_ kind: ExclusionKind, asOf date: CalendarDate) -> ExclusionFact? {
        var recorded: ExclusionFact?
        for fact in exclusions where fact.kind == kind && fact.date <= date && (recorded == nil || fact.date >= recorded!.date) { recorded = fact }
        if kind == .priorCarT, recorded?.present != true {
            var first: CalendarDate?
            for line in therapyLines where line.start <= date && line.classes.contains(TherapyLine.carTClass) {
                if first == nil || line.start < first! { first = line.start }
            }
            if let first { return ExclusionFact(kind: .priorCarT, present: true, date: first) }
        }
        return recorded
    }

    /// The latest pretest with `code` done on or before `date`.
    public func latestPretest(_ code: String, asOf date: CalendarDate) -> PretestResult? {
        var best: PretestResult?
        for pretest in pretests where pretest.code == code && pretest.date <= date && (best == nil || pretest.date >= best!.date) { best = pretest }
        return best
    }

    /// Lines of therapy started on or before `date`.
    public func therapyLines(asOf date: CalendarDate) -> [TherapyLine] { therapyLines.filter { $0.start <= date } }

    /// Checks every fact and reports all problems at once, each naming its field
    /// (`labs[2].value`), so a form or import can mark every wrong field in one pass.
    public func validated() throws(ValidationError) -> ClinicalFacts {
        var issues: [ValidationError.Issue] = []
        func check(_ ok: Bool, _ field: String, _ problem: String) { if !ok { issues.append(.init(field: field, problem: problem)) } }
        do { _ = try PatientID.validated(patient.rawValue, field: "patient") } catch { issues += error.issues }
        for (index, diagnosis) in diagnoses.enumerated() {
            check(ICD10.isWellFormed(diagnosis.code), "diagnoses[\(index)].code", "must be an ICD-10-CM code such as C83.30, got \"\(diagnosis.code.prefix(20))\"")
            if let birthDate { check(diagnosis.date >= birthDate, "diagnoses[\(index)].date", "is before the birth date") }
        }
        for (index, line) in therapyLines.enumerated() {
            let field = "therapyLines[\(index)]"
            check(!line.agents.isEmpty || !line.classes.isEmpty, "\(field).agents", "name at least one agent or class")
            for (position, name) in (line.agents + line.classes).enumerated() {
                check(TherapyLine.isWellFormedName(name), position < line.agents.count ? "\(field).agents" : "\(field).classes",
                    "must be a lower-case name of letters, digits and '-', got \"\(name.prefix(40))\"")
            }
            if let end = line.end { check(end >= line.start, "\(field).end", "is before the start (\(line.start))") }
            if let outcomeDate = line.outcomeDate {
                check(outcomeDate >= line.start, "\(field).outcomeDate", "is before the start (\(line.start))")
                check(line.outcome != nil, "\(field).outcome", "is required when an outcome date is given")
            }
            if let birthDate { check(line.start >= birthDate, "\(field).start", "is before the birth date") }
        }
        for (index, status) in performanceStatus.enumerated() {
            check((0...5).contains(status.score), "performanceStatus[\(index)].score", "must be an ECOG score from 0 to 5, got \(status.score)")
        }
        for (index, lab) in labs.enumerated() {
            let field = "labs[\(index)]"
            check(lab.code.isKnown, "\(field).code", "must be one of \(LabCode.knownNames.joined(separator: ", ")), got \"\(lab.code.rawValue.prefix(40))\"")
            check(lab.value >= ExactDecimal(0), "\(field).value", "must not be negative, got \(lab.value)")
            if lab.code == .lvef || lab.code == .spo2 {
                check(lab.value <= ExactDecimal(100), "\(field).value", "is a percentage and must be at most 100, got \(lab.value)")
            }
            if let uln = lab.upperLimitOfNormal { check(uln > ExactDecimal(0), "\(field).upperLimitOfNormal", "must be more than zero, got \(uln)") }
        }
        for (index, pretest) in pretests.enumerated() {
            check(TherapyLine.isWellFormedName(pretest.code), "pretests[\(index)].code", "must be a lower-case test code of letters, digits and '-', got \"\(pretest.code.prefix(40))\"")
        }
        if let birthDate {
            let dated: [(String, CalendarDate)] = performanceStatus.enumerated().map { ("performanceStatus[\($0)].date", $1.date) }
                + labs.enumerated().map { ("labs[\($0)].date", $1.date) } + pretests.enumerated().map { ("pretests[\($0)].date", $1.date) }
            for (field, date) in dated { check(date >= birthDate, field, "is before the birth date") }
        }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        return self
    }
}
