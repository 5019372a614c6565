import Core
import CareNetwork

/// The effective net price of one unit, and whether it would set a new Medicaid best price.
///
/// Outcome rebates and refunds lower what the manufacturer is really paid for a unit, and
/// the Medicaid rebate statute makes the lowest such price (the "best price") matter for
/// every Medicaid unit. Since 2022 a manufacturer with a value-based arrangement may report
/// several best prices, one per outcome tier, so units are compared within their tier.
public struct NetPrice: Hashable, Sendable, Codable {
    public var contractID: ContractID
    public var patientID: PatientID
    public var productID: ProductID
    public var unitPrice: Money
    public var netPrice: Money
    /// The outcome tier the unit falls in (`year-1`), or ``NetPrice/baseTier``.
    public var tier: String
    /// The lowest net price for the product and tier before this unit; `nil` for the first.
    public var priorBestPrice: Money?
    /// The unit's net price is below every earlier unit's in its product and tier.
    public var setsNewBestPrice: Bool
    public var setOn: CalendarDate

    /// The tier of units no tiered clause applied to.
    public static let baseTier = "base"

    /// Net prices of `units`, compared in the order their net prices were set.
    /// - Parameter priorBestPrices: best prices already reported per product (outside these
    ///   contracts), below which a unit must fall to set a new one.
    public static func report(units: [UnitSettlement], priorBestPrices: [ProductID: Money] = [:]) -> [NetPrice] {
        var lowest: [String: Money] = [:]
        var report: [NetPrice] = []
        let ordered = units.sorted {
            ($0.netPriceSetOn, $0.productID, $0.contractID, $0.patientID) < ($1.netPriceSetOn, $1.productID, $1.contractID, $1.patientID)
        }
        for unit in ordered {
            let tier = unit.tiers.isEmpty ? baseTier : unit.tiers.sorted().joined(separator: "+")
            // Prices are compared within a currency: a euro price is never below a dollar one.
            let group = "\(unit.productID)\u{1F}\(tier)\u{1F}\(unit.netPrice.currency.rawValue)"
            let reported = priorBestPrices[unit.productID].flatMap { $0.currency == unit.netPrice.currency ? $0 : nil }
            let prior = [lowest[group], reported].compactMap { $0 }.min()
            let net = unit.netPrice
            let setsNew = prior.map { net < $0 } ?? false
            report.append(NetPrice(
                contractID: unit.contractID, patientID: unit.patientID, productID: unit.productID, unitPrice: unit.unitPrice,
                netPrice: net, tier: tier, priorBestPrice: prior, setsNewBestPrice: setsNew, setOn: unit.netPriceSetOn
            ))
            lowest[group] = min(lowest[group] ?? net, net)
        }
        return report
    }

    /// The best (lowest) net price per product and tier: what a manufacturer reports under
    /// Medicaid's multiple best prices for a value-based arrangement; per currency, when a
    /// product is sold under contracts in more than one.
    public static func bestPrices(_ report: [NetPrice]) -> [BestPrice] {
        var best: [String: NetPrice] = [:]
        for price in report {
            let group = "\(price.productID)\u{1F}\(price.tier)\u{1F}\(price.netPrice.currency.rawValue)"
            if let current = best[group], current.netPrice <= price.netPrice { continue }
            best[group] = price
        }
        return best.values.map { BestPrice(productID: $0.productID, tier: $0.tier, price: $0.netPrice, patientID: $0.patientID) }
            .sorted { ($0.productID, $0.tier, $0.price.currency.rawValue) < ($1.productID, $1.tier, $1.price.currency.rawValue) }
    }
}

/// The lowest net price of a product within one outcome tier, and the unit that set it.
public struct BestPrice: Hashable, Sendable, Codable {
    public var productID: ProductID
    public var tier: String
    public var price: Money
    public var patientID: PatientID
}
