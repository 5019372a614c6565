import Core
import Economics
import Testing

@Suite("Sensitivity to length of stay and complications")
struct SensitivityTests {
    @Test func theGridHasEveryVariantForEveryModel() throws {
        let grid = try Sensitivity(episode: carTEpisode(), models: sideBySideModels(), lengthOfStayRange: 2)
        // ICU −2…+2 × acute −2…+2 × complications off/on = 5 × 5 × 2 = 50 variants, 7 models each.
        #expect(grid.rows.count == 50)
        #expect(grid.rows.allSatisfy { $0.cells.map(\.model) == grid.models })
        #expect(grid.models.count == 7)

        // The unchanged episode with complications reproduces the comparison.
        let base = try #require(grid.cell(icuDayChange: 0, acuteDayChange: 0, complications: true, model: "Per diem"))
        #expect(base.payerCost == usd(34_500) && base.centerCost == usd(449_640))

        // Two more ICU days: cost 449,640 + 2 × 6,400 = 462,440; per diem 34,500 + 2 × 4,500 = 43,500.
        let longer = try #require(grid.cell(icuDayChange: 2, acuteDayChange: 0, complications: true, model: "Per diem"))
        #expect(longer.centerCost == usd(462_440) && longer.payerCost == usd(43_500))
        #expect(longer.centerMargin == usd(43_500 - 462_440))
        // The case rate does not move with ICU days: the center bears them (margin −7,060 − 12,800 = −19,860).
        let caseRate = try #require(grid.cell(icuDayChange: 2, acuteDayChange: 0, complications: true, model: "Case rate $425k"))
        #expect(caseRate.payerCost == usd(442_580) && caseRate.centerMargin == usd(-19_860))

        // No complications: no ICU line, no ICANS work-up. Cost 449,640 − 19,200 − 4,200 = 426,240;
        // per diem 34,500 − 13,500 = 21,000. Two fewer acute days: cost − 5,300, per diem − 4,200.
        let calm = try #require(grid.cell(icuDayChange: 0, acuteDayChange: -2, complications: false, model: "Per diem"))
        #expect(calm.centerCost == usd(420_940) && calm.payerCost == usd(16_800))
        let calmRow = try #require(grid.rows.first { $0.variant.complications == false && $0.variant.icuDayChange == 0 && $0.variant.acuteDayChange == -2 })
        #expect(calmRow.variant.icuDays == 0 && calmRow.variant.acuteDays == 7)
    }

    @Test func moreICUDaysNeverLowerTheCentersCost() throws {
        // An episode whose ICU days are not all complications, so the change is visible with complications off too.
        var episode = carTEpisode()
        episode.services.append(ServiceLine(kind: .icuDay, label: "Planned ICU day", quantity: 1, unitCost: usd(6_400), unitCharge: usd(17_900), day: 1))
        let grid = try Sensitivity(
            episode: episode, models: sideBySideModels(), icuDayChanges: [-3, -1, 0, 1, 4], acuteDayChanges: [-1, 0, 2], complications: [false, true]
        )
        #expect(grid.rows.count == 30)
        for complications in [false, true] {
            for acute in [-1, 0, 2] {
                let column = grid.rows.filter { $0.variant.complications == complications && $0.variant.acuteDayChange == acute }
                #expect(column.map(\.variant.icuDayChange) == [-3, -1, 0, 1, 4])
                for (shorter, longer) in zip(column, column.dropFirst()) {
                    #expect(shorter.variant.centerCost <= longer.variant.centerCost)
                    #expect(shorter.variant.icuDays <= longer.variant.icuDays)
                    for (a, b) in zip(shorter.cells, longer.cells) {
                        #expect(a.centerCost <= b.centerCost, "\(a.model)")
                        // No model here pays less for a longer ICU stay.
                        #expect(a.payerCost <= b.payerCost, "\(a.model)")
                    }
                }
                // Strictly: from 0 to +1 ICU day the cost rises by one ICU day, $6,400, and so does the per diem's payment by $4,500.
                let zero = try #require(column.first { $0.variant.icuDayChange == 0 })
                let one = try #require(column.first { $0.variant.icuDayChange == 1 })
                #expect(one.variant.centerCost - zero.variant.centerCost == usd(6_400))
                #expect(one.cells[0].payerCost - zero.cells[0].payerCost == usd(4_500))
            }
        }
        // Complications always cost the center more than none, all else equal.
        for row in grid.rows where row.variant.complications {
            let twin = try #require(grid.rows.first {
                !$0.variant.complications && $0.variant.icuDayChange == row.variant.icuDayChange && $0.variant.acuteDayChange == row.variant.acuteDayChange
            })
            #expect(twin.variant.centerCost < row.variant.centerCost)
        }
    }

    @Test func refusesBadAxesNamingThem() {
        let models = sideBySideModels()
        var found = issues { () throws(ValidationError) in
            _ = try Sensitivity(episode: carTEpisode(), models: models, icuDayChanges: [1, 1], acuteDayChanges: [], complications: [])
        }
        #expect(found.map(\.field) == ["sensitivity.icuDayChanges", "sensitivity.acuteDayChanges", "sensitivity.complications"])
        found = issues { () throws(ValidationError) in _ = try Sensitivity(episode: carTEpisode(), models: models, lengthOfStayRange: 31) }
        #expect(found.map(\.field) == ["sensitivity.lengthOfStayRange"])
        // An outpatient episode has no ICU line to lengthen.
        let outpatient = smallEpisode()
        found = issues { () throws(ValidationError) in
            _ = try Sensitivity(episode: outpatient, models: models, icuDayChanges: [0, 1], acuteDayChanges: [0])
        }
        #expect(found.map(\.field) == ["sensitivity.icuDayChanges"])
        // The symmetric grid holds missing levels of care at zero instead.
        #expect((try? Sensitivity(episode: outpatient, models: models, lengthOfStayRange: 3))?.rows.count == 2)
    }
}
