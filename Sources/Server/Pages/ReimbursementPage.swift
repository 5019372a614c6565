import CareNetwork
import Core
import Economics

/// One episode under every reimbursement model: what the payer pays, what the episode costs
/// the center and the margin, line by line; then how payer cost and margin move with the
/// length of stay and complications.
struct ReimbursementPage {
    struct ModelRow { var name, payerCost, centerCost, margin: String; var negative, best, cheapest: Bool; var lines: [String] }
    struct GridRow { var variant: String; var cells: [GridCell] }
    struct GridCell { var payerCost, margin: String; var negative: Bool }

    var session = PageSession.current
    var episode, totalCost, totalCharges, stay: String
    var products: [Option]
    var rows: [ModelRow]
    var models: [String]
    var grid: [GridRow]

    init(comparison: Comparison, sensitivity: Sensitivity, directory: Directory, product: ProductID) {
        let episode = comparison.episode
        self.episode = episode.name
        totalCost = episode.totalCost.description
        totalCharges = episode.totalCharges.description
        stay = "\(episode.icuDays) ICU and \(episode.acuteDays) acute days\(episode.hasComplications ? ", with complications" : "")"
        products = directory.products.filter { $0.modality == .carT }.map { Option(value: $0.id.rawValue, label: $0.name, selected: $0.id == product) }
        let best = comparison.bestForCenter?.name, cheapest = comparison.cheapestForPayer?.name
        rows = comparison.rows.map { row in
            ModelRow(name: row.name, payerCost: row.payment.payerCost.description, centerCost: row.payment.centerCost.description,
                     margin: row.payment.centerMargin.description, negative: row.payment.centerMargin.minorUnits < 0,
                     best: row.name == best, cheapest: row.name == cheapest,
                     lines: row.payment.lines.map { "\($0.label): \($0.amount) — \($0.rule)" })
        }
        models = sensitivity.models
        grid = sensitivity.rows.map { row in
            let variant = row.variant
            let change = variant.icuDayChange == 0 ? "typical stay" : "\(variant.icuDayChange > 0 ? "+" : "")\(variant.icuDayChange) ICU days"
            return GridRow(variant: "\(change), \(variant.complications ? "with" : "without") complications (\(variant.icuDays) ICU, \(variant.acuteDays) acute; cost \(variant.centerCost))",
                           cells: row.cells.map { GridCell(payerCost: $0.payerCost.description, margin: $0.centerMargin.description, negative: $0.centerMargin.minorUnits < 0) })
        }
    }
}
