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
