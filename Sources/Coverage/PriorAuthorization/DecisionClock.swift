import CareNetwork
import Core
import Foundation

/// How long a payer has to decide a prior-authorization request, for one plan type.
///
/// Clocks run on instants, not calendar dates, because the expedited limit is counted in
/// hours: a request received at 16:00 on Friday is due at 16:00 on Monday wherever the
/// payer is. "Seven calendar days" is 7 × 24 hours from receipt.
public struct DecisionClockPolicy: Hashable, Sendable, Codable {
    public var expeditedHours: Int
    public var standardDays: Int
    /// Appeals have their own, longer clock.
    public var expeditedAppealHours: Int
    public var standardAppealDays: Int
    /// Whether a pend stops the clock until the center answers. The CMS rule does not allow
    /// it (a payer that lacks information must still decide in time); some state rules do.
    public var pauseWhilePended: Bool

    public init(expeditedHours: Int, standardDays: Int, expeditedAppealHours: Int = 72, standardAppealDays: Int = 30, pauseWhilePended: Bool = false) {
        self.expeditedHours = expeditedHours
        self.standardDays = standardDays
        self.expeditedAppealHours = expeditedAppealHours
        self.standardAppealDays = standardAppealDays
        self.pauseWhilePended = pauseWhilePended
    }

    /// The time allowed for a first decision.
    public func allowance(_ urgency: Urgency) -> TimeInterval {
        switch urgency {
        case .expedited: TimeInterval(expeditedHours) * 3600
        case .standard: TimeInterval(standardDays) * 86_400
        }
    }

    /// The time allowed to decide an appeal.
    public func appealAllowance(_ urgency: Urgency) -> TimeInterval {
        switch urgency {
        case .expedited: TimeInterval(expeditedAppealHours) * 3600
        case .standard: TimeInterval(standardAppealDays) * 86_400
        }
    }

    public func validated(field: String) throws(ValidationError) -> DecisionClockPolicy {
        var issues: [ValidationError.Issue] = []
        if !(1...720).contains(expeditedHours) { issues.append(.init(field: "\(field).expeditedHours", problem: "must be 1 to 720 hours, got \(expeditedHours)")) }
        if !(1...90).contains(standardDays) { issues.append(.init(field: "\(field).standardDays", problem: "must be 1 to 90 days, got \(standardDays)")) }
        if !(1...720).contains(expeditedAppealHours) { issues.append(.init(field: "\(field).expeditedAppealHours", problem: "must be 1 to 720 hours, got \(expeditedAppealHours)")) }
        if !(1...180).contains(standardAppealDays) { issues.append(.init(field: "\(field).standardAppealDays", problem: "must be 1 to 180 days, got \(standardAppealDays)")) }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        return self
    }
}

/// The decision-clock policy for every plan type.
///
/// The defaults follow the CMS interoperability and prior authorization rule (CMS-0057-F):
/// from 1 January 2026 Medicare Advantage, Medicaid and CHIP plans decide within 72 hours
/// (expedited) or 7 calendar days (standard). Commercial and self-insured plans follow the
/// ERISA claims rule (72 hours urgent, 15 days pre-service); traditional Medicare is given
/// the CMS limits. Every figure can be overridden per plan type (`docs/CRITERIA.md`).
public struct DecisionClocks: Hashable, Sendable {
    public var policies: [PlanType: DecisionClockPolicy]

    public init(policies: [PlanType: DecisionClockPolicy]) { self.policies = policies }

    public static let cmsDefaults = DecisionClocks(policies: [
        .medicareAdvantage: DecisionClockPolicy(expeditedHours: 72, standardDays: 7),
        .medicaid: DecisionClockPolicy(expeditedHours: 72, standardDays: 7),
        .chip: DecisionClockPolicy(expeditedHours: 72, standardDays: 7),
        .medicare: DecisionClockPolicy(expeditedHours: 72, standardDays: 7),
        .commercial: DecisionClockPolicy(expeditedHours: 72, standardDays: 15),
        .selfInsured: DecisionClockPolicy(expeditedHours: 72, standardDays: 15),
    ])

    /// Plan types the CMS rule itself covers, shown as such on the work queue.
    public static let cmsRulePlanTypes: Set<PlanType> = [.medicareAdvantage, .medicaid, .chip]

    public func policy(for planType: PlanType) -> DecisionClockPolicy {
        policies[planType] ?? DecisionClocks.cmsDefaults.policies[planType] ?? DecisionClockPolicy(expeditedHours: 72, standardDays: 7)
    }
}

/// How a request stands against its clock at one instant.
public enum ClockStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// No decision owed: a draft or a decided request.
    case stopped
    /// Stopped by a pend, where the plan type's policy allows it.
    case paused
    case onTime = "on-time"
    /// Less than a quarter of the allowance (and at most 48 hours) left.
    case dueSoon = "due-soon"
    case overdue
}

extension DecisionClocks {
    /// Overrides from text, as `CUREPATH_PA_CLOCKS` gives them: comma-separated
    /// `plan-type=EXPEDITEDh/STANDARDd`, optionally `/APPEAL_EXPEDITEDh/APPEAL_STANDARDd`, and
    /// `/pause` to stop the clock while a request is pended — for example
    /// `commercial=72h/15d,medicaid=72h/7d/72h/30d`. Plan types not named keep the defaults.
    public static func parse(_ text: String, field: String = "CUREPATH_PA_CLOCKS") throws(ValidationError) -> DecisionClocks {
        var clocks = DecisionClocks.cmsDefaults
        for (index, item) in text.split(separator: ",").enumerated() {
            let path = "\(field)[\(index)]"
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let planType = PlanType(rawValue: parts[0]) else {
                throw ValidationError(field: path, problem: "expected plan-type=72h/7d with a plan type of \(PlanType.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(item.prefix(60))\"")
            }
            var figures = parts[1].split(separator: "/").map(String.init)
            let pause = figures.last == "pause"
            if pause { figures.removeLast() }
            func number(_ text: String, unit: Character) throws(ValidationError) -> Int {
                guard text.last == unit, let value = Int(text.dropLast()) else {
                    throw ValidationError(field: path, problem: "'\(text)' should be a whole number followed by '\(unit)'")
                }
                return value
            }
            guard figures.count == 2 || figures.count == 4 else {
                throw ValidationError(field: path, problem: "give EXPEDITEDh/STANDARDd, optionally followed by /APPEALh/APPEALd and /pause")
            }
            let base = clocks.policy(for: planType)
            let policy = DecisionClockPolicy(
                expeditedHours: try number(figures[0], unit: "h"), standardDays: try number(figures[1], unit: "d"),
                expeditedAppealHours: figures.count == 4 ? try number(figures[2], unit: "h") : base.expeditedAppealHours,
                standardAppealDays: figures.count == 4 ? try number(figures[3], unit: "d") : base.standardAppealDays, pauseWhilePended: pause)
            clocks.policies[planType] = try policy.validated(field: "\(path).\(planType.rawValue)")
        }
        return clocks
    }
}
