import Foundation
import Testing
@testable import Core

@Suite("CalendarDate")
struct CalendarDateTests {
    @Test("formats what it parses", arguments: [
        "2026-11-23", "1970-01-01", "2024-02-29", "2000-02-29", "1999-12-31", "0001-01-01", "9999-12-31",
    ])
    func roundTrip(text: String) throws {
        let date = try #require(CalendarDate(iso8601: text))
        #expect(date.description == text)
        #expect(CalendarDate(daysSinceEpoch: date.daysSinceEpoch) == date)
    }

    @Test("refuses days that do not exist or are not YYYY-MM-DD", arguments: [
        "2025-02-29", "1900-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00", "2025-01-32",
        "0000-01-01", "2025-1-01", "2025/01/01", "20250101", "", " 2025-01-01", "2025-01-01T00:00", "abcd-ef-gh",
        "+025-01-01", "2025-0a-01",
    ])
    func invalid(text: String) {
        #expect(CalendarDate(iso8601: text) == nil)
    }

    @Test func leapYearsFollowTheGregorianRules() {
        #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)  // divisible by 4
        #expect(CalendarDate(year: 2100, month: 2, day: 29) == nil)  // century
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)  // divisible by 400
        #expect(CalendarDate(year: 2025, month: 2, day: 28) != nil)
        #expect(CalendarDate(year: 2025, month: 2, day: 29) == nil)
    }

    @Test func parseNamesTheFieldInItsError() throws {
        let error = #expect(throws: ValidationError.self) {
            try CalendarDate.parse("2025-02-29", field: "referralDate")
        }
        #expect(error?.issues.first?.field == "referralDate")
        #expect(error?.issues.first?.problem.contains("2025-02-29") == true)
        #expect(try CalendarDate.parse("2025-02-28", field: "referralDate").description == "2025-02-28")
    }

    @Test func countsDaysSinceTheEpoch() {
        #expect(CalendarDate(year: 1970, month: 1, day: 1)?.daysSinceEpoch == 0)
        #expect(CalendarDate(year: 2000, month: 3, day: 1)?.daysSinceEpoch == 11_017)
        #expect(CalendarDate(year: 1969, month: 12, day: 31)?.daysSinceEpoch == -1)
    }

    @Test func daysUntilCountsWholeDaysBothWays() throws {
        let jan2024 = try #require(CalendarDate(iso8601: "2024-01-01"))
        let jan2025 = try #require(CalendarDate(iso8601: "2025-01-01"))
        let jan2026 = try #require(CalendarDate(iso8601: "2026-01-01"))
        #expect(jan2024.days(until: jan2025) == 366)
        #expect(jan2025.days(until: jan2026) == 365)
        #expect(jan2026.days(until: jan2024) == -731)
        #expect(jan2025.days(until: jan2025) == 0)
    }

    @Test func addingDaysCrossesMonthsAndLeapDays() throws {
        let leap = try #require(CalendarDate(iso8601: "2024-02-28"))
        #expect(leap.adding(days: 1).description == "2024-02-29")
        #expect(leap.adding(days: 2).description == "2024-03-01")
        let common = try #require(CalendarDate(iso8601: "2025-02-28"))
        #expect(common.adding(days: 1).description == "2025-03-01")
        #expect(common.adding(days: -59).description == "2024-12-31")
        #expect(common.adding(days: 143).description == "2025-07-21")
        #expect(common.adding(days: 0) == common)
    }

    @Test func componentsRoundTripOverFourCenturies() throws {
        // Every 7th day from 1800 to 2200 converts to parts and back unchanged.
        let start = try #require(CalendarDate(iso8601: "1800-01-01")).daysSinceEpoch
        let end = try #require(CalendarDate(iso8601: "2200-12-31")).daysSinceEpoch
        for days in stride(from: start, through: end, by: 7) {
            let date = CalendarDate(daysSinceEpoch: days)
            let (year, month, day) = date.components
            #expect(CalendarDate(year: year, month: month, day: day) == date)
        }
    }

    @Test func ordersChronologically() throws {
        let dates = ["2026-01-02", "2025-12-31", "2026-01-01"].compactMap { CalendarDate(iso8601: $0) }
        #expect(dates.sorted().map(\.description) == ["2025-12-31", "2026-01-01", "2026-01-02"])
    }

    @Test func todayDependsOnTheCentersTimeZone() throws {
        // 03:00 UTC on 23 November is still the 22nd in Chicago and already the 23rd in Auckland.
        let instant = Date(timeIntervalSince1970: 1_795_402_800)  // 2026-11-23T03:00:00Z
        let chicago = try #require(TimeZone(identifier: "America/Chicago"))
        let auckland = try #require(TimeZone(identifier: "Pacific/Auckland"))
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(CalendarDate.today(in: chicago, now: instant).description == "2026-11-22")
        #expect(CalendarDate.today(in: utc, now: instant).description == "2026-11-23")
        #expect(CalendarDate.today(in: auckland, now: instant).description == "2026-11-23")
    }

    @Test func encodesAsAnISODateString() throws {
        let date = try #require(CalendarDate(iso8601: "2026-11-23"))
        let data = try JSONEncoder().encode([date])
        #expect(String(data: data, encoding: .utf8) == "[\"2026-11-23\"]")
        #expect(try JSONDecoder().decode([CalendarDate].self, from: data) == [date])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CalendarDate].self, from: Data("[\"2025-02-29\"]".utf8))
        }
    }

    @Test func intervalsIncludeBothEnds() throws {
        let start = try #require(CalendarDate(iso8601: "2026-01-01"))
        let end = try #require(CalendarDate(iso8601: "2026-03-31"))
        let quarter = DateInterval(start: start, end: end)
        #expect(quarter.contains(start))
        #expect(quarter.contains(end))
        #expect(!quarter.contains(start.adding(days: -1)))
        #expect(!quarter.contains(end.adding(days: 1)))
        #expect(DateInterval(start: start).contains(end.adding(days: 1_000)))
        #expect(DateInterval().contains(start.adding(days: -10_000)))
    }
}
