import CareNetwork
import Core
import Coverage
import Economics
import Foundation
import Journey
import Storage

/// A center's cash exposure across its cases in flight: each case's product purchase and care
/// against the payer's payment, summed into a daily curve.
///
/// Assumptions, stated on the page: each case follows ``TypicalEpisode/carT`` at its product's
/// list price; cases not yet infused are projected to infuse 90 days after referral (at least
/// two weeks from today); the payer pays the case's signed (or proposed) agreement — a case rate
/// for the episode plus the product at invoice cost and the handling markup — or, without an
/// agreement, the starter terms' defaults; the claim goes 14 days after discharge and is paid
/// after the payer kind's typical days-to-pay.
struct CenterCashExposure {
    /// Typical days from claim to payment by payer kind (assumed; adjust with experience).
    static let daysToPay: [PayerKind: Int] = [.commercial: 45, .selfInsuredEmployer: 45, .medicareAdvantage: 30, .medicare: 30, .medicaid: 60]
    static let projectedReferralToInfusion = 90
    static let recentInfusionDays = 150

    var exposure: CashExposure
    var caseCount: Int
    var template: CaseCashProfile?

    static func load(_ store: Store, center: CenterID, today: CalendarDate) async throws -> CenterCashExposure {
        let directory = try await store.reference.directory()
        let summaries = try await store.cases.summaries(JourneyFilter(centerID: center))
        let agreements = Dictionary(try await store.agreements.list(scope: .center(center), caseID: nil).map { ($0.caseID, $0) }, uniquingKeysWith: { first, _ in first })
        var profiles: [CaseCashProfile] = []
        for summary in summaries {
            let infusion: CalendarDate
            switch summary.status {
            case .open: infusion = max(summary.referralDate.adding(days: projectedReferralToInfusion), today.adding(days: 14))
            case .infused:
                guard let closed = summary.closedOn, closed.days(until: today) <= recentInfusionDays else { continue }
                infusion = closed
            case .lost: continue
            }
            guard let product = directory.product(summary.productID), product.modality == .carT else { continue }
            let kind = directory.payer(summary.payerID)?.kind ?? .commercial
            profiles.append(try profile(case: summary.caseID.rawValue, product: product, agreement: agreements[summary.caseID], infusion: infusion, daysToPay: daysToPay[kind] ?? 45))
        }
        let exposure = try CashExposure(cases: profiles)
        return CenterCashExposure(exposure: exposure, caseCount: profiles.count, template: profiles.first)
    }

    /// One case's profile under its agreement's terms (or the starter terms' defaults).
    static func profile(case id: String, product: Product, agreement: Agreement?, infusion: CalendarDate, daysToPay: Int) throws -> CaseCashProfile {
        let episode = TypicalEpisode.carT(productName: product.name, productID: product.id, code: nil, acquisitionCost: product.listPrice)
        let terms = agreement.map { $0.version($0.acceptance?.version ?? $0.latest.number) ?? $0.latest }
        let rate = terms?.term("case-rate")?.values["amount"] ?? StandardTerms.library.latest("case-rate")?.parameters.first?.defaultValue ?? "185000"
        let handling = terms?.term("product-carve-out")?.values["handling_percent"] ?? "5"
        let caseRate = CaseRate(amount: Money(minorUnits: (Int64(Decimal(string: rate).map { NSDecimalNumber(decimal: $0 * 100).int64Value } ?? 18_500_000)), currency: product.listPrice.currency),
                                includes: CaseRate.everything, outside: .notPaid)
        let model = ReimbursementModel.carveOut(ProductCarveOut(handling: .markup(try Percentage.parse(handling, field: "handling_percent")), rest: .caseRate(caseRate)))
        let payment = try model.payment(for: episode)
        return CaseCashProfile(caseID: id, episode: episode, infusionDate: infusion, productPaidAt: .shipment, payment: payment,
                               claim: ClaimTiming(anchor: .discharge, submitAfterDays: 14, daysToPay: daysToPay))
    }
}
