import Coverage
import Foundation

/// Draws a request's decision clock as SVG: the allowance as a bar from receipt to the due
/// time, filled as far as time has run (red past the deadline), with a tick for every step
/// of the request — how close the payer is to its deadline, seen rather than computed.
struct DecisionClockChart {
    var request: PriorAuthorization
    var now: Date

    private let width = 760.0
    private let left = 20.0
    private let barTop = 34.0
    private let barHeight = 18.0

    func render() -> String? {
        guard let start = request.clockStartedAt ?? request.submittedAt, let due = request.dueAt else { return nil }
        let end = request.decidedAt ?? (request.status.awaitsDecision ? now : (request.transitions.last?.at ?? now))
        let span = max(due, end).timeIntervalSince(start)
        guard span > 0 else { return nil }
        let plot = width - 2 * left
        func x(_ date: Date) -> Double { left + max(0, min(1, date.timeIntervalSince(start) / span)) * plot }
        let late = end > due
        var svg = """
        <svg id="decision-clock" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Format.number(width)) 96" role="img" \
        aria-label="Decision clock: \(HTML.escape(ClockLabel.text(request, at: now)))">
        <rect class="clock-allowance" x="\(Format.number(left))" y="\(Format.number(barTop))" width="\(Format.number(x(due) - left))" height="\(Format.number(barHeight))"/>
        <rect class="clock-elapsed\(late ? " late" : "")" x="\(Format.number(left))" y="\(Format.number(barTop + 4))" width="\(Format.number(max(1, x(end) - left)))" height="\(Format.number(barHeight - 8))"/>
        <line class="clock-due" x1="\(Format.number(x(due)))" y1="\(Format.number(barTop - 8))" x2="\(Format.number(x(due)))" y2="\(Format.number(barTop + barHeight + 8))"/>
        <text class="tick" x="\(Format.number(x(due)))" y="\(Format.number(barTop - 12))" text-anchor="\(x(due) > width - 160 ? "end" : "middle")">due \(HTML.escape(ClockLabel.stamp(due)))</text>
        <text class="tick" x="\(Format.number(left))" y="\(Format.number(barTop - 12))">received</text>
        """
        for transition in request.transitions where transition.at >= start {
            let tx = x(transition.at)
            svg += "<line class=\"clock-step\" x1=\"\(Format.number(tx))\" y1=\"\(Format.number(barTop + barHeight))\" x2=\"\(Format.number(tx))\" y2=\"\(Format.number(barTop + barHeight + 12))\"/>"
            svg += "<text class=\"tick\" x=\"\(Format.number(tx))\" y=\"\(Format.number(barTop + barHeight + 26))\" text-anchor=\"middle\">\(HTML.escape(transition.action.rawValue))</text>"
        }
        svg += "</svg>"
        return svg
    }
}
