import Core
import Economics
import Foundation
import Testing

@Suite("Percentages and half-even rounding")
struct PercentageTests {
    @Test func readsAndWritesExactDecimals() throws {
        #expect(pct("62.5").millionths == 625_000)
        #expect(pct("17").millionths == 170_000)
        #expect(pct("23.4567").millionths == 234_567)
        #expect(pct("0.0001").millionths == 1)
        #expect(pct("80%") == Percentage(80))
        #expect(pct("062.50").text == "62.5")
        #expect(pct("1000").description == "1000%")
        #expect(try Percentage(percent: Decimal(string: "62.5")!, field: "x") == pct("62.5"))
        #expect(pct("12.3457").percent == Decimal(string: "12.3457")!)
        // JSON carries the percentage as a string, never a binary floating-point number.
        let encoded = try JSONEncoder().encode(pct("62.5"))
        #expect(String(decoding: encoded, as: UTF8.self) == "\"62.5\"")
        #expect(try JSONDecoder().decode(Percentage.self, from: Data("\"9.5\"".utf8)) == pct("9.5"))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Percentage.self, from: Data("9.5".utf8)) }
    }

    @Test func refusesWhatIsNotAnExactPercentage() {
        for (text, problem) in [
            ("12.34567", "at most four decimals"), ("-5", "must not be negative"), ("abc", "must be a percentage"),
            ("1.", "must be a percentage"), (".5", "must be a percentage"), ("1000.0001", "at most 1000%"), ("99999", "at most 1000%"),
            ("", "must be a percentage"), ("1e3", "must be a percentage"),
        ] {
            let found = issues { () throws(ValidationError) in _ = try Percentage.parse(text, field: "feeForService.percentOfCharges") }
            #expect(found.count == 1 && found[0].field == "feeForService.percentOfCharges" && found[0].problem.contains(problem), "\(text): \(found)")
        }
    }

    @Test func roundsHalfToEvenOnceToTheCent() {
        // 50% of $10,000.01 = $5,000.005: exactly half a cent; the even cent is 0 → $5,000.00.
        #expect(pct("50").of(Money(minorUnits: 1_000_001)) == Money(minorUnits: 500_000))
        // 50% of $10,000.03 = $5,000.015: half a cent; the even cent is 2 → $5,000.02.
        #expect(pct("50").of(Money(minorUnits: 1_000_003)) == Money(minorUnits: 500_002))
        // 62.5% of $0.01 = 0.625 cent: above half → 1 cent. 62.5% of $0.02 = 1.25 cents → 1 cent.
        #expect(pct("62.5").of(Money(minorUnits: 1)) == Money(minorUnits: 1))
        #expect(pct("62.5").of(Money(minorUnits: 2)) == Money(minorUnits: 1))
        // 62.5% of $0.04 = 2.5 cents → 2 (even); of $0.12 = 7.5 cents → 8 (even).
        #expect(pct("62.5").of(Money(minorUnits: 4)) == Money(minorUnits: 2))
        #expect(pct("62.5").of(Money(minorUnits: 12)) == Money(minorUnits: 8))
        // Negative excesses round symmetrically: −2.5 cents → −2.
        #expect(pct("62.5").of(Money(minorUnits: -4)) == Money(minorUnits: -2))
        // Large amounts stay exact: 23.4567% of $987,654,321.09:
        // 98,765,432,109 × 234,567 = 23,167,111,113,511,803 millionths of a cent → 23,167,111,113.511803 cents → 23,167,111,114.
        #expect(pct("23.4567").of(Money(minorUnits: 98_765_432_109)) == Money(minorUnits: 23_167_111_114))
    }
}
