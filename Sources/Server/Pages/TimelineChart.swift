import Core
import Journey

/// Draws a case's journey as SVG: one lane per stage, a bar for the days it ran, a dashed
/// lead-in for days spent waiting to start, hatched overlays for blocked periods, and the
/// critical path in a stronger colour — the picture a coordinator reads at a glance to see
/// what is holding a patient up.
struct TimelineChart {
    var metrics: CaseMetrics

    private let labelWidth = 190.0
    private let plotWidth = 700.0
    private let laneHeight = 30.0
    private let top = 28.0

    func render() -> String {
        let start = metrics.referralDate
        let lastDay = metrics.stages.compactMap { $0.ended ?? ($0.started != nil ? metrics.closedOn ?? metrics.asOf : nil) }.max() ?? metrics.asOf
        let span = max(14, start.days(until: max(lastDay, metrics.closedOn ?? metrics.asOf)) + 3)
        let scale = plotWidth / Double(span)
        func x(_ date: CalendarDate) -> Double { labelWidth + Double(start.days(until: date)) * scale }
        let height = top + Double(metrics.stages.count) * laneHeight + 24
        let width = labelWidth + plotWidth + 20

        var svg = """
        <svg id="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Format.number(width)) \(Format.number(height))" \
        role="img" aria-label="Timeline of stages from referral on \(start)">
        <defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
        <rect width="3" height="6" fill="#c0392b" opacity="0.55"/></pattern></defs>
        """
        // Week or month grid lines, labelled in days since referral.
        let step = span > 240 ? 60 : span > 120 ? 30 : span > 50 ? 14 : 7
        for day in stride(from: 0, through: span, by: step) {
            let gx = labelWidth + Double(day) * scale
            svg += "<line class=\"grid\" x1=\"\(Format.number(gx))\" y1=\"\(Format.number(top - 6))\" x2=\"\(Format.number(gx))\" y2=\"\(Format.number(height - 20))\"/>"
            svg += "<text class=\"tick\" x=\"\(Format.number(gx))\" y=\"\(Format.number(top - 10))\" text-anchor=\"middle\">day \(day)</text>"
        }
        for (index, stage) in metrics.stages.enumerated() {
            let y = top + Double(index) * laneHeight
            svg += "<text class=\"lane-label\" x=\"\(Format.number(labelWidth - 8))\" y=\"\(Format.number(y + laneHeight * 0.62))\" text-anchor=\"end\">\(HTML.escape(stage.name))</text>"
            guard let began = stage.started ?? (stage.status == .cancelled ? stage.ended : nil) else { continue }
            let end = stage.ended ?? metrics.closedOn ?? metrics.asOf
            let critical = stage.onCriticalPath ? " critical" : ""
            let running = stage.ended == nil ? " running" : ""
            svg += "<g class=\"stage\(critical) \(stage.status.rawValue)\(running)\" data-stage=\"\(HTML.escape(stage.stage.rawValue))\">"
            if let waiting = stage.waitingDays, waiting > 0 {
                let from = x(began.adding(days: -waiting))
                svg += "<line class=\"waiting\" x1=\"\(Format.number(from))\" y1=\"\(Format.number(y + laneHeight / 2))\" x2=\"\(Format.number(x(began)))\" y2=\"\(Format.number(y + laneHeight / 2))\"><title>waited \(waiting) days to start</title></line>"
            }
            let barWidth = max(3, x(end) - x(began))
            let days = began.days(until: end)
            let title = "\(stage.name): \(began) to \(stage.ended.map(\.description) ?? "now") (\(days) days)\(stage.status == .cancelled ? ", cancelled" : "")"
            svg += "<rect class=\"bar\" x=\"\(Format.number(x(began)))\" y=\"\(Format.number(y + 6))\" width=\"\(Format.number(barWidth))\" height=\"\(Format.number(laneHeight - 12))\" rx=\"3\"><title>\(HTML.escape(title))</title></rect>"
            for block in stage.blocks {
                let blockEnd = block.end ?? end
                svg += "<rect class=\"blocked\" fill=\"url(#hatch)\" x=\"\(Format.number(x(block.start)))\" y=\"\(Format.number(y + 6))\" width=\"\(Format.number(max(2, x(blockEnd) - x(block.start))))\" height=\"\(Format.number(laneHeight - 12))\"><title>\(HTML.escape("blocked: \(block.reason)"))</title></rect>"
            }
            if days > 0 {
                svg += "<text class=\"bar-label\" x=\"\(Format.number(x(began) + barWidth + 4))\" y=\"\(Format.number(y + laneHeight * 0.62))\">\(days)d</text>"
            }
            svg += "</g>"
        }
        if metrics.status == .open {
            let tx = x(metrics.asOf)
            svg += "<line class=\"today\" x1=\"\(Format.number(tx))\" y1=\"\(Format.number(top - 6))\" x2=\"\(Format.number(tx))\" y2=\"\(Format.number(height - 20))\"/>"
            svg += "<text class=\"tick today-label\" x=\"\(Format.number(tx))\" y=\"\(Format.number(height - 6))\" text-anchor=\"middle\">today</text>"
        } else if let closed = metrics.closedOn {
            let cx = x(closed)
            let label = metrics.status == .infused ? "infused" : "lost"
            svg += "<line class=\"closed \(label)\" x1=\"\(Format.number(cx))\" y1=\"\(Format.number(top - 6))\" x2=\"\(Format.number(cx))\" y2=\"\(Format.number(height - 20))\"/>"
            svg += "<text class=\"tick\" x=\"\(Format.number(cx))\" y=\"\(Format.number(height - 6))\" text-anchor=\"middle\">\(label) day \(start.days(until: closed))</text>"
        }
        svg += "</svg>"
        return svg
    }
}
