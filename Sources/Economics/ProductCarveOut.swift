import Core

/// A product carve-out: the product paid apart, at its acquisition (invoice) cost plus a
/// handling fee or a percentage markup, and the rest of the episode paid by another model.
///
/// Carving the product out takes the $400,000–$3,000,000 purchase off the table of the
/// negotiation about care: the center is made whole on the invoice and the parties argue only
/// about the days and services around it. The rest may be any model — a case rate, a per
/// diem, fee-for-service, even one with a stop-loss — priced on the episode without the product.
public struct ProductCarveOut: Hashable, Sendable, Codable {
    /// What the payer adds to the invoice.
    public var handling: Handling
    /// How the rest of the episode (everything but the product) is paid.
    public var rest: ReimbursementModel

    public init(handling: Handling, rest: ReimbursementModel) {
        self.handling = handling
        self.rest = rest
    }

    /// The payer's addition to the invoice for acquiring, storing and handling the product.
    public enum Handling: Hashable, Sendable {
        /// A fixed amount per product, paid even when the product is supplied free (the cells
        /// are still received, stored and thawed).
        case fee(Money)
        /// A percentage of the invoice (so nothing on a free product).
        case markup(Percentage)
    }

    func lines(for episode: BillableEpisode) -> [PaymentLine] {
        var lines: [PaymentLine] = []
        if let product = episode.lines.first(where: { $0.kind == .product }) {
            let invoice = product.totalCost
            let free = episode.productSuppliedFree ? " (supplied free)" : ""
            lines.append(PaymentLine(label: product.label, kind: .product, rule: "carved out at invoice cost \(invoice)\(free)", amount: invoice))
            switch handling {
            case .fee(let fee):
                lines.append(PaymentLine(label: "Product handling", kind: .product, rule: "handling fee \(fee)", amount: fee))
            case .markup(let share):
                lines.append(PaymentLine(label: "Product markup", kind: .product, rule: "\(share) of invoice \(invoice)", amount: share.of(invoice)))
            }
        }
        return lines + rest.lines(for: episode.withoutProduct)
    }

    func check(field: String, currency: Currency, into issues: inout [ValidationError.Issue]) {
        switch handling {
        case .fee(let fee): AmountCheck.check(fee, field: "\(field).handling.fee", currency: currency, into: &issues)
        case .markup(let share): share.checked(atMost: Percentage.maximum, field: "\(field).handling.markup", into: &issues)
        }
        if case .carveOut = rest {
            issues.append(.init(field: "\(field).rest", problem: "must not be another carve-out: the product is carved out once"))
        }
        rest.check(field: "\(field).rest", currency: currency, into: &issues)
    }
}
