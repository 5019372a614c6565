import Core

/// The bounds every amount in an episode or a reimbursement term must respect.
///
/// Validation collects every problem at once (a coordinator fixes a form in one pass), so the
/// checks append issues instead of throwing; and the upper bound is what keeps quantities ×
/// prices × percentages far inside 64-bit cents, so nothing computed here can overflow.
enum AmountCheck {
    /// A billion dollars: above any therapy price or charge; the same bound contract files use.
    static let maximumMinorUnits: Int64 = 100_000_000_000

    /// Appends an issue when `amount` is negative, too large or in another currency.
    static func check(_ amount: Money, field: String, currency: Currency, into issues: inout [ValidationError.Issue]) {
        if amount.currency != currency {
            issues.append(.init(field: field, problem: "must be in \(currency.rawValue) like the rest of the episode, got \(amount.currency.rawValue)"))
        } else if amount.minorUnits < 0 {
            issues.append(.init(field: field, problem: "must not be negative, got \(amount)"))
        } else if amount.minorUnits > maximumMinorUnits {
            issues.append(.init(field: field, problem: "must be at most $1,000,000,000.00, got \(amount)"))
        }
    }

    /// Throws the collected issues, if any.
    static func finish(_ issues: [ValidationError.Issue]) throws(ValidationError) {
        if !issues.isEmpty { throw ValidationError(issues: issues) }
    }
}
