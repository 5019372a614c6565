import CareNetwork
import Core
import Journey
import Storage

/// The case list: filters, one row per case, and paging links.
struct CasesPage {
    var session = PageSession.current
    struct Row { var id, center, product, payer, referralDate, status, currentStages: String; var days: Int }

    var statuses: [Option]
    var centers: [Option]
    var payers: [Option]
    var products: [Option]
    var items: [Row]
    var total: Int
    var from: Int
    var to: Int
    var previousPage: String?
    var nextPage: String?
    /// Whether the viewer registers patients and opens cases (a center's coordinator).
    var registersPatients = Viewer.may(.writePatients) && Viewer.may(.writeCases)

    init(page: CaseListPage, query: CaseQuery, directory: Directory, templates: JourneyTemplateCatalog, today: (CenterID) -> CalendarDate, link: (Int) -> String) {
        statuses = CaseStatus.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == query.status) }
        let choices = FilterChoices(directory, query.filter)
        (centers, payers, products) = (choices.centers, choices.payers, choices.products)
        items = page.items.map { s in
            Row(
                id: s.caseID.rawValue, center: directory.center(s.centerID)?.name ?? s.centerID.rawValue,
                product: directory.product(s.productID)?.name ?? s.productID.rawValue,
                payer: directory.payer(s.payerID)?.name ?? s.payerID.rawValue, referralDate: s.referralDate.description,
                status: s.status.rawValue,
                currentStages: CasesPage.position(of: s, directory: directory, templates: templates),
                days: s.referralDate.days(until: s.closedOn ?? today(s.centerID))
            )
        }
        total = page.total
        from = page.items.isEmpty ? 0 : query.offset + 1
        to = query.offset + page.items.count
        previousPage = query.offset > 0 ? link(max(0, query.offset - query.limit)) : nil
        nextPage = query.offset + page.items.count < page.total ? link(query.offset + query.limit) : nil
    }
}

extension CasesPage {
    /// Where a case stands, for the list: the stages in progress, else what it is ready to
    /// start, else how it ended.
    static func position(of summary: CaseSummary, directory: Directory, templates: JourneyTemplateCatalog) -> String {
        switch summary.status {
        case .lost: return summary.lossReason?.rawValue ?? "lost"
        case .infused: return "infused \(summary.closedOn?.description ?? "")"
        case .open:
            let template = directory.product(summary.productID).flatMap { templates.template(for: $0.journeyTemplate) }
            return openPosition(current: summary.currentStages, ready: template.map { summary.readyStages(in: $0) } ?? []) {
                NetworkMetricsLabels.label($0, in: templates)
            }
        }
    }

    /// Where an open case stands, in words, for the list and the case page alike: the stages
    /// in progress, else what it is ready to start, else that it waits on its next stage.
    static func openPosition(current: [StageKey], ready: [StageKey], label: (StageKey) -> String) -> String {
        if !current.isEmpty { return current.map(label).joined(separator: ", ") }
        if !ready.isEmpty { return "waiting to start " + ready.map { label($0).lowercased() }.joined(separator: ", ") }
        return "waiting for its next stage"
    }
}

/// Stage names for pages: the shipped templates' names, then those filed templates add.
enum NetworkMetricsLabels {
    static func label(_ key: StageKey, in templates: JourneyTemplateCatalog = .builtIn) -> String {
        templates.stageName(key) ?? key.rawValue
    }
}
