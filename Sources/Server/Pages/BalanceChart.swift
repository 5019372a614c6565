import Core

/// Draws money balances over time as an SVG line chart: one line per series on a shared
/// dollar axis with month-end ticks, a zero line, and a legend — so the mediator sees at a
/// glance who has been owed or owing what, and since when, without any JavaScript.
///
/// Amounts stay exact integer minor units; `Double` appears only for pixel positions.
struct BalanceChart {
    /// One line: a label for the legend and a balance (minor units) at each of the chart's dates.
    struct Series {
        var label: String
        var values: [Int64]
    }

    /// The element id, so a page can hold more than one chart and tests can find each.
    var id: String
    /// What the chart shows, for the SVG `<title>` and `aria-label` that screen readers read.
    var title: String
    /// The x positions, ascending; every series has a value for each.
    var dates: [CalendarDate]
    var series: [Series]
    /// A line under the legend, e.g. that only the largest parties are drawn.
    var note: String?
    /// Draws a balance as holding until the next date (statements change at postings), rather
    /// than sliding between dates (month-end snapshots).
    var stepped = false
    /// What a point is, printed under the time axis.
    var caption = "balance at month end"
    /// Ticks where the points are: month ends for month-end snapshots, so a point sits on its
    /// month's label; month starts for daily data, where "Mar" should mean March begins.
    var ticksAtMonthEnd = true
    var currency: Currency = .usd

    private let width = 900.0
    private let left = 86.0
    private let right = 24.0
    private let top = 16.0
    private let plotHeight = 240.0
    private let legendRow = 18.0
    private let legendColumns = 2

    /// Colours and dash patterns together, so lines stay apart for readers who cannot tell
    /// the colours apart.
    static let palette: [(stroke: String, dash: String?)] = [
        ("#0b6e8f", nil), ("#c2410c", nil), ("#1e7b4f", nil), ("#7c3aed", nil),
        ("#b42318", "6 3"), ("#a16207", "6 3"), ("#0f766e", "2 3"), ("#4b5563", "2 3"),
    ]

    func render() -> String {
        guard let firstDate = dates.first, let lastDate = dates.last else { return "" }
        let plotWidth = width - left - right
        let span = firstDate.days(until: lastDate)
        func x(_ date: CalendarDate) -> Double {
            span == 0 ? left + plotWidth / 2 : left + Double(firstDate.days(until: date)) / Double(span) * plotWidth
        }
        let axis = Self.axis(low: min(0, series.flatMap(\.values).min() ?? 0), high: max(0, series.flatMap(\.values).max() ?? 0))
        func y(_ value: Int64) -> Double {
            top + Double(axis.high - value) / Double(axis.high - axis.low) * plotHeight
        }
        let plotBottom = top + plotHeight
        let legendRows = (series.count + legendColumns - 1) / legendColumns
        let legendTop = plotBottom + 56
        let height = legendTop + Double(legendRows) * legendRow + (note == nil ? 4 : legendRow + 4)

        var svg = """
        <svg id="\(HTML.escape(id))" class="balance-chart" xmlns="http://www.w3.org/2000/svg" \
        viewBox="0 0 \(Format.number(width)) \(Format.number(height))" role="img" aria-label="\(HTML.escape(title))">\
        <title>\(HTML.escape(title))</title>
        """
        // Horizontal grid and dollar labels.
        for value in stride(from: axis.low, through: axis.high, by: Int(axis.step)) {
            let gy = Format.number(y(value))
            svg += "<line class=\"grid\" x1=\"\(Format.number(left))\" y1=\"\(gy)\" x2=\"\(Format.number(left + plotWidth))\" y2=\"\(gy)\"/>"
            svg += "<text class=\"tick\" x=\"\(Format.number(left - 6))\" y=\"\(gy)\" dy=\"0.32em\" text-anchor=\"end\">\(HTML.escape(Self.axisLabel(value, currency)))</text>"
        }
        // Month ticks, thinned to about a dozen labels.
        let ticks = Self.months(from: firstDate, through: lastDate, atEnd: ticksAtMonthEnd)
        let every = max(1, (ticks.count + 11) / 12)
        for (index, tick) in ticks.enumerated() where index % every == 0 {
            let tx = Format.number(x(tick))
            svg += "<line class=\"grid\" x1=\"\(tx)\" y1=\"\(Format.number(top))\" x2=\"\(tx)\" y2=\"\(Format.number(plotBottom))\"/>"
            svg += "<text class=\"tick month\" x=\"\(tx)\" y=\"\(Format.number(plotBottom + 20))\" text-anchor=\"middle\">\(Self.monthLabel(tick))</text>"
        }
        if ticks.isEmpty {
            // Less than a month of postings: name the days instead.
            for date in Set([firstDate, lastDate]).sorted() {
                svg += "<text class=\"tick\" x=\"\(Format.number(x(date)))\" y=\"\(Format.number(plotBottom + 20))\" text-anchor=\"middle\">\(date)</text>"
            }
        }
        svg += "<text class=\"tick\" x=\"\(Format.number(left + plotWidth))\" y=\"\(Format.number(plotBottom + 36))\" text-anchor=\"end\">\(HTML.escape(caption))</text>"
        svg += "<line class=\"zero\" x1=\"\(Format.number(left))\" y1=\"\(Format.number(y(0)))\" x2=\"\(Format.number(left + plotWidth))\" y2=\"\(Format.number(y(0)))\"/>"

        let markers = dates.count <= 36
        for (index, line) in series.enumerated() {
            let style = Self.palette[index % Self.palette.count]
            let dash = style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            var path = ""
            for (point, date) in dates.enumerated() where point < line.values.count {
                let px = Format.number(x(date)), py = Format.number(y(line.values[point]))
                if point == 0 {
                    path += "M\(px) \(py)"
                } else if stepped {
                    path += " H\(px) V\(py)"
                } else {
                    path += " L\(px) \(py)"
                }
            }
            svg += "<g class=\"series\" data-series=\"\(HTML.escape(line.label))\">"
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(style.stroke)\" stroke-width=\"2\"\(dash)><title>\(HTML.escape(line.label))</title></path>"
            if markers {
                for (point, date) in dates.enumerated() where point < line.values.count {
                    let amount = Money(minorUnits: line.values[point], currency: currency)
                    svg += "<circle cx=\"\(Format.number(x(date)))\" cy=\"\(Format.number(y(line.values[point])))\" r=\"2.5\" fill=\"\(style.stroke)\">"
                    svg += "<title>\(HTML.escape("\(line.label) on \(date): \(amount)"))</title></circle>"
                }
            }
            svg += "</g>"
        }

        // The legend, in rows of two under the plot.
        let columnWidth = (width - left) / Double(legendColumns)
        for (index, line) in series.enumerated() {
            let style = Self.palette[index % Self.palette.count]
            let lx = left + Double(index % legendColumns) * columnWidth
            let ly = legendTop + Double(index / legendColumns) * legendRow
            let dash = style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            svg += "<g class=\"legend-item\"><line x1=\"\(Format.number(lx))\" y1=\"\(Format.number(ly - 4))\" x2=\"\(Format.number(lx + 22))\" y2=\"\(Format.number(ly - 4))\" stroke=\"\(style.stroke)\" stroke-width=\"2.5\"\(dash)/>"
            let closing = line.values.last.map { " (\(Money(minorUnits: $0, currency: currency)))" } ?? ""
            svg += "<text class=\"legend\" x=\"\(Format.number(lx + 28))\" y=\"\(Format.number(ly))\">\(HTML.escape(Self.clip(line.label, 36) + closing))</text></g>"
        }
        if let note {
            svg += "<text class=\"tick legend-note\" x=\"\(Format.number(left))\" y=\"\(Format.number(legendTop + Double(legendRows) * legendRow + 2))\">\(HTML.escape(note))</text>"
        }
        svg += "</svg>"
        return svg
    }

