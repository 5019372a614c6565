import Core
import Journey

/// Draws interval distributions as horizontal box plots (p25–p75 box, median tick, whisker to
/// p90), one row per interval, on a shared day axis — so stages can be compared by eye.
/// An interval whose distribution is withheld (the small-cell rule) is not drawn, and the
/// whisker starts at the minimum only where the minimum may be shown.
struct DistributionChart {
    var intervals: [DisclosedJourneyReport.Metrics.Interval]

    func render() -> String {
        let rows = intervals.compactMap { interval in interval.distribution.map { (interval, $0) } }.filter { $0.1.count > 0 }
        let labelWidth = 230.0, plotWidth = 620.0, rowHeight = 24.0, top = 26.0
        let maxDays = max(7, rows.compactMap(\.1.p90).max() ?? 7)
        let scale = plotWidth / maxDays
        func x(_ days: Double) -> Double { labelWidth + days * scale }
        let height = top + Double(rows.count) * rowHeight + 10
        var svg = """
        <svg id="distribution-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Format.number(labelWidth + plotWidth + 30)) \(Format.number(height))" \
        role="img" aria-label="Distribution of days per interval: box from 25th to 75th percentile, line at the median, whisker to the 90th">
        """
        let step = maxDays > 200 ? 50.0 : maxDays > 80 ? 20.0 : maxDays > 30 ? 10.0 : 5.0
        for day in stride(from: 0.0, through: maxDays, by: step) {
            svg += "<line class=\"grid\" x1=\"\(Format.number(x(day)))\" y1=\"\(Format.number(top - 6))\" x2=\"\(Format.number(x(day)))\" y2=\"\(Format.number(height - 6))\"/>"
            svg += "<text class=\"tick\" x=\"\(Format.number(x(day)))\" y=\"\(Format.number(top - 10))\" text-anchor=\"middle\">\(Int(day))d</text>"
        }
        for (index, (interval, d)) in rows.enumerated() {
            guard let p25 = d.p25, let median = d.median, let p75 = d.p75, let p90 = d.p90 else { continue }
            let y = top + Double(index) * rowHeight
            let kind = interval.key.hasPrefix("wait:") ? "wait" : interval.key.hasPrefix("stage:") ? "stage" : "total"
            svg += "<g class=\"interval \(kind)\" data-interval=\"\(HTML.escape(interval.key))\">"
            svg += "<text class=\"lane-label\" x=\"\(Format.number(labelWidth - 8))\" y=\"\(Format.number(y + rowHeight * 0.65))\" text-anchor=\"end\">\(HTML.escape(interval.label))</text>"
            svg += "<line class=\"whisker\" x1=\"\(Format.number(x(d.min.map(Double.init) ?? p25)))\" y1=\"\(Format.number(y + rowHeight / 2))\" x2=\"\(Format.number(x(p90)))\" y2=\"\(Format.number(y + rowHeight / 2))\"/>"
            svg += "<rect class=\"box\" x=\"\(Format.number(x(p25)))\" y=\"\(Format.number(y + 5))\" width=\"\(Format.number(max(1.5, x(p75) - x(p25))))\" height=\"\(Format.number(rowHeight - 10))\">"
            svg += "<title>\(HTML.escape("\(interval.label): median \(Format.number(median)) days, p25 \(Format.number(p25)), p75 \(Format.number(p75)), p90 \(Format.number(p90)), n=\(d.count)"))</title></rect>"
            svg += "<line class=\"median\" x1=\"\(Format.number(x(median)))\" y1=\"\(Format.number(y + 3))\" x2=\"\(Format.number(x(median)))\" y2=\"\(Format.number(y + rowHeight - 3))\"/>"
            svg += "</g>"
        }
        svg += "</svg>"
        return svg
    }
}
