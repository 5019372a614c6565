import Core

/// A center's cash exposure across its concurrent cases: the daily curve of cash it has paid
/// out and not yet been paid back, its peak, how long it is exposed, and the bridging capital
/// it needs — and what happens to all of that with more patients.
///
/// A center that buys products at $400,000–$3,000,000 each and is paid months later may cap
/// how many patients it treats a month; the peak of this curve is the money it must find to
/// treat them all. The curve is data (dates and amounts, `points`) for the server to chart.
public struct CashExposure: Hashable, Sendable, Codable {
    /// The cases summed, in the order given.
    public let cases: [CaseCashProfile]
    /// Every case's flows, by date.
    public let flows: [CashFlow]
    /// One point per calendar day from the first flow to the last: outstanding at the end of
    /// that day. Empty when there is no flow. After the last point nothing changes.
    public let points: [CashPoint]
    /// The largest outstanding amount and the first day it is reached; `nil` with no flows.
    public let peak: CashPoint?
    /// Days of the curve on which outstanding is above zero.
    public let daysExposed: Int
    /// What is still outstanding after the last flow: positive when the payments never cover
    /// what was paid out (the cases lose money), negative when they leave a surplus.
    public let finalOutstanding: Money

    /// The capital the center needs to carry these cases: the peak, or zero when it is never
    /// out of pocket.
    public var bridgingCapital: Money {
        guard let peak, peak.outstanding.minorUnits > 0 else { return .zero(currency) }
        return peak.outstanding
    }

    public let currency: Currency

    /// The most cases one curve sums, and the most days it may span (ten years).
    public static let maximumCases = 5_000
    public static let maximumDays = 3_653

    /// Sums the cases' timelines into the daily curve. Validates every case first, naming
    /// `cases[i]…`; case IDs must be distinct and all cases in one currency.
    public init(cases: [CaseCashProfile], currency: Currency = .usd) throws(ValidationError) {
        var issues: [ValidationError.Issue] = []
        if cases.count > CashExposure.maximumCases {
            issues.append(.init(field: "cases", problem: "must list at most \(CashExposure.maximumCases) cases, got \(cases.count)"))
        }
        var seen: Set<String> = []
        for (index, profile) in cases.enumerated() {
            profile.check(field: "cases[\(index)]", currency: currency, into: &issues)
            if !seen.insert(profile.caseID).inserted {
                issues.append(.init(field: "cases[\(index)].caseID", problem: "\"\(profile.caseID)\" is used twice"))
            }
        }
        try AmountCheck.finish(issues)

        let flows = cases.flatMap(\.flows).sorted { ($0.date, $0.direction.order) < ($1.date, $1.direction.order) }
        if let first = flows.first?.date, let last = flows.last?.date, first.days(until: last) >= CashExposure.maximumDays {
            throw ValidationError(field: "cases", problem: "span \(first) to \(last), more than \(CashExposure.maximumDays) days")
        }
        var points: [CashPoint] = []
        var peak: CashPoint?
        var daysExposed = 0
        var outstanding = Money.zero(currency)
        if let first = flows.first?.date, let last = flows.last?.date {
            var next = flows.startIndex
            for offset in 0...first.days(until: last) {
                let date = first.adding(days: offset)
                while next < flows.endIndex, flows[next].date == date {
                    outstanding = outstanding + flows[next].outstandingChange
                    next += 1
                }
                let point = CashPoint(date: date, outstanding: outstanding)
                points.append(point)
                if outstanding.minorUnits > 0 { daysExposed += 1 }
                if peak == nil || outstanding > peak!.outstanding { peak = point }
            }
        }
        self.cases = cases
        self.flows = flows
        self.points = points
        self.peak = peak
        self.daysExposed = daysExposed
        self.finalOutstanding = outstanding
        self.currency = currency
    }

    /// The curve with synthetic copies of `template` added, one infused on each date: "what if
    /// we treated these patients too". Copies are named `<template caseID>+1`, `+2` ….
    public func whatIf(adding template: CaseCashProfile, infusionDates: [CalendarDate]) throws(ValidationError) -> CashExposure {
        if infusionDates.isEmpty || infusionDates.count > 1_000 {
            throw ValidationError(field: "whatIf.infusionDates", problem: "must list 1 to 1000 dates, got \(infusionDates.count)")
        }
        let copies = infusionDates.enumerated().map { index, date in
            template.copy(caseID: "\(template.caseID)+\(index + 1)", infusionDate: date)
        }
        return try CashExposure(cases: cases + copies, currency: currency)
    }

    /// "N more patients this month": `count` copies of `template`, infused on days spread
    /// evenly across the month that contains `month` (see `infusionDates(count:inMonthOf:)`).
    public func whatIf(morePatients count: Int, like template: CaseCashProfile, inMonthOf month: CalendarDate) throws(ValidationError) -> CashExposure {
        guard (1...1_000).contains(count) else {
            throw ValidationError(field: "whatIf.morePatients", problem: "must be from 1 to 1000, got \(count)")
        }
        return try whatIf(adding: template, infusionDates: CashExposure.infusionDates(count: count, inMonthOf: month))
    }

    /// `count` dates spread evenly over the month containing `date`: day `1 + ⌊i × D ÷ count⌋`
    /// for i = 0 … count−1, where D is the number of days in the month (4 in a 30-day month:
    /// the 1st, 8th, 16th and 23rd).
    public static func infusionDates(count: Int, inMonthOf date: CalendarDate) -> [CalendarDate] {
        let (year, month, _) = date.components
        let first = CalendarDate(year: year, month: month, day: 1)!
        let next = month == 12 ? CalendarDate(year: year + 1, month: 1, day: 1)! : CalendarDate(year: year, month: month + 1, day: 1)!
        let days = first.days(until: next)
        return (0..<max(0, count)).map { first.adding(days: $0 * days / count) }
    }
}
