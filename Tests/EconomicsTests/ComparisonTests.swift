import Core
import Economics
import Foundation
import Testing

/// The models the comparison and sensitivity tests run side by side.
func sideBySideModels() -> [NamedModel] {
    let perDiem = PerDiem(icu: usd(4_500), acute: usd(2_100), outpatientVisit: usd(350), otherServices: .notPaid)
    let perDiemRest = PerDiem(icu: usd(4_500), acute: usd(2_100), outpatientVisit: usd(350), otherServices: .percentOfCharges(pct("50")))
    return [
        NamedModel("Per diem", .perDiem(perDiem)),
        NamedModel("Case rate $425k", .caseRate(CaseRateTests.caseRate)),
        NamedModel("Carve-out + per diem", .carveOut(ProductCarveOut(handling: .fee(usd(5_000)), rest: .perDiem(perDiemRest)))),
        NamedModel("Carve-out + case rate", .carveOut(ProductCarveOut(handling: .markup(pct("9.5")), rest: .caseRate(CarveOutTests.restCaseRate)))),
        NamedModel("45% of charges", .feeForService(.percentOfCharges(pct("45")))),
        NamedModel("Case rate + stop-loss", .stopLoss(StopLoss(base: .caseRate(CaseRateTests.caseRate), basis: .charges, threshold: usd(1_000_000), rate: pct("50")))),
        NamedModel("Medicare FY2026", .medicareDRG018(.fy2026(clinicalTrialAdjustment: MedicareDRG018.fy2021ClinicalTrialAdjustment))),
    ]
}

@Suite("Comparison")
struct ComparisonTests {
    @Test func runsOneEpisodeThroughEveryModel() throws {
        let comparison = try Comparison(episode: carTEpisode(), models: sideBySideModels())
        // The totals each model's own test computes by hand.
        #expect(comparison.rows.map(\.name) == sideBySideModels().map(\.name))
        #expect(comparison.rows.map(\.payment.payerCost) == [
            usd(34_500), usd(442_580), usd(455_700), usd(488_015), usd(518_625), usd(518_830), usd(314_231),
        ])
        #expect(comparison.rows.allSatisfy { $0.payment.centerCost == usd(449_640) })
        // Margins: payer cost − 449,640; the stop-loss leaves the center the most (69,190), the per diem alone costs the payer least.
        #expect(comparison.bestForCenter?.name == "Case rate + stop-loss")
        #expect(comparison.bestForCenter?.payment.centerMargin == usd(69_190))
        #expect(comparison.cheapestForPayer?.name == "Per diem")
        // Each row is the same payment the model gives alone.
        for row in comparison.rows {
            #expect(row.payment == (try row.model.payment(for: carTEpisode())))
        }
    }

    @Test func refusesRepeatedNamesAndInvalidModels() {
        var models = sideBySideModels()
        models[1].name = models[0].name
        models[2] = NamedModel("Bad per diem", .perDiem(PerDiem(icu: usd(-1), acute: usd(1), outpatientVisit: usd(1), otherServices: .notPaid)))
        let found = issues { () throws(ValidationError) in _ = try Comparison(episode: carTEpisode(), models: models) }
        #expect(found.map(\.field) == ["models[1].name", "models[2].perDiem.icu"])
        #expect(issues { () throws(ValidationError) in _ = try Comparison(episode: carTEpisode(), models: []) }.map(\.field) == ["models"])
    }

    @Test func modelsAndPaymentsRoundTripThroughJSON() throws {
        let models = sideBySideModels()
        let decoded = try JSONDecoder().decode([NamedModel].self, from: try JSONEncoder().encode(models))
        #expect(decoded == models)
        let comparison = try Comparison(episode: carTEpisode(), models: models)
        #expect(try JSONDecoder().decode(Comparison.self, from: try JSONEncoder().encode(comparison)) == comparison)
    }
}

@Suite("Model JSON")
struct ModelJSONTests {
    @Test func eachChoiceIsAnObjectWithOneKey() throws {
        let model = ReimbursementModel.carveOut(ProductCarveOut(
            handling: .markup(pct("9.5")),
            rest: .caseRate(CaseRate(amount: usd(62_000), includes: [.icuDay, .acuteDay], outside: .percentOfCharges(pct("60"))))
        ))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(model), as: UTF8.self)
        #expect(text == #"{"carveOut":{"handling":{"markup":"9.5"},"rest":{"caseRate":{"amount":{"currency":"USD","minorUnits":6200000},"includes":["icu-day","acute-day"],"includesComplications":true,"outside":{"percentOfCharges":"60"}}}}}"#)

        // Written by hand, with the optional fields left out.
        let written = #"{"medicareDRG018":{"fiscalYear":2026,"basePayment":{"minorUnits":31423100,"currency":"USD"},"clinicalTrialAdjustment":"17","outlier":{"fixedLossThreshold":{"minorUnits":4000000,"currency":"USD"},"costToChargeRatio":"35"}}}"#
        let decoded = try JSONDecoder().decode(ReimbursementModel.self, from: Data(written.utf8))
        #expect(decoded == .medicareDRG018(.fy2026(
            clinicalTrialAdjustment: pct("17"), outlier: MedicareOutlier(fixedLossThreshold: usd(40_000), costToChargeRatio: pct("35"))
        )))
        #expect(try JSONDecoder().decode(SecondaryRule.self, from: Data(#"{"notPaid":true}"#.utf8)) == .notPaid)
        // Two choices at once, or none, is refused.
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SecondaryRule.self, from: Data(#"{"notPaid":true,"percentOfCharges":"5"}"#.utf8))
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ReimbursementModel.self, from: Data("{}".utf8)) }
    }
}
