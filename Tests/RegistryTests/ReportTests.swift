import Core
import Registry
import Testing

@Suite("Registry reports")
struct ReportTests {
    @Test func kaplanMeierMatchesTheHandComputedTextbookExample() throws {
        // Deaths at days 6, 6, 10; censored at 7 and 12; six subjects.
        // S(6) = 1 − 2/6 = 0.6667; S(10) = 0.6667 × (1 − 1/3) = 0.4444 (at risk at 10: 3).
        let curve = KaplanMeier([
            .init(days: 6, died: true), .init(days: 6, died: true), .init(days: 7, died: false),
            .init(days: 10, died: true), .init(days: 12, died: false), .init(days: 15, died: false),
        ])
        let at6 = try #require(curve.survival(atDay: 6)), at10 = try #require(curve.survival(atDay: 10))
        #expect(abs(at6.estimate - 2.0 / 3.0) < 1e-9)
        #expect(abs(at10.estimate - 4.0 / 9.0) < 1e-9)
        #expect(curve.survival(atDay: 5)?.estimate == 1)
        #expect(at10.lower < at10.estimate && at10.estimate < at10.upper)
        #expect(at10.lower >= 0 && at10.upper <= 1)
        #expect(curve.steps.first { $0.day == 10 }?.atRisk == 3)
        #expect(KaplanMeier([]).survival(atDay: 365) == nil)
    }

    @Test(arguments: [(0, "<11"), (10, "<11"), (11, "11"), (250, "250")])
    func countsBelowElevenNeverLeave(count: Int, shown: String) {
        #expect(SmallCells.show(count).description == shown)
    }

    @Test func aRateIsSuppressedWhenEitherCountIs() {
        #expect(SmallCells.rate(3, of: 40) == nil)
        #expect(SmallCells.rate(12, of: 10) == nil)
        #expect(SmallCells.rate(12, of: 48) == 0.25)
    }
}
