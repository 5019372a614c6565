import Core

/// How payer cost and center margin move, model by model, when the stay is longer or shorter
/// and when complications happen or not: a grid of episode variants × models.
///
/// A center weighing a case rate needs to know what a grade 3 CRS with four extra ICU days
/// does to it, and a payer weighing a per diem the same from the other side; one number per
/// model hides exactly the risk being negotiated.
public struct Sensitivity: Hashable, Sendable, Codable {
    /// The model names, in column order.
    public let models: [String]
    /// One row per variant: every complications setting × ICU change × acute change, in the
    /// order given (complications outermost, acute changes innermost).
    public let rows: [Row]

    /// One variant of the episode.
    public struct Variant: Hashable, Sendable, Codable {
        public let icuDayChange: Int
        public let acuteDayChange: Int
        public let complications: Bool
        /// The variant's ICU and acute days after the change.
        public let icuDays: Int
        public let acuteDays: Int
        public let centerCost: Money
        public let billedCharges: Money
    }

    /// One model's result for one variant.
    public struct Cell: Hashable, Sendable, Codable {
        public let model: String
        public let payerCost: Money
        public let centerCost: Money
        public let centerMargin: Money
    }

    public struct Row: Hashable, Sendable, Codable {
        public let variant: Variant
        /// One cell per model, in `models` order.
        public let cells: [Cell]
    }

    /// The most values one axis may take, and the most days one change may add or remove.
    public static let maximumAxisValues = 61
    public static let maximumDayChange = 365

    /// Prices every variant under every model. The changes are applied as `Episode.adjusted`
    /// describes; each list must be non-empty, distinct and within ±365 days.
    public init(
        episode: Episode, models: [NamedModel], icuDayChanges: [Int], acuteDayChanges: [Int], complications: [Bool] = [false, true]
    ) throws(ValidationError) {
        let episode = try episode.validated()
        try NamedModel.check(models, currency: episode.currency)
        var issues: [ValidationError.Issue] = []
        Sensitivity.checkAxis(icuDayChanges, field: "sensitivity.icuDayChanges", into: &issues)
        Sensitivity.checkAxis(acuteDayChanges, field: "sensitivity.acuteDayChanges", into: &issues)
        if complications.isEmpty || Set(complications).count != complications.count {
            issues.append(.init(field: "sensitivity.complications", problem: "must list true, false or both, each once"))
        }
        if icuDayChanges.contains(where: { $0 != 0 }), !episode.services.contains(where: { $0.kind == .icuDay }) {
            issues.append(.init(field: "sensitivity.icuDayChanges", problem: "cannot change ICU days: the episode has no icu-day line to say what a day costs"))
        }
        if acuteDayChanges.contains(where: { $0 != 0 }), !episode.services.contains(where: { $0.kind == .acuteDay }) {
            issues.append(.init(field: "sensitivity.acuteDayChanges", problem: "cannot change acute days: the episode has no acute-day line to say what a day costs"))
        }
        try AmountCheck.finish(issues)

        var rows: [Row] = []
        for withComplications in complications {
            for icu in icuDayChanges {
                for acute in acuteDayChanges {
                    // Cannot fail: every change has a line to go to (checked above).
                    guard let variant = try? episode.adjusted(icuDayChange: icu, acuteDayChange: acute, complications: withComplications)
                    else { continue }
                    let billable = variant.billable
                    let cost = variant.totalCost
                    let cells = models.map { named in
                        let payment = Payment(lines: named.model.lines(for: billable), centerCost: cost, billedCharges: variant.totalCharges)
                        return Cell(model: named.name, payerCost: payment.payerCost, centerCost: cost, centerMargin: payment.centerMargin)
                    }
                    rows.append(Row(
                        variant: Variant(
                            icuDayChange: icu, acuteDayChange: acute, complications: withComplications, icuDays: variant.icuDays,
                            acuteDays: variant.acuteDays, centerCost: cost, billedCharges: variant.totalCharges
                        ),
                        cells: cells
                    ))
                }
            }
        }
        self.models = models.map(\.name)
        self.rows = rows
    }

    /// The symmetric grid: ICU and acute days each changed by −n…+n, with and without
    /// complications. A level of care the episode has no line for stays at zero days.
    public init(episode: Episode, models: [NamedModel], lengthOfStayRange n: Int) throws(ValidationError) {
        guard (0...30).contains(n) else {
            throw ValidationError(field: "sensitivity.lengthOfStayRange", problem: "must be from 0 to 30 days, got \(n)")
        }
        let changes = Array(-n...n)
        let hasICU = episode.services.contains { $0.kind == .icuDay }
        let hasAcute = episode.services.contains { $0.kind == .acuteDay }
        try self.init(episode: episode, models: models, icuDayChanges: hasICU ? changes : [0], acuteDayChanges: hasAcute ? changes : [0])
    }

    /// The cell for one variant and model, if the grid has it.
    public func cell(icuDayChange: Int, acuteDayChange: Int, complications: Bool, model: String) -> Cell? {
        rows.first {
            $0.variant.icuDayChange == icuDayChange && $0.variant.acuteDayChange == acuteDayChange && $0.variant.complications == complications
        }?.cells.first { $0.model == model }
    }

    private static func checkAxis(_ changes: [Int], field: String, into issues: inout [ValidationError.Issue]) {
        if changes.isEmpty || changes.count > maximumAxisValues {
            issues.append(.init(field: field, problem: "must list 1 to \(maximumAxisValues) changes, got \(changes.count)"))
        } else if Set(changes).count != changes.count {
            issues.append(.init(field: field, problem: "must not list a change twice"))
        } else if let bad = changes.first(where: { abs($0) > maximumDayChange }) {
            issues.append(.init(field: field, problem: "changes must be within ±\(maximumDayChange) days, got \(bad)"))
        }
    }
}
