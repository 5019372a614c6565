import Core
import Economics
import Foundation
import Testing

@Suite("Episode cost profile")
struct EpisodeTests {
    @Test func totalsAreExactSumsOfTheLines() throws {
        let episode = try carTEpisode().validated()
        // Cost: 373,000 + 6,800 + 7,400 + 3 × 1,150 + 1,600 + 9 × 2,650 + 3 × 6,400 + 2 × 3,350 + 4,200 + 4 × 620 + 480 + 480 = 449,640.
        #expect(episode.totalCost == usd(449_640))
        // Charges: 932,500 + 18,500 + 19,600 + 3 × 3,900 + 5,200 + 9 × 7,800 + 3 × 17,900 + 2 × 9,400 + 12,600 + 4 × 1,750 + 1,350 + 1,350 = 1,152,500.
        #expect(episode.totalCharges == usd(1_152_500))
        #expect(episode.icuDays == 3 && episode.acuteDays == 9 && episode.inpatientDays == 12)
        // Admitted on day 0 (the earliest inpatient line), 12 inpatient days: discharged on day 12.
        #expect(episode.dischargeDay == 12)
        #expect(episode.hasComplications)
    }

    @Test func theExampleFileIsTheEpisodeTheTestsPrice() throws {
        let parsed = try Episode.parse(json: try exampleEpisodeData())
        #expect(parsed == carTEpisode())
        // And it survives a round trip through JSON unchanged.
        let again = try Episode.parse(json: try JSONEncoder().encode(parsed))
        #expect(again == parsed)
    }

    @Test func anOutpatientEpisodeIsDischargedOnTheDayOfInfusion() throws {
        let episode = smallEpisode(services: [
            ServiceLine(kind: .outpatientVisit, label: "Visits", quantity: 5, unitCost: usd(500), unitCharge: usd(900), day: 1)
        ])
        #expect(try episode.validated().dischargeDay == 0)
    }

    @Test func refusesNegativeCountsNamingTheField() {
        var episode = carTEpisode()
        episode.services[5].quantity = -2  // the ICU line
        let found = issues { () throws(ValidationError) in _ = try episode.validated() }
        #expect(found.count == 1)
        #expect(found.first?.field == "episode.services[5].quantity")
        #expect(found.first?.problem == "must not be negative, got -2 ICU days")
    }

