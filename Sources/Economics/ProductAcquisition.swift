import CareNetwork
import Core

/// The therapy product as the center buys and bills it: the manufacturer's invoice, the
/// center's charge, and when it is ordered and shipped.
///
/// The product is most of an episode's cost ($373,000–$487,477 for CAR-T list prices) and is
/// treated apart by most terms — carved out at invoice, paid free of charge in a trial — so
/// it is its own value rather than one service line among many. Its order and shipment days
/// are the two moments a center may have to pay for it.
public struct ProductAcquisition: Hashable, Sendable, Codable {
    /// Brand name, e.g. Yescarta.
    public var name: String
    /// The product in the network's catalogue, when the episode is for a known product.
    public var productID: ProductID?
    /// Billing code, e.g. HCPCS Q2041; fee schedules look it up.
    public var code: String?
    /// What the center pays the manufacturer (the invoice); zero when supplied free.
    public var acquisitionCost: Money
    /// What the center bills for it (its chargemaster price, revenue code 0891).
    public var charge: Money
    /// Supplied at no cost to the center, in a clinical trial or under expanded access. Medicare
    /// then pays MS-DRG 018 at its reduced clinical-trial rate.
    public var suppliedFree: Bool
    /// Days from infusion when the center orders the product (at apheresis, e.g. −35).
    public var orderDay: Int
    /// Days from infusion when the manufacturer ships it (e.g. −4).
    public var shipmentDay: Int

    public init(
        name: String, productID: ProductID? = nil, code: String? = nil, acquisitionCost: Money, charge: Money,
        suppliedFree: Bool = false, orderDay: Int, shipmentDay: Int
    ) {
        self.name = name
        self.productID = productID
        self.code = code
        self.acquisitionCost = acquisitionCost
        self.charge = charge
        self.suppliedFree = suppliedFree
        self.orderDay = orderDay
        self.shipmentDay = shipmentDay
    }

    private enum CodingKeys: String, CodingKey {
        case name, productID, code, acquisitionCost, charge, suppliedFree, orderDay, shipmentDay
    }

    /// `productID`, `code` and `suppliedFree` may be left out of JSON.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        productID = try container.decodeIfPresent(ProductID.self, forKey: .productID)
        code = try container.decodeIfPresent(String.self, forKey: .code)
        acquisitionCost = try container.decode(Money.self, forKey: .acquisitionCost)
        charge = try container.decode(Money.self, forKey: .charge)
        suppliedFree = try container.decodeIfPresent(Bool.self, forKey: .suppliedFree) ?? false
        orderDay = try container.decode(Int.self, forKey: .orderDay)
        shipmentDay = try container.decode(Int.self, forKey: .shipmentDay)
    }
}
