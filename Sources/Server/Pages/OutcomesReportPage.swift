import CareNetwork
import Core
import Journey
import Outcomes
import Registry
import Storage

/// Outcomes by center and product, as aggregates only: patients infused per year and 1-year
/// overall survival with its Kaplan–Meier curve. Every count passes ``SmallCells``: below 11
/// it shows as "<11" and whatever is derived from it is withheld — so a manufacturer, or
/// anyone, can read the figures without any patient being identifiable.
struct OutcomesReportPage {
    struct YearRow { var year: String; var infused: String }

    var session = PageSession.current
    var centers, products: [Option]
    var patients: String
    var suppressed: Bool
    var oneYear: String
    var chart: String?
    var years: [YearRow]

    static func load(_ store: Store, center: CenterID?, product: ProductID?, today: CalendarDate) async throws -> OutcomesReportPage {
        let directory = try await store.reference.directory()
        let infused = try await store.cases.summaries(JourneyFilter(centerID: center, productID: product)).filter { $0.status == .infused && $0.closedOn != nil }
        var subjects: [KaplanMeier.Subject] = []
        var perYear: [Int: Int] = [:]
        for summary in infused {
            guard let infusion = summary.closedOn, let patient = try await store.cases.find(summary.caseID)?.patientID else { continue }
            perYear[infusion.year, default: 0] += 1
            let events = try await store.outcomes.events(of: patient)
            let corrected = Set(events.compactMap(\.corrects))
            let valid = events.filter { !corrected.contains($0.id) && $0.kind.code != .enteredInError && $0.date >= infusion }
            if let death = valid.filter({ $0.kind.code == .death }).map(\.date).min() {
                subjects.append(.init(days: infusion.days(until: death), died: true))
            } else {
                // Alive as of the last thing known about them; today while follow-up continues.
                let lost = valid.filter { $0.kind.code == .lostToFollowUp }.map(\.date).min()
                subjects.append(.init(days: infusion.days(until: lost ?? today), died: false))
            }
        }
        return OutcomesReportPage(directory: directory, center: center, product: product, subjects: subjects, perYear: perYear)
    }

    init(directory: Directory, center: CenterID?, product: ProductID?, subjects: [KaplanMeier.Subject], perYear: [Int: Int]) {
        centers = [Option(value: "", label: "All centers", selected: center == nil)] + directory.centers.map { Option(value: $0.id.rawValue, label: $0.name, selected: $0.id == center) }
        products = [Option(value: "", label: "All products", selected: product == nil)] + directory.products.map { Option(value: $0.id.rawValue, label: $0.name, selected: $0.id == product) }
        let shown = SmallCells.show(subjects.count)
        patients = shown.description
        suppressed = shown == .suppressed
        if suppressed {
            oneYear = "withheld (fewer than \(SmallCells.threshold) patients)"
            chart = nil
        } else {
            let curve = KaplanMeier(subjects)
            oneYear = curve.survival(atDay: 365).map { "\(Format.percent($0.estimate)) (95% CI \(Format.percent($0.lower))–\(Format.percent($0.upper)))" } ?? "—"
            chart = SurvivalChart(curve: curve).render()
        }
        years = perYear.sorted { $0.key < $1.key }.map { YearRow(year: String($0.key), infused: SmallCells.show($0.value).description) }
    }
}
