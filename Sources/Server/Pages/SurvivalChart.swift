import Registry

/// Draws a Kaplan–Meier curve as SVG: survival as steps over days from infusion, the 95%
/// band shaded, a mark at one year — the picture a survival figure is read from.
struct SurvivalChart {
    var curve: KaplanMeier
    var horizonDays = 730

    private let width = 760.0, height = 260.0, left = 56.0, right = 16.0, top = 14.0, bottom = 34.0

    func render() -> String? {
        guard curve.subjects > 0 else { return nil }
        func x(_ day: Int) -> Double { left + Double(min(day, horizonDays)) / Double(horizonDays) * (width - left - right) }
        func y(_ value: Double) -> Double { top + (1 - value) * (height - top - bottom) }
        var line = "M\(Format.number(x(0))),\(Format.number(y(1)))"
        var upper: [(Double, Double)] = [(x(0), y(1))], lower: [(Double, Double)] = [(x(0), y(1))]
        var previous = (survival: 1.0, lower: 1.0, upper: 1.0)
        for step in curve.steps where step.day <= horizonDays {
            line += " L\(Format.number(x(step.day))),\(Format.number(y(previous.survival))) L\(Format.number(x(step.day))),\(Format.number(y(step.survival)))"
            upper += [(x(step.day), y(previous.upper)), (x(step.day), y(step.upper))]
            lower += [(x(step.day), y(previous.lower)), (x(step.day), y(step.lower))]
            previous = (step.survival, step.lower, step.upper)
        }
        line += " L\(Format.number(x(horizonDays))),\(Format.number(y(previous.survival)))"
        upper.append((x(horizonDays), y(previous.upper)))
        lower.append((x(horizonDays), y(previous.lower)))
        let band = (upper + lower.reversed()).map { "\(Format.number($0.0)),\(Format.number($0.1))" }.joined(separator: " ")
        var svg = """
        <svg id="survival-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Format.number(width)) \(Format.number(height))" role="img" \
        aria-label="Kaplan–Meier overall survival from infusion, \(curve.subjects) patients">
        <polygon class="survival-band" points="\(band)"/>
        <path class="survival-line" d="\(line)"/>
        """
        for value in [0.0, 0.25, 0.5, 0.75, 1.0] {
            svg += "<line class=\"grid\" x1=\"\(Format.number(left))\" y1=\"\(Format.number(y(value)))\" x2=\"\(Format.number(width - right))\" y2=\"\(Format.number(y(value)))\"/>"
            svg += "<text class=\"tick\" x=\"\(Format.number(left - 6))\" y=\"\(Format.number(y(value) + 4))\" text-anchor=\"end\">\(Int(value * 100))%</text>"
        }
        for day in stride(from: 0, through: horizonDays, by: 180) {
            svg += "<text class=\"tick\" x=\"\(Format.number(x(day)))\" y=\"\(Format.number(height - 12))\" text-anchor=\"middle\">day \(day)</text>"
        }
        svg += "<line class=\"today\" x1=\"\(Format.number(x(365)))\" y1=\"\(Format.number(top))\" x2=\"\(Format.number(x(365)))\" y2=\"\(Format.number(height - bottom))\"/></svg>"
        return svg
    }
}
