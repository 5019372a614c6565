import Core
import Economics
import Foundation
import Testing

/// Dollars and cents as a test writes them: `usd(4_500)`, `usd(607, cents: 50)`.
func usd(_ dollars: Int64, cents: Int64 = 0) -> Money { Money(minorUnits: dollars * 100 + cents) }

/// A calendar date from a literal in a test.
func day(_ text: String) -> CalendarDate {
    guard let date = CalendarDate(iso8601: text) else { preconditionFailure("bad test date \(text)") }
    return date
}

/// A percentage from a literal in a test: `pct("62.5")`.
func pct(_ text: String) -> Percentage {
    do throws(ValidationError) {
        return try Percentage.parse(text, field: "test")
    } catch {
        preconditionFailure("bad test percentage \(text): \(error)")
    }
}

/// The bytes of `Examples/episodes/<name>.json` in the repository.
func exampleEpisodeData(_ name: String = "car-t-episode") throws -> Data {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try Data(contentsOf: root.appendingPathComponent("Examples/episodes/\(name).json"))
}

/// The issues of the validation error `body` throws, or a failure when it throws none.
func issues(_ body: () throws(ValidationError) -> Void) -> [ValidationError.Issue] {
    do throws(ValidationError) {
        try body()
    } catch {
        return error.issues
    }
    Issue.record("expected a ValidationError")
    return []
}

/// The example CAR-T episode, built in code with the same figures as
/// `Examples/episodes/car-t-episode.json` (a test checks they are equal).
///
/// | line | quantity | unit cost | cost | unit charge | charges | day |
/// |---|---|---|---|---|---|---|
/// | Yescarta (Q2041) | 1 | 373,000 | 373,000 | 932,500 | 932,500 | order −30, ship −4 |
/// | apheresis (38225) | 1 | 6,800 | 6,800 | 18,500 | 18,500 | −30 |
/// | bridging | 1 | 7,400 | 7,400 | 19,600 | 19,600 | −25 |
/// | lymphodepletion | 3 | 1,150 | 3,450 | 3,900 | 11,700 | −5 |
/// | infusion (38228) | 1 | 1,600 | 1,600 | 5,200 | 5,200 | 0 |
/// | acute days | 9 | 2,650 | 23,850 | 7,800 | 70,200 | 0 |
/// | ICU days, complication | 3 | 6,400 | 19,200 | 17,900 | 53,700 | 3 |
/// | tocilizumab | 2 | 3,350 | 6,700 | 9,400 | 18,800 | 2 |
/// | ICANS work-up, complication | 1 | 4,200 | 4,200 | 12,600 | 12,600 | 5 |
/// | outpatient visits (99214) | 4 | 620 | 2,480 | 1,750 | 7,000 | 14 |
/// | day 30 follow-up (99214) | 1 | 480 | 480 | 1,350 | 1,350 | 30 |
/// | day 100 follow-up (99214) | 1 | 480 | 480 | 1,350 | 1,350 | 100 |
/// | **total** | | | **449,640** | | **1,152,500** | |
///
/// Services alone: cost 76,640, charges 220,000.
func carTEpisode() -> Episode {
    var episode = TypicalEpisode.carT(productName: "Yescarta", productID: "prd-yescarta", code: "Q2041", acquisitionCost: usd(373_000), productCharge: usd(932_500))
    episode.name = "Yescarta (axicabtagene ciloleucel) for relapsed or refractory large B-cell lymphoma: 12-day stay with grade 3 CRS and ICANS"
    return episode
}

/// A tiny episode for rounding and threshold edges: a product and the given service lines.
func smallEpisode(productCost: Money = usd(100), productCharge: Money = usd(200), services: [ServiceLine] = [], free: Bool = false) -> Episode {
    Episode(
        name: "Small test episode",
        product: ProductAcquisition(name: "Test product", acquisitionCost: productCost, charge: productCharge, suppliedFree: free, orderDay: -10, shipmentDay: -2),
        services: services
    )
}

/// The amount of the payment line labelled `label` (the first one).
func amount(_ payment: Payment, _ label: String) -> Money? {
    payment.lines.first { $0.label == label }?.amount
}
