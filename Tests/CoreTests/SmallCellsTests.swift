import Core
import Testing

@Suite("Small-cell rule with complementary suppression")
struct SmallCellsTests {
    typealias Sum = SmallCells.Sum<String>

    @Test("one small cell under a shown total takes the next smallest with it, until the withheld cells sum to 11 or more")
    func oneRow() {
        let counts = ["total": 60, "a": 3, "b": 5, "c": 12, "d": 40]
        let hidden = SmallCells.withheld(counts, sums: [Sum(total: "total", parts: ["a", "b", "c", "d"])])
        // a and b are primary (below 11) but add up to 8: c goes too; 20 - and d and the total stay.
        #expect(hidden == ["a", "b", "c"])
    }

    @Test("a large cell alone under a shown total is not withheld; a withheld total takes a part with it")
    func totals() {
        #expect(SmallCells.withheld(["t": 30, "a": 15, "b": 15], sums: [Sum(total: "t", parts: ["a", "b"])]).isEmpty)
        // A total never shown, over parts that all would be: one part goes, or the total is their sum.
        let hidden = SmallCells.withheld(["t": 30, "a": 14, "b": 16], sums: [Sum(total: "t", parts: ["a", "b"])], alwaysWithheld: ["t"])
        #expect(hidden == ["t", "a"])
    }

    @Test("withholding spreads across a table: a cell withheld for its row forces its column too")
    func twoDimensions() {
        // Rows r1, r2 (with totals R1, R2) and columns c1, c2 (totals C1, C2), grand total G.
        let counts = ["r1c1": 2, "r1c2": 30, "r2c1": 25, "r2c2": 40, "R1": 32, "R2": 65, "C1": 27, "C2": 70, "G": 97]
        let sums = [
            Sum(total: "R1", parts: ["r1c1", "r1c2"]), Sum(total: "R2", parts: ["r2c1", "r2c2"]),
            Sum(total: "C1", parts: ["r1c1", "r2c1"]), Sum(total: "C2", parts: ["r1c2", "r2c2"]),
            Sum(total: "G", parts: ["R1", "R2"]),
        ]
        let hidden = SmallCells.withheld(counts, sums: sums)
        #expect(hidden == ["r1c1", "r1c2", "r2c1", "r2c2"])
        Self.checkInvariants(counts, sums: sums, hidden: hidden)
    }

    @Test("on random tables no shown count is small, and no withheld count can be worked out by subtraction", arguments: 1...200)
    func randomTables(seed: Int) {
        var rng = SeededGenerator(seed: UInt64(seed))
        let rows = Int.random(in: 1...5, using: &rng), columns = Int.random(in: 1...5, using: &rng)
        var counts: [String: Int] = [:]
        for r in 0..<rows { for c in 0..<columns { counts["\(r),\(c)"] = Int.random(in: 0...30, using: &rng) } }
        var sums: [Sum] = []
        for r in 0..<rows {
            counts["R\(r)"] = (0..<columns).reduce(0) { $0 + counts["\(r),\($1)"]! }
            sums.append(Sum(total: "R\(r)", parts: (0..<columns).map { "\(r),\($0)" }))
        }
        for c in 0..<columns {
            counts["C\(c)"] = (0..<rows).reduce(0) { $0 + counts["\($1),\(c)"]! }
            sums.append(Sum(total: "C\(c)", parts: (0..<rows).map { "\($0),\(c)" }))
        }
        let hidden = SmallCells.withheld(counts, sums: sums)
        Self.checkInvariants(counts, sums: sums, hidden: hidden)
    }

    static func checkInvariants(_ counts: [String: Int], sums: [Sum], hidden: Set<String>) {
        for (cell, count) in counts where count < SmallCells.threshold { #expect(hidden.contains(cell), "\(cell) = \(count) shown") }
        for sum in sums {
            let hiddenParts = sum.parts.filter(hidden.contains)
            if hidden.contains(sum.total) {
                #expect(!hiddenParts.isEmpty || sum.parts.isEmpty, "\(sum.total) is the sum of shown parts")
            } else {
                let remainder = hiddenParts.reduce(0) { $0 + counts[$1]! }
                #expect(hiddenParts.isEmpty || (hiddenParts.count >= 2 && remainder >= SmallCells.threshold), "\(sum.total): \(hiddenParts)")
            }
        }
    }
}