    @Test func collectsEveryProblemAtOnce() {
        var episode = carTEpisode()
        episode.name = " "
        episode.product.orderDay = -2  // after shipment on day −4
        episode.product.suppliedFree = true  // yet it has an invoice
        episode.services[0].unitCost = usd(-1)
        episode.services[1].label = ""
        episode.services[2].day = 4_000
        episode.services[3].unitCharge = Money(minorUnits: 100, currency: Currency(rawValue: "EUR"))
        episode.services[4].quantity = 10_001
        episode.services[7].complication = false  // complication care not flagged
        episode.services[8].code = "99 214"
        episode.services.append(ServiceLine(kind: .product, label: "Second product", quantity: 1, unitCost: usd(1), unitCharge: usd(1), day: 0))
        let found = issues { () throws(ValidationError) in _ = try episode.validated() }
        let fields = Set(found.map(\.field))
        #expect(fields == [
            "episode.name", "episode.product.orderDay", "episode.product.acquisitionCost", "episode.services[0].unitCost",
            "episode.services[1].label", "episode.services[2].day", "episode.services[3].unitCharge", "episode.services[4].quantity",
            "episode.services[7].complication", "episode.services[8].code", "episode.services[11].kind",
        ])
        #expect(found.first { $0.field == "episode.services[3].unitCharge" }?.problem.contains("must be in USD") == true)
        #expect(found.first { $0.field == "episode.product.acquisitionCost" }?.problem.contains("supplied free") == true)
    }

    @Test func refusesAShipmentAfterInfusionAndAmountsOverABillion() {
        var episode = carTEpisode()
        episode.product.shipmentDay = 1
        episode.product.orderDay = -30
        episode.product.charge = Money(minorUnits: 100_000_000_001)
        let found = issues { () throws(ValidationError) in _ = try episode.validated() }
        #expect(Set(found.map(\.field)) == ["episode.product.shipmentDay", "episode.product.charge"])
    }

    @Test func refusesTotalsOverABillion() {
        // Each line is in range (10,000 days × $100,000), but together they exceed $1,000,000,000.00.
        var episode = carTEpisode()
        episode.services[4].quantity = 10_000
        episode.services[4].unitCost = usd(100_000)
        episode.services[4].unitCharge = usd(100_000)
        let found = issues { () throws(ValidationError) in _ = try episode.validated() }
        #expect(found.map(\.field) == ["episode.services", "episode.services"])
        #expect(found.map(\.problem) == ["total cost must be at most $1,000,000,000.00", "total charges must be at most $1,000,000,000.00"])
    }

    @Test func malformedJSONIsRefusedWithItsPath() {
        let wrongType = #"{"name":"x","product":{"name":"p","acquisitionCost":{"minorUnits":1,"currency":"USD"},"charge":{"minorUnits":1,"currency":"USD"},"orderDay":-3,"shipmentDay":-1},"services":[{"kind":"icu-day","label":"ICU","quantity":"three","unitCost":{"minorUnits":1,"currency":"USD"},"unitCharge":{"minorUnits":1,"currency":"USD"},"day":0}]}"#
        var found = issues { () throws(ValidationError) in _ = try Episode.parse(json: Data(wrongType.utf8)) }
        #expect(found.map(\.field) == ["episode.services[0].quantity"])
        #expect(found.first?.problem == "must be a whole number")

        let missing = #"{"name":"x","product":{"name":"p","acquisitionCost":{"minorUnits":1,"currency":"USD"},"charge":{"minorUnits":1,"currency":"USD"},"orderDay":-3},"services":[]}"#
        found = issues { () throws(ValidationError) in _ = try Episode.parse(json: Data(missing.utf8)) }
        #expect(found.map(\.field) == ["episode.product.shipmentDay"])
        #expect(found.first?.problem == "is required")

        let unknownKind = #"{"name":"x","product":{"name":"p","acquisitionCost":{"minorUnits":1,"currency":"USD"},"charge":{"minorUnits":1,"currency":"USD"},"orderDay":-3,"shipmentDay":-1},"services":[{"kind":"spa-day","label":"S","quantity":1,"unitCost":{"minorUnits":1,"currency":"USD"},"unitCharge":{"minorUnits":1,"currency":"USD"},"day":0}]}"#
        found = issues { () throws(ValidationError) in _ = try Episode.parse(json: Data(unknownKind.utf8)) }
        #expect(found.map(\.field) == ["episode.services[0].kind"])

        found = issues { () throws(ValidationError) in _ = try Episode.parse(json: Data("{".utf8)) }
        #expect(found.map(\.field) == ["episode"])
    }

    @Test func variantsChangeTheStayAndDropComplications() throws {
        let episode = carTEpisode()
        // ICU days live only on a complication line, so the change goes to it: 3 + 2 = 5.
        let longer = try episode.adjusted(icuDayChange: 2, acuteDayChange: -3)
        #expect(longer.icuDays == 5 && longer.acuteDays == 6)
        // 449,640 + 2 × 6,400 − 3 × 2,650 = 454,490.
        #expect(longer.totalCost == usd(454_490))
        // Without complications the ICU line and the ICANS work-up go: 449,640 − 19,200 − 4,200 = 426,240.
        let calm = try episode.adjusted(complications: false)
        #expect(calm.totalCost == usd(426_240) && calm.icuDays == 0 && !calm.hasComplications)
        // A stay never goes below zero days.
        #expect(try episode.adjusted(acuteDayChange: -20).acuteDays == 0)
        // A day of a kind the episode has no line for has no price: refused.
        let found = issues { () throws(ValidationError) in _ = try calm.adjusted(icuDayChange: 1) }
        #expect(found.map(\.field) == ["icuDayChange"])
    }
}
