import Core

extension CalendarDate {
    /// The same day `months` calendar months later, or the month's last day when it is
    /// shorter (31 January + 1 month = 28 or 29 February): how contracts count "month 24".
    func adding(months: Int) -> CalendarDate {
        let (year, month, day) = components
        let total = (year * 12 + (month - 1)) + months
        // Past the calendar's last year there is nothing to settle; stop at its last day.
        guard total < 10_000 * 12 else { return CalendarDate(year: 9999, month: 12, day: 31)! }
        guard total >= 12 else { return CalendarDate(year: 1, month: 1, day: 1)! }
        let newYear = total / 12
        let newMonth = total % 12 + 1
        let lastDay = CalendarDate.lastDay(month: newMonth, year: newYear)
        return CalendarDate(year: newYear, month: newMonth, day: min(day, lastDay))!
    }

    /// Whole calendar months from `self` to `later`: 0 until the first monthly anniversary.
    func fullMonths(until later: CalendarDate) -> Int {
        guard later >= self else { return 0 }
        let (y1, m1, _) = components
        let (y2, m2, _) = later.components
        var months = (y2 - y1) * 12 + (m2 - m1)
        while months > 0, adding(months: months) > later { months -= 1 }
        return months
    }

    private static func lastDay(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension CalendarDate {
    /// `2026-03-02`, built without intermediate strings: settlement memos and explanations
    /// name many dates, and a ten-byte string needs no allocation.
    var iso: String {
        let (year, month, day) = components
        return String(unsafeUninitializedCapacity: 10) { buffer in
            var y = year
            for index in stride(from: 3, through: 0, by: -1) {
                buffer[index] = UInt8(0x30 + y % 10)
                y /= 10
            }
            buffer[4] = 0x2D
            buffer[5] = UInt8(0x30 + month / 10)
            buffer[6] = UInt8(0x30 + month % 10)
            buffer[7] = 0x2D
            buffer[8] = UInt8(0x30 + day / 10)
            buffer[9] = UInt8(0x30 + day % 10)
            return 10
        }
    }
}