    /// A dollar axis from `low` to `high` (minor units) in round steps of 1, 2 or 5 times a
    /// power of ten, about five of them; integer arithmetic, so tick values are exact.
    static func axis(low: Int64, high: Int64) -> (low: Int64, high: Int64, step: Int64) {
        // An all-zero chart still needs a scale; $100 is as good as any.
        let range = max(high - low, 100_00)
        let rough = max(1, range / 5)
        var power: Int64 = 1
        while power <= rough / 10 { power *= 10 }
        let step = [power, power * 2, power * 5, power * 10].first { $0 >= rough } ?? power * 10
        func floorDiv(_ value: Int64) -> Int64 { value >= 0 ? value / step : -((-value + step - 1) / step) }
        let bottom = floorDiv(low) * step
        var top = -floorDiv(-high) * step
        if top == bottom { top = bottom + step }
        return (bottom, top, step)
    }

    /// `$1.5M`, `-$250K`, `$40`: short enough for an axis; exact because ticks are round.
    static func axisLabel(_ minorUnits: Int64, _ currency: Currency) -> String {
        let sign = minorUnits < 0 ? "-" : ""
        let cents = minorUnits.magnitude
        guard cents % 100 == 0 else { return Money(minorUnits: minorUnits, currency: currency).description }
        let units = cents / 100
        func scaled(_ unit: UInt64, _ suffix: String) -> String {
            let whole = units / unit
            let hundredths = units % unit * 100 / unit
            let fraction = hundredths == 0 ? "" : hundredths % 10 == 0 ? ".\(hundredths / 10)" : ".\(hundredths < 10 ? "0" : "")\(hundredths)"
            return "\(whole)\(fraction)\(suffix)"
        }
        let body = units >= 1_000_000_000 ? scaled(1_000_000_000, "B") : units >= 1_000_000 ? scaled(1_000_000, "M")
            : units >= 1_000 ? scaled(1_000, "K") : "\(units)"
        return sign + currency.symbol + body
    }

    /// The last day (`atEnd`) or the first day of every month that falls within `first...last`.
    static func months(from first: CalendarDate, through last: CalendarDate, atEnd: Bool) -> [CalendarDate] {
        var days: [CalendarDate] = []
        var month = LedgerHistory.Month(first)
        while true {
            let day = atEnd ? month.lastDay : LedgerHistory.Month(index: month.index - 1).lastDay.adding(days: 1)
            guard day <= last else { break }
            if day >= first { days.append(day) }
            month = LedgerHistory.Month(index: month.index + 1)
        }
        return days
    }

    /// `Mar 2026`.
    static func monthLabel(_ date: CalendarDate) -> String {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let (year, month, _) = date.components
        return "\(names[month - 1]) \(year)"
    }

    private static func clip(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
