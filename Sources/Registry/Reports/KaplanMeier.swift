import Foundation

/// The Kaplan–Meier estimate of survival over time, with Greenwood's variance and a
/// log(−log) 95% confidence band — the curve a 1-year overall survival figure is read from.
///
/// Each subject contributes a time (days from infusion) and whether that time is a death
/// (an event) or the last day known alive (censored). Estimates are Doubles: they are
/// statistics shown to people, not money.
public struct KaplanMeier: Hashable, Sendable {
    public struct Subject: Hashable, Sendable {
        public var days: Int
        public var died: Bool

        public init(days: Int, died: Bool) {
            self.days = days
            self.died = died
        }
    }

    /// The estimate just after `day`, with the number still at risk before it.
    public struct Step: Hashable, Sendable {
        public var day: Int
        public var atRisk: Int
        public var deaths: Int
        public var censored: Int
        public var survival: Double
        public var lower: Double
        public var upper: Double
    }

    public var subjects: Int
    public var steps: [Step]

    public init(_ subjects: [Subject]) {
        self.subjects = subjects.count
        var steps: [Step] = []
        var atRisk = subjects.count
        var survival = 1.0
        var greenwood = 0.0
        for (day, group) in Dictionary(grouping: subjects, by: \.days).sorted(by: { $0.key < $1.key }) {
            let deaths = group.filter(\.died).count
            let censored = group.count - deaths
            if deaths > 0, atRisk > 0 {
                survival *= 1 - Double(deaths) / Double(atRisk)
                if atRisk > deaths { greenwood += Double(deaths) / (Double(atRisk) * Double(atRisk - deaths)) }
            }
            let (lower, upper) = Self.band(survival, greenwood)
            steps.append(Step(day: day, atRisk: atRisk, deaths: deaths, censored: censored, survival: survival, lower: lower, upper: upper))
            atRisk -= group.count
        }
        self.steps = steps
    }

    /// The estimate (and band) at `day`: the last step on or before it.
    public func survival(atDay day: Int) -> (estimate: Double, lower: Double, upper: Double)? {
        guard subjects > 0 else { return nil }
        guard let step = steps.last(where: { $0.day <= day }) else { return (1, 1, 1) }
        return (step.survival, step.lower, step.upper)
    }

    /// log(−log) transformed 95% interval, which stays inside [0, 1].
    static func band(_ survival: Double, _ greenwood: Double) -> (Double, Double) {
        guard survival > 0, survival < 1, greenwood > 0 else { return (survival, survival) }
        let logS = log(survival)
        let se = sqrt(greenwood) / abs(logS)
        let z = 1.959964
        return (pow(survival, exp(z * se)), pow(survival, exp(-z * se)))
    }
}
