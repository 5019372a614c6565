import Core
import Foundation

/// One case's cash timeline: the product bought at order or shipment, each service paid for
/// on the day it is given, and the payer's payments when they arrive — all on calendar dates
/// anchored at the infusion date.
///
/// A center that buys a $400,000–$3,000,000 product and waits months to be paid carries that
/// amount for every case in flight; a profile per case is what the center's cash curve sums.
public struct CaseCashProfile: Hashable, Sendable, Codable {
    /// The case this timeline belongs to (or a label for a hypothetical case).
    public var caseID: String
    public var episode: Episode
    /// Day 0 of the episode; every line's day counts from it.
    public var infusionDate: CalendarDate
    /// When the center pays for the product: at order or at shipment.
    public var productPaidAt: PurchasePoint
    /// Days after that point the manufacturer's invoice is paid (0: the same day; 30: net 30).
    public var productPaymentTermsDays: Int
    /// The payments the center expects.
    public var receipts: [Receipt]

    public init(
        caseID: String, episode: Episode, infusionDate: CalendarDate, productPaidAt: PurchasePoint = .shipment,
        productPaymentTermsDays: Int = 0, receipts: [Receipt]
    ) {
        self.caseID = caseID
        self.episode = episode
        self.infusionDate = infusionDate
        self.productPaidAt = productPaidAt
        self.productPaymentTermsDays = productPaymentTermsDays
        self.receipts = receipts
    }

    /// A case paid in one claim: the payer's cost of `payment`, on `claim`'s timing.
    public init(
        caseID: String, episode: Episode, infusionDate: CalendarDate, productPaidAt: PurchasePoint = .shipment,
        productPaymentTermsDays: Int = 0, payment: Payment, claim: ClaimTiming
    ) {
        self.init(
            caseID: caseID, episode: episode, infusionDate: infusionDate, productPaidAt: productPaidAt,
            productPaymentTermsDays: productPaymentTermsDays, receipts: [Receipt(label: "Claim", amount: payment.payerCost, timing: claim)]
        )
    }

    /// When the center pays for the product.
    public enum PurchasePoint: String, Hashable, Sendable, Codable {
        case order
        case shipment
    }

    /// The case's cash flows, by date (cash out before cash in on the same day). Zero amounts
    /// (a product supplied free, a line with no cost) are left out. Meant for a validated
    /// profile: `CashExposure` validates before it sums.
    public var flows: [CashFlow] {
        var flows: [CashFlow] = []
        let product = episode.product
        let purchaseDay = (productPaidAt == .order ? product.orderDay : product.shipmentDay) + productPaymentTermsDays
        if product.acquisitionCost.minorUnits != 0 {
            flows.append(CashFlow(
                date: infusionDate.adding(days: purchaseDay), caseID: caseID, label: "\(product.name) purchase", direction: .out,
                amount: product.acquisitionCost
            ))
        }
        for line in episode.services where line.totalCost.minorUnits != 0 {
            flows.append(CashFlow(date: infusionDate.adding(days: line.day), caseID: caseID, label: line.label, direction: .out, amount: line.totalCost))
        }
        for receipt in receipts where receipt.amount.minorUnits != 0 {
            flows.append(CashFlow(
                date: infusionDate.adding(days: receipt.timing.paymentDay(for: episode)), caseID: caseID, label: receipt.label,
                direction: .in, amount: receipt.amount
            ))
        }
        return flows.sorted { ($0.date, $0.direction.order) < ($1.date, $1.direction.order) }
    }

    /// The same profile for another case infused on another date.
    public func copy(caseID: String, infusionDate: CalendarDate) -> CaseCashProfile {
        var copy = self
        copy.caseID = caseID
        copy.infusionDate = infusionDate
        return copy
    }

    /// The most days a claim may wait to be submitted or paid, or a product invoice to be paid.
    public static let maximumDelayDays = 730

    func check(field: String, currency: Currency, into issues: inout [ValidationError.Issue]) {
        let id = caseID.trimmingCharacters(in: .whitespaces)
        if id.isEmpty || caseID.count > 64 {
            issues.append(.init(field: "\(field).caseID", problem: "must be 1 to 64 characters"))
        }
        do throws(ValidationError) {
            _ = try episode.validated(field: "\(field).episode")
        } catch {
            issues.append(contentsOf: error.issues)
        }
        if episode.currency != currency {
            issues.append(.init(
                field: "\(field).episode.product.acquisitionCost",
                problem: "must be in \(currency.rawValue) like the other cases, got \(episode.currency.rawValue)"
            ))
        }
        func checkDelay(_ days: Int, field: String) {
            if !(0...CaseCashProfile.maximumDelayDays).contains(days) {
                issues.append(.init(field: field, problem: "must be from 0 to \(CaseCashProfile.maximumDelayDays) days, got \(days)"))
            }
        }
        checkDelay(productPaymentTermsDays, field: "\(field).productPaymentTermsDays")
        if receipts.count > 20 {
            issues.append(.init(field: "\(field).receipts", problem: "must list at most 20 payments, got \(receipts.count)"))
        }
        for (index, receipt) in receipts.enumerated() {
            let item = "\(field).receipts[\(index)]"
            if receipt.label.trimmingCharacters(in: .whitespaces).isEmpty {
                issues.append(.init(field: "\(item).label", problem: "must not be empty"))
            }
            AmountCheck.check(receipt.amount, field: "\(item).amount", currency: currency, into: &issues)
            checkDelay(receipt.timing.submitAfterDays, field: "\(item).timing.submitAfterDays")
            checkDelay(receipt.timing.daysToPay, field: "\(item).timing.daysToPay")
        }
    }
}
