import Foundation
import Testing
@testable import Core

@Suite("Money")
struct MoneyTests {
    @Test("formats list prices with grouping and cents", arguments: [
        (Money(dollars: 475_000), "$475,000.00"),
        (Money(dollars: 2_200_000), "$2,200,000.00"),
        (Money(minorUnits: 48_747_700), "$487,477.00"),
        (Money(minorUnits: 123_456_789), "$1,234,567.89"),
        (Money(dollars: 999), "$999.00"),
        (Money(dollars: 1_000), "$1,000.00"),
        (Money(minorUnits: 5), "$0.05"),
        (Money(minorUnits: 10), "$0.10"),
        (Money.zero(), "$0.00"),
    ])
    func formatting(money: Money, expected: String) {
        #expect(money.description == expected)
    }

    @Test func negativeAmountsShowTheSignBeforeTheSymbol() {
        #expect(Money(minorUnits: -150).description == "-$1.50")
        #expect(Money(dollars: -102_000).description == "-$102,000.00")
        #expect((Money(dollars: 373_000) - Money(dollars: 475_000)).description == "-$102,000.00")
    }

    @Test func otherCurrenciesShowTheirCode() {
        let euros = Money(minorUnits: 1_000_050, currency: Currency(rawValue: "EUR"))
        #expect(euros.description == "EUR 10,000.50")
    }

    @Test func arithmeticIsExactToTheCent() {
        let kymriah = Money(dollars: 475_000)
        let yescarta = Money(dollars: 373_000)
        #expect(kymriah - yescarta == Money(dollars: 102_000))
        #expect(kymriah + Money(minorUnits: 1) == Money(minorUnits: 47_500_001))
        // Zolgensma's five installments of $425,000 make its $2,125,000 price (brief).
        #expect(Money(dollars: 425_000) * 5 == Money(dollars: 2_125_000))
        // A tenth of a cent cannot exist: 0.1 + 0.2 in minor units is exactly 30 cents.
        #expect(Money(minorUnits: 10) + Money(minorUnits: 20) == Money(minorUnits: 30))
        #expect(Money(dollars: 1) * -3 == Money(dollars: -3))
    }

    @Test func ordersByAmount() {
        let prices = [Money(dollars: 3_100_000), Money(dollars: 373_000), Money(dollars: 2_200_000)]
        #expect(prices.sorted() == [Money(dollars: 373_000), Money(dollars: 2_200_000), Money(dollars: 3_100_000)])
        #expect(Money(minorUnits: -1) < .zero())
    }

    @Test func codableKeepsMinorUnitsAndCurrency() throws {
        let price = Money(dollars: 487_477)
        let data = try JSONEncoder().encode(price)
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains("48747700"))
        #expect(json.contains("\"USD\""))
        #expect(try JSONDecoder().decode(Money.self, from: data) == price)
    }
}
