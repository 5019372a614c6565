import Core

/// A FHIR `date`, `dateTime` or `instant` as CurePath can use it: a whole day, or a partial
/// date (`2025`, `2025-03`) that names no day.
///
/// Criteria count days, and a `dateTime` names the day at the place it was recorded (its
/// own offset), which is the day CurePath means; the time of day is checked for shape and
/// then dropped, never converted to another zone. Partial dates are valid FHIR but cannot
/// answer "within 30 days", so the import reports them instead of guessing a day.
enum FHIRDate: Hashable, Sendable {
    case day(CalendarDate)
    /// The text of a year or year-month.
    case partial(String)

    /// `nil` when the text is not a FHIR date, dateTime or instant.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                guard (0x30...0x39).contains(bytes[index]) else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
            }
            return value
        }
        guard let year = digits(0..<4), year >= 1 else { return nil }
        if bytes.count == 4 {
            self = .partial(text)
            return
        }
        guard bytes.count >= 7, bytes[4] == 0x2D, let month = digits(5..<7), (1...12).contains(month) else { return nil }
        if bytes.count == 7 {
            self = .partial(text)
            return
        }
        guard bytes.count >= 10, bytes[7] == 0x2D, let day = digits(8..<10),
            let date = CalendarDate(year: year, month: month, day: day)
        else { return nil }
        if bytes.count > 10 {
            guard FHIRDate.isTimeOfDay(bytes[10...]) else { return nil }
        }
        self = .day(date)
    }

    /// `Thh:mm:ss[.fff](Z|+hh:mm|-hh:mm)`, the only time FHIR allows after a date.
    private static func isTimeOfDay(_ bytes: ArraySlice<UInt8>) -> Bool {
        let bytes = Array(bytes)
        func number(_ at: Int, max: Int) -> Bool {
            guard at + 2 <= bytes.count, (0x30...0x39).contains(bytes[at]), (0x30...0x39).contains(bytes[at + 1]) else { return false }
            return Int(bytes[at] - 0x30) * 10 + Int(bytes[at + 1] - 0x30) <= max
        }
        guard bytes.count >= 9, bytes[0] == UInt8(ascii: "T"), number(1, max: 24), bytes[3] == 0x3A, number(4, max: 59), bytes[6] == 0x3A,
            number(7, max: 60)
        else { return false }
        var index = 9
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > start else { return false }
        }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "Z") { return index + 1 == bytes.count }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), index + 6 == bytes.count,
            number(index + 1, max: 14), bytes[index + 3] == 0x3A, number(index + 4, max: 59)
        else { return false }
        return true
    }
}
