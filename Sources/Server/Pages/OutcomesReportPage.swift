import CareNetwork
import Core
import Journey
import Outcomes
import Registry
import Storage

/// Outcomes by center and product, as aggregates only: patients infused per year, 1-year
/// overall survival with its Kaplan–Meier curve, grade ≥3 CRS and ICANS, and non-relapse
/// mortality. Every count passes ``SmallCells``: below 11 it shows as "<11" and whatever is
/// derived from it is withheld — so a manufacturer, or anyone, can read the figures without
/// any patient being identifiable.
struct OutcomesReportPage {
    struct YearRow { var year: String; var infused: String }
    struct RateRow { var id: String; var label: String; var count: String; var rate: String }

    var session = PageSession.current
    var centers, products: [Option]
    var patients: String
    var suppressed: Bool
    var oneYear: String
    var chart: String?
    var years: [YearRow]
    var rates: [RateRow]

    static func load(_ store: Store, center: CenterID?, product: ProductID?, today: CalendarDate) async throws -> OutcomesReportPage {
        let directory = try await store.reference.directory()
        let patients = try await InfusedPatient.load(store, JourneyFilter(centerID: center, productID: product))
            .map { CohortOutcomes.Patient(infusedOn: $0.infusedOn, events: $0.events) }
        return OutcomesReportPage(directory: directory, center: center, product: product, cohort: CohortOutcomes(patients, asOf: today))
    }

    init(directory: Directory, center: CenterID?, product: ProductID?, cohort: CohortOutcomes) {
        centers = [Option(value: "", label: "All centers", selected: center == nil)] + directory.centers.map { Option(value: $0.id.rawValue, label: $0.name, selected: $0.id == center) }
        products = [Option(value: "", label: "All products", selected: product == nil)] + directory.products.map { Option(value: $0.id.rawValue, label: $0.name, selected: $0.id == product) }
        let shown = SmallCells.show(cohort.infused)
        patients = shown.description
        suppressed = shown == .suppressed
        if suppressed {
            oneYear = "withheld (fewer than \(SmallCells.threshold) patients)"
            chart = nil
        } else {
            let curve = KaplanMeier(cohort.survival)
            oneYear = curve.survival(atDay: 365).map { "\(Format.percent($0.estimate)) (95% CI \(Format.percent($0.lower))–\(Format.percent($0.upper)))" } ?? "—"
            chart = SurvivalChart(curve: curve).render()
        }
        // The years add up to the patients shown above: one small year withheld alone would be
        // that total less the others, so complementary suppression withholds more.
        let perYear = Dictionary(uniqueKeysWithValues: cohort.infusedPerYear.map { (String($0.key), $0.value) })
        let withheld = SmallCells.withheld(perYear.merging(["total": cohort.infused]) { first, _ in first },
                                           sums: [.init(total: "total", parts: perYear.keys.sorted())])
        years = perYear.sorted { $0.key < $1.key }.map { year, count in
            YearRow(year: year, infused: withheld.contains(year) ? SmallCells.Shown.suppressed.description : String(count))
        }
        func row(_ id: String, _ label: String, _ count: Int) -> RateRow {
            let rate = SmallCells.rate(count, of: cohort.infused).map(Format.percent) ?? "withheld (a count below \(SmallCells.threshold))"
            return RateRow(id: id, label: label, count: SmallCells.show(count).description, rate: rate)
        }
        rates = [
            row("severe-crs", "Cytokine release syndrome, grade 3 or more", cohort.severeCRS),
            row("severe-icans", "ICANS (neurotoxicity), grade 3 or more", cohort.severeICANS),
            row("nrm-1y", "Non-relapse mortality within 1 year", cohort.nonRelapseDeathsFirstYear),
            row("nrm", "Non-relapse mortality, all follow-up", cohort.nonRelapseDeaths),
        ]
    }
}
