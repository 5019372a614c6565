import Core

/// A case rate: one fixed amount for a global episode that includes the services it lists;
/// anything outside the episode is paid by a secondary rule.
///
/// The commonest single-case agreement term for CAR-T. What it includes is what it is worth:
/// a $450,000 case rate that includes the product and the ICU is a different deal from one
/// that excludes both, so the included kinds (and whether complication care is inside) are
/// data, and the payment names them.
public struct CaseRate: Hashable, Sendable, Codable {
    /// The global amount for the included services.
    public var amount: Money
    /// The kinds of service the case rate includes.
    public var includes: [ServiceKind]
    /// Whether lines flagged as complications are inside the case rate when their kind is.
    /// Agreements often exclude grade ≥3 CRS and ICANS care from the global episode.
    public var includesComplications: Bool
    /// How services outside the case rate are paid.
    public var outside: SecondaryRule

    public init(amount: Money, includes: [ServiceKind], includesComplications: Bool = true, outside: SecondaryRule) {
        self.amount = amount
        self.includes = includes
        self.includesComplications = includesComplications
        self.outside = outside
    }

    private enum CodingKeys: String, CodingKey {
        case amount, includes, includesComplications, outside
    }

    /// `includesComplications` may be left out of JSON (true).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        amount = try container.decode(Money.self, forKey: .amount)
        includes = try container.decode([ServiceKind].self, forKey: .includes)
        includesComplications = try container.decodeIfPresent(Bool.self, forKey: .includesComplications) ?? true
        outside = try container.decode(SecondaryRule.self, forKey: .outside)
    }

    /// Every kind of service, product included: a fully global episode.
    public static let everything = ServiceKind.allCases

    func covers(_ line: BillableLine) -> Bool {
        includes.contains(line.kind) && (includesComplications || !line.complication)
    }

    func lines(for episode: BillableEpisode) -> [PaymentLine] {
        let included = includes.map(\.label).joined(separator: ", ")
        let complications = includesComplications ? "" : "; complications excluded"
        var lines = [PaymentLine(label: "Case rate", rule: "global episode \(amount), includes \(included)\(complications)", amount: amount)]
        for line in episode.lines where !covers(line) {
            lines.append(outside.line(for: line, reason: "outside the case rate"))
        }
        return lines
    }

    func check(field: String, currency: Currency, into issues: inout [ValidationError.Issue]) {
        AmountCheck.check(amount, field: "\(field).amount", currency: currency, into: &issues)
        if includes.isEmpty {
            issues.append(.init(field: "\(field).includes", problem: "must list at least one kind of service"))
        }
        if Set(includes).count != includes.count {
            issues.append(.init(field: "\(field).includes", problem: "must not list a kind twice"))
        }
        outside.check(field: "\(field).outside", into: &issues)
    }
}
