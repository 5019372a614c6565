import Core
import Economics

/// Draws a center's cash curve as SVG: money outstanding (paid out for products and care, not
/// yet paid back) day by day, the peak marked, today marked, and — for a what-if — the curve
/// with more patients drawn over it. Where the money is tied up is seen, not read off a table.
struct CashCurveChart {
    var base: CashExposure
    var whatIf: CashExposure?
    var today: CalendarDate

    private let width = 860.0, height = 280.0, left = 86.0, right = 16.0, top = 16.0, bottom = 34.0

    func render() -> String? {
        let curves = [base.points] + (whatIf.map { [$0.points] } ?? [])
        guard let first = curves.compactMap(\.first?.date).min(), let last = curves.compactMap(\.last?.date).max(), first < last else { return nil }
        let maxValue = max(1, curves.flatMap { $0.map(\.outstanding.minorUnits) }.max() ?? 1)
        let minValue = min(0, curves.flatMap { $0.map(\.outstanding.minorUnits) }.min() ?? 0)
        let span = Double(first.days(until: last))
        func x(_ date: CalendarDate) -> Double { left + Double(first.days(until: date)) / span * (width - left - right) }
        func y(_ cents: Int64) -> Double { top + (1 - Double(cents - minValue) / Double(maxValue - minValue)) * (height - top - bottom) }
        func path(_ points: [CashPoint]) -> String {
            points.enumerated().map { index, point in "\(index == 0 ? "M" : "L")\(Format.number(x(point.date))),\(Format.number(y(point.outstanding.minorUnits)))" }.joined(separator: " ")
        }
        var svg = """
        <svg id="cash-curve" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Format.number(width)) \(Format.number(height))" role="img" \
        aria-label="Cash outstanding per day from \(first) to \(last); peak \(base.peak.map { "\($0.outstanding) on \($0.date)" } ?? "none")">
        <line class="zero" x1="\(Format.number(left))" y1="\(Format.number(y(0)))" x2="\(Format.number(width - right))" y2="\(Format.number(y(0)))"/>
        """
        for fraction in [0.25, 0.5, 0.75, 1.0] {
            let cents = minValue + Int64(Double(maxValue - minValue) * fraction)
            svg += "<line class=\"grid\" x1=\"\(Format.number(left))\" y1=\"\(Format.number(y(cents)))\" x2=\"\(Format.number(width - right))\" y2=\"\(Format.number(y(cents)))\"/>"
            svg += "<text class=\"tick\" x=\"\(Format.number(left - 6))\" y=\"\(Format.number(y(cents) + 4))\" text-anchor=\"end\">$\(Format.number(Double(cents) / 100_000_000))M</text>"
        }
        if let whatIf { svg += "<path class=\"cash-whatif\" d=\"\(path(whatIf.points))\"/>" }
        svg += "<path class=\"cash-base\" d=\"\(path(base.points))\"/>"
        if first <= today && today <= last {
            svg += "<line class=\"today\" x1=\"\(Format.number(x(today)))\" y1=\"\(Format.number(top))\" x2=\"\(Format.number(x(today)))\" y2=\"\(Format.number(height - bottom))\"/>"
            svg += "<text class=\"tick\" x=\"\(Format.number(x(today)))\" y=\"\(Format.number(height - 8))\" text-anchor=\"middle\">today</text>"
        }
        if let peak = base.peak {
            svg += "<circle class=\"cash-peak\" cx=\"\(Format.number(x(peak.date)))\" cy=\"\(Format.number(y(peak.outstanding.minorUnits)))\" r=\"4\"/>"
        }
        svg += "<text class=\"tick\" x=\"\(Format.number(left))\" y=\"\(Format.number(height - 8))\">\(first)</text>"
        svg += "<text class=\"tick\" x=\"\(Format.number(width - right))\" y=\"\(Format.number(height - 8))\" text-anchor=\"end\">\(last)</text>"
        svg += "</svg>"
        return svg
    }
}
