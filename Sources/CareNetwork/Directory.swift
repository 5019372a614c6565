import Core

/// The reference data of a network — centers, payers, plans and products — with lookups by
/// identifier. Small enough to hold in memory and passed around whole.
public struct Directory: Sendable, Hashable {
    public var centers: [Center]
    public var payers: [Payer]
    public var plans: [Plan]
    public var products: [Product]

    public init(centers: [Center] = [], payers: [Payer] = [], plans: [Plan] = [], products: [Product] = []) {
        self.centers = centers
        self.payers = payers
        self.plans = plans
        self.products = products
    }

    public func center(_ id: CenterID) -> Center? { centers.first { $0.id == id } }
    public func payer(_ id: PayerID) -> Payer? { payers.first { $0.id == id } }
    public func plan(_ id: PlanID) -> Plan? { plans.first { $0.id == id } }
    public func product(_ id: ProductID) -> Product? { products.first { $0.id == id } }

    public var isEmpty: Bool { centers.isEmpty && payers.isEmpty && products.isEmpty }
}
