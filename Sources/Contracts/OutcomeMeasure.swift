import Core
import Outcomes

/// A computable outcome definition over outcome events, with the window it is assessed in,
/// how long to wait for late data, and what to do when the data never comes.
///
/// Measures are what payers and manufacturers actually disagree about, so each kind has one
/// precise reading, written in `docs/CONTRACTS.md` and implemented once in
/// ``MeasureEvaluation``. The window is counted from the infusion date.
public struct OutcomeMeasure: Hashable, Sendable {
    public var id: MeasureID
    public var kind: MeasureKind
    /// The end of the assessment window, from infusion.
    public var window: MeasureWindow
    /// Days after the window closes during which data may still arrive before the result
    /// is declared; the missing-data rule applies only after it.
    public var graceDays: Int
    public var missingData: MissingDataRule

    public init(id: MeasureID, kind: MeasureKind, window: MeasureWindow, graceDays: Int = 0, missingData: MissingDataRule) {
        self.id = id
        self.kind = kind
        self.window = window
        self.graceDays = graceDays
        self.missingData = missingData
    }
}

/// The length of an assessment window.
public enum MeasureWindow: Hashable, Sendable {
    case days(Int)
    case months(Int)

    /// The last day of the window for a patient infused on `infusion`.
    public func end(from infusion: CalendarDate) -> CalendarDate {
        switch self {
        case .days(let days): infusion.adding(days: days)
        case .months(let months): infusion.adding(months: months)
        }
    }
}

/// What a measure asks of the outcome events.
public enum MeasureKind: Hashable, Sendable {
    /// A response assessment with one of `responses` on or before the window's last day.
    case responseBy(responses: [String])
    /// Alive on the window's last day: no death on or before it, and some event on or after it.
    case aliveAt
    /// A stretch of at least `forMonths` without a transfusion, inside the window.
    case transfusionIndependence(forMonths: Int)
    /// No hospitalization (for `reason`, or any reason) from the day after infusion to the
    /// window's last day; fails on the first one.
    case noHospitalization(reason: String?)
    /// The lab result for `test` nearest the window's last day (within `toleranceDays`) is at
    /// least `threshold`, in `unit`.
    case labAtLeast(test: String, threshold: ExactDecimal, unit: String, toleranceDays: Int)
    /// No loss of response inside the window: fails on the first response assessment not in
    /// `responses`, or on a subsequent therapy. The warranty measure.
    case responseMaintained(responses: [String])

    /// The name used in contract files.
    public var name: String {
        switch self {
        case .responseBy: "responseBy"
        case .aliveAt: "aliveAt"
        case .transfusionIndependence: "transfusionIndependence"
        case .noHospitalization: "noHospitalization"
        case .labAtLeast: "labAtLeast"
        case .responseMaintained: "responseMaintained"
        }
    }

    /// Whether a failure is known as soon as the failing event is recorded, rather than when
    /// the window closes: "no hospitalization within 36 months" fails on the day of one.
    var failsEarly: Bool {
        switch self {
        case .noHospitalization, .responseMaintained: true
        default: false
        }
    }
}

/// What a measure's result is when the window and grace period have passed without the data
/// needed to decide it. Whatever the rule, the result is flagged as resting on missing data.
public enum MissingDataRule: Hashable, Sendable {
    case assumeMet
    case assumeNotMet
    /// Wait this many more days, then escalate.
    case extend(days: Int)
    /// Decide nothing: post no consequence and ask a person.
    case escalate

    public var name: String {
        switch self {
        case .assumeMet: "assumeMet"
        case .assumeNotMet: "assumeNotMet"
        case .extend(let days): "extend \(days) days"
        case .escalate: "escalate"
        }
    }
}
