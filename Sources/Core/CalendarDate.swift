import Foundation

/// A day on the calendar — no time of day, no time zone — such as a referral date or the
/// day a stage completed.
///
/// Journey intervals and contract windows are counted in whole days at the place the day
/// happened; the center's IANA time zone (kept with the center) says which day "now" is
/// there. Stored as days since 1970-01-01 so that differences are exact integer arithmetic.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01 in the proleptic Gregorian calendar.
    public let daysSinceEpoch: Int32

    public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

    /// A date from its parts; `nil` when the parts do not name a real day (2025-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = Int32(era * 146_097 + doe - 719_468)
    }

    /// Parses `YYYY-MM-DD` (ISO 8601 calendar date), the only form CurePath accepts.
    public init?(iso8601 text: some StringProtocol) {
        // Read in place where the text is contiguous (any native string): millions of dates
        // are parsed reading a large book, and copying each to an array was most of the cost.
        let fields = text.utf8.withContiguousStorageIfAvailable(Self.fields) ?? Array(text.utf8).withUnsafeBufferPointer(Self.fields)
        guard let (year, month, day) = fields else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// ``init(iso8601:)-(StringProtocol)`` for a `String`, without generic dispatch.
    public init?(iso8601 text: String) {
        var text = text
        guard let (year, month, day) = text.withUTF8(Self.fields) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Year, month and day of `YYYY-MM-DD`, unchecked against the calendar.
    private static func fields(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return (year, month, day)
    }

    /// Parses an input field, naming it in the error.
    public static func parse(_ text: String, field: String) throws(ValidationError) -> CalendarDate {
        guard let date = CalendarDate(iso8601: text) else {
            throw ValidationError(field: field, problem: "must be a calendar date as YYYY-MM-DD, got \"\(text.prefix(40))\"")
        }
        return date
    }

    /// Year, month and day (civil_from_days).
    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(daysSinceEpoch) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    public var year: Int { components.year }

    public var description: String {
        let (year, month, day) = components
        if (0...9999).contains(year) {
            // Ten bytes make a small string: written in place, with no allocation.
            return String(unsafeUninitializedCapacity: 10) { buffer in
                func put(_ value: Int, at end: Int, width: Int) {
                    var value = value
                    for index in stride(from: end, to: end - width, by: -1) {
                        buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                        value /= 10
                    }
                }
                put(year, at: 3, width: 4)
                buffer[4] = UInt8(ascii: "-")
                put(month, at: 6, width: 2)
                buffer[7] = UInt8(ascii: "-")
                put(day, at: 9, width: 2)
                return 10
            }
        }
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(daysSinceEpoch: daysSinceEpoch + Int32(days))
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    public func days(until later: CalendarDate) -> Int {
        Int(later.daysSinceEpoch) - Int(daysSinceEpoch)
    }

    /// The day it is now at a place with the given time zone.
    public static func today(in timeZone: TimeZone, now: Date = Date()) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(iso8601: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected YYYY-MM-DD, got \"\(text)\"")
            )
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// An inclusive range of calendar dates, used to filter by period.
public struct DateInterval: Hashable, Sendable, Codable {
    public var start: CalendarDate?
    public var end: CalendarDate?

    public init(start: CalendarDate? = nil, end: CalendarDate? = nil) {
        self.start = start
        self.end = end
    }

    public func contains(_ date: CalendarDate) -> Bool {
        if let start, date < start { return false }
        if let end, date > end { return false }
        return true
    }
}
