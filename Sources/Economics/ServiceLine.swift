import Core

/// One service of an episode of care as the center sees it: how many, what each costs the
/// center, what each is billed at on its chargemaster, and when it happens.
///
/// Keeping cost and charge side by side on every line is what lets one episode be priced
/// under every model: fee-for-service and stop-loss read charges, the center's margin reads
/// cost. The day puts the line on the cash curve.
public struct ServiceLine: Hashable, Sendable, Codable {
    public var kind: ServiceKind
    /// What the line is, for people: "Acute inpatient days", "Tocilizumab 8 mg/kg dose".
    public var label: String
    /// A billing code (CPT, HCPCS, revenue code) that fee schedules look up; optional.
    public var code: String?
    /// Units: days for `icuDay` and `acuteDay`, visits, doses, sessions.
    public var quantity: Int
    /// The center's cost of one unit.
    public var unitCost: Money
    /// The center's billed charge for one unit (its chargemaster price).
    public var unitCharge: Money
    /// When the service happens, in days from infusion (apheresis at −35, follow-up at 28).
    /// The center's cash goes out on this day for the whole line.
    public var day: Int
    /// True when the line happens only because of a complication (grade ≥3 CRS, ICANS): the
    /// sensitivity grid drops these lines to show the episode without complications.
    public var complication: Bool

    public init(
        kind: ServiceKind, label: String, code: String? = nil, quantity: Int, unitCost: Money, unitCharge: Money,
        day: Int, complication: Bool = false
    ) {
        self.kind = kind
        self.label = label
        self.code = code
        self.quantity = quantity
        self.unitCost = unitCost
        self.unitCharge = unitCharge
        self.day = day
        self.complication = complication
    }

    /// `quantity × unitCost`: exact, no rounding.
    public var totalCost: Money { unitCost * Int64(quantity) }
    /// `quantity × unitCharge`: exact, no rounding.
    public var totalCharge: Money { unitCharge * Int64(quantity) }

    private enum CodingKeys: String, CodingKey {
        case kind, label, code, quantity, unitCost, unitCharge, day, complication
    }

    /// `code` and `complication` may be left out of JSON (no code; not a complication).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(ServiceKind.self, forKey: .kind)
        label = try container.decode(String.self, forKey: .label)
        code = try container.decodeIfPresent(String.self, forKey: .code)
        quantity = try container.decode(Int.self, forKey: .quantity)
        unitCost = try container.decode(Money.self, forKey: .unitCost)
        unitCharge = try container.decode(Money.self, forKey: .unitCharge)
        day = try container.decode(Int.self, forKey: .day)
        complication = try container.decodeIfPresent(Bool.self, forKey: .complication) ?? false
    }
}
