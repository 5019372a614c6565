import Core
import Outcomes

/// An ECOG performance status score (0 fully active … 5 dead) and the day it was assessed.
public struct PerformanceStatus: Hashable, Sendable, Codable {
    public var score: Int
    public var date: CalendarDate

    public init(score: Int, date: CalendarDate) {
        self.score = score
        self.date = date
    }
}

/// One laboratory or organ-function result, exact as reported.
public struct LabObservation: Hashable, Sendable, Codable {
    public var code: LabCode
    /// In the unit ``LabCode/unit`` names; exact, because thresholds are (LVEF ≥ 50%).
    public var value: ExactDecimal
    /// The reporting laboratory's upper limit of normal, for criteria relative to it (`2 * uln.ldh`).
    public var upperLimitOfNormal: ExactDecimal?
    public var date: CalendarDate

    public init(code: LabCode, value: ExactDecimal, upperLimitOfNormal: ExactDecimal? = nil, date: CalendarDate) {
        self.code = code
        self.value = value
        self.upperLimitOfNormal = upperLimitOfNormal
        self.date = date
    }
}

/// A clinician's assessment that an exclusion is present or absent, on a date.
public struct ExclusionFact: Hashable, Sendable, Codable {
    public var kind: ExclusionKind
    public var present: Bool
    public var date: CalendarDate

    public init(kind: ExclusionKind, present: Bool, date: CalendarDate) {
        self.kind = kind
        self.present = present
        self.date = date
    }
}

/// A pretest done (echocardiogram, infectious-disease panel, …) and the day it was done.
public struct PretestResult: Hashable, Sendable, Codable {
    /// Lower-case test code shared by facts and criteria (`echo`, `id-panel`, `pft`).
    public var code: String
    public var date: CalendarDate

    public init(code: String, date: CalendarDate) {
        self.code = code
        self.date = date
    }
}
