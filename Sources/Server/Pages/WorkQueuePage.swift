import CareNetwork
import Coverage
import Foundation
import Storage

/// The PA work queue: every open request in the viewer's scope (a center's own, a payer's
/// incoming, the mediator's all), soonest due first, with how long each has left — the list a
/// coordinator or a utilization reviewer works down each morning.
struct WorkQueuePage {
    struct Row {
        var id, caseID, patient, center, payer, service, urgency, status, clock, clockLabel, due, planType: String
    }

    var session = PageSession.current
    var heading: String
    var rows: [Row]
    var total: Int
    var open: Int
    var overdue: Int
    var dueSoon: Int
    var filter: String
    var filters: [Option]
    var statuses: [Option]
    var previousPage: String?
    var nextPage: String?
    /// The form that files an evaluation authorization (or a therapy request) for one of the
    /// viewer's open cases; `nil` for those who do not file (payers).
    var filing: EntryForm?

    init(page: PriorAuthorizationQueuePage, query: PriorAuthorizationQuery, directory: Directory, now: Date, link: (Int) -> String) {
        let payers = Dictionary(directory.payers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let centers = Dictionary(directory.centers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        heading = switch query.scope {
        case .center(let id): "Prior authorizations at \(centers[id] ?? id.rawValue)"
        case .payer(let id): "Prior authorizations for \(payers[id] ?? id.rawValue)"
        case .all, .none: "Prior authorizations across the network"
        }
        rows = page.items.map { request in
            let clock = request.clockStatus(at: now)
            return Row(
                id: request.id.rawValue, caseID: request.caseID.rawValue, patient: request.patient.rawValue,
                center: centers[request.center] ?? request.center.rawValue, payer: payers[request.payer] ?? request.payer.rawValue,
                service: request.service.product.flatMap { directory.product($0)?.name } ?? request.service.kind.rawValue, urgency: request.urgency.rawValue, status: request.status.rawValue,
                clock: clock.rawValue, clockLabel: ClockLabel.text(request, at: now), due: request.dueAt.map(ClockLabel.stamp) ?? "—",
                planType: request.planType.rawValue
            )
        }
        total = page.total
        open = page.open
        overdue = page.overdue
        dueSoon = page.dueSoon
        filter = query.clock?.rawValue ?? ""
        filters = [Option(value: "", label: "All open", selected: query.clock == nil)]
            + PriorAuthorizationQuery.ClockFilter.allCases.map { Option(value: $0.rawValue, label: $0 == .overdue ? "Overdue" : "Due soon", selected: query.clock == $0) }
        statuses = [Option(value: "", label: "Open (any)", selected: query.status == nil)]
            + PriorAuthorizationStatus.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: query.status == $0) }
        previousPage = query.offset > 0 ? link(max(0, query.offset - query.limit)) : nil
        nextPage = query.offset + page.items.count < page.total ? link(query.offset + query.limit) : nil
    }
}

/// How a request stands against its clock, in words a queue can show.
enum ClockLabel {
    static func text(_ request: PriorAuthorization, at now: Date) -> String {
        switch request.clockStatus(at: now) {
        case .stopped:
            if request.status == .draft { return "not submitted" }
            if let onTime = request.decidedOnTime(now: now) { return onTime ? "decided on time" : "decided late" }
            return "decided"
        case .paused: return "paused while pended"
        case .overdue: return "overdue by \(duration(now.timeIntervalSince(request.dueAt ?? now)))"
        case .dueSoon, .onTime: return "\(duration((request.dueAt ?? now).timeIntervalSince(now))) left"
        }
    }

    /// Hours under three days, then days: what a clock of 72 hours or 7 days is read in.
    static func duration(_ seconds: TimeInterval) -> String {
        let hours = Int(seconds / 3600)
        if hours <= 72 { return "\(hours) h" }
        return "\(hours / 24) d \(hours % 24) h"
    }

    static func stamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon)).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "") + " UTC"
    }
}
