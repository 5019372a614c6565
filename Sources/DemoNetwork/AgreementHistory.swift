import Core

/// Which center–payer pairs have signed a single-case agreement, and since when.
///
/// A first agreement between a center and a payer takes about 45 days; with a previous one
/// to start from, payers estimate 7–18 days (seed 004). Tracking the first signing per pair
/// lets the demo show agreements getting faster as a center works with a payer.
struct AgreementHistory {
    private var signedOn: [CalendarDate?]
    private let payerCount: Int

    /// - Parameter priorShare: share of pairs that already signed one before the demo begins.
    init(centerCount: Int, payerCount: Int, priorShare: Double, before start: CalendarDate, rng: inout SeededGenerator) {
        self.payerCount = payerCount
        signedOn = (0..<(centerCount * payerCount)).map { _ in
            rng.bernoulli(priorShare) ? start.adding(days: -365) : nil
        }
    }

    /// Whether the center had a signed agreement with the payer before `date`.
    func hasAgreement(center: Int, payer: Int, before date: CalendarDate) -> Bool {
        signedOn[center * payerCount + payer].map { $0 < date } ?? false
    }

    mutating func record(center: Int, payer: Int, signedOn date: CalendarDate) {
        let index = center * payerCount + payer
        if let existing = signedOn[index], existing <= date { return }
        signedOn[index] = date
    }
}
