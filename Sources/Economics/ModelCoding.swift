import Core

/// The JSON shape of reimbursement models: each choice is an object with exactly one key
/// naming it — `{"caseRate": {...}}`, `{"percentOfCharges": "60"}`, `{"notPaid": true}` —
/// instead of Swift's synthesized `{"caseRate": {"_0": {...}}}`, so an agreement's terms read
/// the way docs/ECONOMICS.md writes them.
enum OneKey {
    /// The single key of a choice object, or a decoding error naming the allowed keys.
    static func key<Key: CodingKey & CaseIterable>(_ container: KeyedDecodingContainer<Key>) throws -> Key {
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            let names = Key.allCases.map(\.stringValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: "must have exactly one of \(names)"))
        }
        return key
    }
}

extension ReimbursementModel: Codable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case caseRate, perDiem, feeForService, carveOut, stopLoss, medicareDRG018
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try OneKey.key(container) {
        case .caseRate: self = .caseRate(try container.decode(CaseRate.self, forKey: .caseRate))
        case .perDiem: self = .perDiem(try container.decode(PerDiem.self, forKey: .perDiem))
        case .feeForService: self = .feeForService(try container.decode(FeeForService.self, forKey: .feeForService))
        case .carveOut: self = .carveOut(try container.decode(ProductCarveOut.self, forKey: .carveOut))
        case .stopLoss: self = .stopLoss(try container.decode(StopLoss.self, forKey: .stopLoss))
        case .medicareDRG018: self = .medicareDRG018(try container.decode(MedicareDRG018.self, forKey: .medicareDRG018))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .caseRate(let model): try container.encode(model, forKey: .caseRate)
        case .perDiem(let model): try container.encode(model, forKey: .perDiem)
        case .feeForService(let model): try container.encode(model, forKey: .feeForService)
        case .carveOut(let model): try container.encode(model, forKey: .carveOut)
        case .stopLoss(let model): try container.encode(model, forKey: .stopLoss)
        case .medicareDRG018(let model): try container.encode(model, forKey: .medicareDRG018)
        }
    }
}

extension SecondaryRule: Codable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case notPaid, percentOfCharges
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try OneKey.key(container) {
        case .notPaid:
            guard try container.decode(Bool.self, forKey: .notPaid) else {
                throw DecodingError.dataCorruptedError(forKey: .notPaid, in: container, debugDescription: "must be true")
            }
            self = .notPaid
        case .percentOfCharges: self = .percentOfCharges(try container.decode(Percentage.self, forKey: .percentOfCharges))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .notPaid: try container.encode(true, forKey: .notPaid)
        case .percentOfCharges(let share): try container.encode(share, forKey: .percentOfCharges)
        }
    }
}

extension FeeForService: Codable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case percentOfCharges, feeSchedule
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try OneKey.key(container) {
        case .percentOfCharges: self = .percentOfCharges(try container.decode(Percentage.self, forKey: .percentOfCharges))
        case .feeSchedule: self = .feeSchedule(try container.decode(FeeSchedule.self, forKey: .feeSchedule))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .percentOfCharges(let share): try container.encode(share, forKey: .percentOfCharges)
        case .feeSchedule(let schedule): try container.encode(schedule, forKey: .feeSchedule)
        }
    }
}

extension ProductCarveOut.Handling: Codable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case fee, markup
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try OneKey.key(container) {
        case .fee: self = .fee(try container.decode(Money.self, forKey: .fee))
        case .markup: self = .markup(try container.decode(Percentage.self, forKey: .markup))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .fee(let fee): try container.encode(fee, forKey: .fee)
        case .markup(let share): try container.encode(share, forKey: .markup)
        }
    }
}
