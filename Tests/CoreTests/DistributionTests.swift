import Testing
@testable import Core

@Suite("Distribution")
struct DistributionTests {
    @Test func quantilesInterpolateBetweenClosestRanks() {
        // Hand-computed type 7: position = q × (n − 1).
        // n = 6: p25 at 1.25 → 15 + 0.25 × 21 = 20.25; median at 2.5 → 37.5;
        // p75 at 3.75 → 39 + 0.75 × 1 = 39.75; p90 at 4.5 → 40.5.
        let distribution = Distribution([40, 7, 39, 15, 41, 36])
        #expect(distribution.count == 6)
        #expect(distribution.p25 == 20.25)
        #expect(distribution.median == 37.5)
        #expect(distribution.p75 == 39.75)
        #expect(distribution.p90 == 40.5)
        #expect(distribution.min == 7)
        #expect(distribution.max == 41)
        #expect(distribution.mean == 178.0 / 6.0)
    }

    @Test func quantilesOfOneToTen() {
        // p25 at 2.25 → 3.25; median at 4.5 → 5.5; p75 at 6.75 → 7.75; p90 at 8.1 → 9.1.
        let distribution = Distribution([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
        #expect(distribution.p25 == 3.25)
        #expect(distribution.median == 5.5)
        #expect(distribution.p75 == 7.75)
        #expect(abs(distribution.p90! - 9.1) < 1e-12)
        #expect(distribution.mean == 5.5)
    }

    @Test func oddCountMedianIsTheMiddleValue() {
        #expect(Distribution([143, 62, 100, 70, 75]).median == 75)
    }

    @Test func singleValueIsEveryQuantile() {
        let distribution = Distribution([42])
        #expect(distribution.p25 == 42)
        #expect(distribution.median == 42)
        #expect(distribution.p90 == 42)
        #expect(distribution.mean == 42)
    }

    @Test func emptyHasACountAndNoStatistics() {
        let distribution = Distribution([])
        #expect(distribution.count == 0)
        #expect(distribution.mean == nil)
        #expect(distribution.median == nil)
        #expect(distribution.min == nil)
        #expect(distribution.max == nil)
    }

    @Test func presortedInputGivesTheSameResult() {
        let values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
        #expect(Distribution(sorted: values.sorted()) == Distribution(values))
    }

    @Test func quantileAtTheEnds() {
        let sorted = [2, 4, 8]
        #expect(Distribution.quantile(sorted, 0) == 2)
        #expect(Distribution.quantile(sorted, 1) == 8)
        #expect(Distribution.quantile(sorted, 0.75) == 6)
    }
}
