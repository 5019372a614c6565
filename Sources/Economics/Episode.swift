import CareNetwork
import Core
import Foundation

/// One patient's episode of care for a cell or gene therapy, as a cost profile: the product,
/// and every service from apheresis to the last follow-up visit, each with the center's cost
/// and billed charge.
///
/// This is the one input every reimbursement model prices and the cash curve dates. It holds
/// no patient identity: an episode is a profile ("axi-cel, DLBCL, 9 acute days, grade 3 CRS"),
/// reused across cases and what-ifs. Amounts are exact `Money` (integer cents); build one in
/// code or decode it from JSON, then call `validated()` before pricing it.
public struct Episode: Hashable, Sendable, Codable {
    /// What the profile describes, for people: "Axi-cel for DLBCL, commercial, grade 3 CRS".
    public var name: String
    public var product: ProductAcquisition
    /// Every other service, in any order.
    public var services: [ServiceLine]

    public init(name: String, product: ProductAcquisition, services: [ServiceLine]) {
        self.name = name
        self.product = product
        self.services = services
    }

    /// The currency of the episode: the product invoice's.
    public var currency: Currency { product.acquisitionCost.currency }

    /// The center's total cost: the product invoice plus every service line. Exact.
    public var totalCost: Money { services.reduce(product.acquisitionCost) { $0 + $1.totalCost } }

    /// Total billed charges: the product charge plus every service line. Exact.
    public var totalCharges: Money { services.reduce(product.charge) { $0 + $1.totalCharge } }

    /// ICU days across all lines (complication lines included).
    public var icuDays: Int { days(of: .icuDay) }
    /// Acute (ward) inpatient days across all lines.
    public var acuteDays: Int { days(of: .acuteDay) }
    /// Length of stay: ICU plus acute days.
    public var inpatientDays: Int { icuDays + acuteDays }

    /// Days from infusion to discharge. The stay is taken as one continuous admission that
    /// starts on the earliest inpatient line's day and lasts every inpatient day of the episode;
    /// with no inpatient day the product is given as an outpatient and "discharge" is day 0.
    public var dischargeDay: Int {
        let stay = services.filter { $0.kind.isInpatientDay && $0.quantity > 0 }
        guard let admission = stay.map(\.day).min() else { return 0 }
        return admission + inpatientDays
    }

    /// Whether any line is flagged as a complication.
    public var hasComplications: Bool { services.contains { $0.complication } }

    private func days(of kind: ServiceKind) -> Int {
        services.lazy.filter { $0.kind == kind }.reduce(0) { $0 + $1.quantity }
    }

    /// The lines every model prices: the product first (quantity 1), then the services in order.
    var billable: BillableEpisode {
        let productLine = BillableLine(
            kind: .product, label: product.name, code: product.code, quantity: 1, unitCost: product.acquisitionCost,
            unitCharge: product.charge, complication: false
        )
        let rest = services.map {
            BillableLine(
                kind: $0.kind, label: $0.label, code: $0.code, quantity: $0.quantity, unitCost: $0.unitCost,
                unitCharge: $0.unitCharge, complication: $0.complication
            )
        }
        return BillableEpisode(lines: [productLine] + rest, currency: currency, productSuppliedFree: product.suppliedFree)
    }
}

/// The part of an episode a model prices: its lines with the product as one of them. A
/// carve-out prices the product itself and hands the rest of the lines to another model.
struct BillableEpisode: Sendable {
    var lines: [BillableLine]
    var currency: Currency
    var productSuppliedFree: Bool

    var totalCharges: Money { lines.reduce(.zero(currency)) { $0 + $1.totalCharge } }
    var totalCost: Money { lines.reduce(.zero(currency)) { $0 + $1.totalCost } }

    /// The same episode without its product line, for the model that pays the rest of a carve-out.
    var withoutProduct: BillableEpisode {
        BillableEpisode(lines: lines.filter { $0.kind != .product }, currency: currency, productSuppliedFree: productSuppliedFree)
    }
}

/// One priced line: a service line, or the product as a line of quantity 1.
struct BillableLine: Sendable {
    var kind: ServiceKind
    var label: String
    var code: String?
    var quantity: Int
    var unitCost: Money
    var unitCharge: Money
    var complication: Bool

    var totalCost: Money { unitCost * Int64(quantity) }
    var totalCharge: Money { unitCharge * Int64(quantity) }
}
