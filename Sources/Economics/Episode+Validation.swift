import Core
import Foundation

extension Episode {
    /// The most service lines an episode may have; a real CAR-T episode has a few dozen.
    public static let maximumServiceLines = 500
    /// The most units on one line (days, visits, doses).
    public static let maximumQuantity = 10_000
    /// The earliest day a line may fall on, in days from infusion (two years before).
    public static let earliestDay = -730
    /// The latest day a line may fall on (five years after infusion).
    public static let latestDay = 1_825

    /// The episode, when every field makes sense; otherwise every problem at once, each naming
    /// its field (`episode.services[3].quantity`) and what is wrong.
    ///
    /// Refuses negative counts and amounts, amounts over a billion dollars, mixed currencies,
    /// days outside two years before to five years after infusion, a product ordered after it
    /// ships or shipped after infusion, a free product with an invoice, the product repeated as
    /// a service line, and complication care not flagged as a complication.
    public func validated(field prefix: String = "episode") throws(ValidationError) -> Episode {
        var issues: [ValidationError.Issue] = []
        Episode.checkText(name, field: "\(prefix).name", maximum: 200, into: &issues)
        let currency = self.currency
        let item = "\(prefix).product"
        Episode.checkText(product.name, field: "\(item).name", maximum: 200, into: &issues)
        if let code = product.code { Episode.checkCode(code, field: "\(item).code", into: &issues) }
        AmountCheck.check(product.acquisitionCost, field: "\(item).acquisitionCost", currency: currency, into: &issues)
        AmountCheck.check(product.charge, field: "\(item).charge", currency: currency, into: &issues)
        if product.suppliedFree, product.acquisitionCost.minorUnits != 0 {
            issues.append(.init(field: "\(item).acquisitionCost", problem: "must be zero when the product is supplied free, got \(product.acquisitionCost)"))
        }
        Episode.checkDay(product.orderDay, field: "\(item).orderDay", into: &issues)
        Episode.checkDay(product.shipmentDay, field: "\(item).shipmentDay", into: &issues)
        if product.shipmentDay > 0 {
            issues.append(.init(field: "\(item).shipmentDay", problem: "must be on or before the infusion (day 0), got day \(product.shipmentDay)"))
        }
        if product.orderDay > product.shipmentDay {
            issues.append(.init(field: "\(item).orderDay", problem: "must be on or before the shipment day \(product.shipmentDay), got day \(product.orderDay)"))
        }
        if services.count > Episode.maximumServiceLines {
            issues.append(.init(field: "\(prefix).services", problem: "must have at most \(Episode.maximumServiceLines) lines, got \(services.count)"))
        }
        for (index, line) in services.enumerated() {
            let field = "\(prefix).services[\(index)]"
            if line.kind == .product {
                issues.append(.init(field: "\(field).kind", problem: "must not be product: the product is given once, in \(prefix).product"))
            }
            if line.kind == .complicationCare, !line.complication {
                issues.append(.init(field: "\(field).complication", problem: "must be true for complication care"))
            }
            Episode.checkText(line.label, field: "\(field).label", maximum: 200, into: &issues)
            if let code = line.code { Episode.checkCode(code, field: "\(field).code", into: &issues) }
            if line.quantity < 0 {
                issues.append(.init(field: "\(field).quantity", problem: "must not be negative, got \(line.quantity) \(line.kind.label)"))
            } else if line.quantity > Episode.maximumQuantity {
                issues.append(.init(field: "\(field).quantity", problem: "must be at most \(Episode.maximumQuantity), got \(line.quantity)"))
            }
            AmountCheck.check(line.unitCost, field: "\(field).unitCost", currency: currency, into: &issues)
            AmountCheck.check(line.unitCharge, field: "\(field).unitCharge", currency: currency, into: &issues)
            Episode.checkDay(line.day, field: "\(field).day", into: &issues)
        }
        // When every line is in range the totals must be too, so that sums over many cases and
        // every model's arithmetic stay far inside 64-bit cents.
        for (name, total) in issues.isEmpty ? totals : [] where total > Int128(AmountCheck.maximumMinorUnits) {
            issues.append(.init(field: "\(prefix).services", problem: "total \(name) must be at most $1,000,000,000.00"))
        }
        try AmountCheck.finish(issues)
        return self
    }

    private var totals: [(String, Int128)] {
        [("cost", wideTotal(\.unitCost, product.acquisitionCost)), ("charges", wideTotal(\.unitCharge, product.charge))]
    }

    /// A total in 128 bits, which cannot overflow whatever the lines hold.
    private func wideTotal(_ unit: KeyPath<ServiceLine, Money>, _ product: Money) -> Int128 {
        services.reduce(Int128(product.minorUnits)) { $0 + Int128($1[keyPath: unit].minorUnits) * Int128($1.quantity) }
    }

    /// Decodes an episode from JSON (the shape of `Examples/episodes/car-t-episode.json`) and
    /// validates it. A malformed document is refused naming the JSON path that is wrong.
    public static func parse(json data: Data) throws(ValidationError) -> Episode {
        let decoded: Episode
        do {
            decoded = try JSONDecoder().decode(Episode.self, from: data)
        } catch let error as DecodingError {
            throw ValidationError(decoding: error, root: "episode")
        } catch {
            throw ValidationError(field: "episode", problem: "is not a JSON episode: \(error)")
        }
        return try decoded.validated()
    }

    private static func checkText(_ text: String, field: String, maximum: Int, into issues: inout [ValidationError.Issue]) {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            issues.append(.init(field: field, problem: "must not be empty"))
        } else if text.count > maximum {
            issues.append(.init(field: field, problem: "must be at most \(maximum) characters, got \(text.count)"))
        }
    }

    private static func checkCode(_ code: String, field: String, into issues: inout [ValidationError.Issue]) {
        let printable = code.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
        if code.isEmpty || code.count > 32 || !printable {
            issues.append(.init(field: field, problem: "must be 1 to 32 printable characters without spaces, got \"\(code.prefix(40))\""))
        }
    }

    private static func checkDay(_ day: Int, field: String, into issues: inout [ValidationError.Issue]) {
        if day < earliestDay || day > latestDay {
            issues.append(.init(field: field, problem: "must be from \(earliestDay) to \(latestDay) days from infusion, got \(day)"))
        }
    }
}

extension ValidationError {
    /// A decoding failure as a field path (`episode.services[2].quantity`) and a problem.
    init(decoding error: DecodingError, root: String) {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce(root) { text, key in
                if let index = key.intValue { return "\(text)[\(index)]" }
                return "\(text).\(key.stringValue)"
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(field: path(context.codingPath + [key]), problem: "is required")
        case .typeMismatch(let type, let context):
            self.init(field: path(context.codingPath), problem: "must be \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self.init(field: path(context.codingPath), problem: "must be \(Self.describe(type)), got null")
        case .dataCorrupted(let context):
            let field = context.codingPath.isEmpty ? root : path(context.codingPath)
            self.init(field: field, problem: context.codingPath.isEmpty ? "is not valid JSON" : context.debugDescription)
        @unknown default:
            self.init(field: root, problem: "could not be read")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type: "a whole number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "a value of the right shape"
        }
    }
}
