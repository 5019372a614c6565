import CareNetwork
import Coverage
import Foundation

/// One request: what is asked of whom, its clock drawn and in words, its full history, and
/// the forms for the next step — the center's steps for a center, the payer's for a payer.
struct PriorAuthorizationPage {
    struct Step { var at, action, reason, items, by: String }
    struct FormValues {
        var id = "t-" + UUID().uuidString.prefix(8).lowercased()
        var action = ""
        var reason = ""
        var items = ""
        var product = ""
        var serviceKind = ""
        var urgency = ""
        var payerReference = ""
    }

    var session = PageSession.current
    var id, caseID, patient, center, payer, planType, service, urgency, status, clock, clockLabel, created: String
    var submitted, due, decided, decisionReason, payerReference, criteriaSet: String?
    var chart: String?
    var steps: [Step]
    var actions: [Option]
    var canAct: Bool
    var products: [Option]
    var form: FormValues
    var error: String?
    var notice: String?

    init(_ request: PriorAuthorization, directory: Directory, now: Date, allowed: [PriorAuthorizationAction], form: FormValues, error: String?, notice: String?) {
        id = request.id.rawValue
        caseID = request.caseID.rawValue
        patient = request.patient.rawValue
        center = directory.center(request.center)?.name ?? request.center.rawValue
        payer = directory.payer(request.payer)?.name ?? request.payer.rawValue
        planType = request.planType.rawValue
        service = request.service.kind == .therapy ? (request.service.product.flatMap { directory.product($0)?.name } ?? request.service.description) : request.service.kind.rawValue
        urgency = request.urgency.rawValue
        status = request.status.rawValue
        let clockStatus = request.clockStatus(at: now)
        clock = clockStatus.rawValue
        clockLabel = ClockLabel.text(request, at: now)
        created = ClockLabel.stamp(request.createdAt)
        submitted = request.submittedAt.map(ClockLabel.stamp)
        due = request.dueAt.map(ClockLabel.stamp)
        decided = request.decidedAt.map(ClockLabel.stamp)
        decisionReason = request.decisionReason
        payerReference = request.payerReference
        criteriaSet = request.criteriaSet.map { "\($0.rawValue) v\(request.criteriaVersion ?? 0)" }
        chart = DecisionClockChart(request: request, now: now).render()
        steps = request.transitions.reversed().map { transition in
            var reason = transition.reason ?? ""
            if let service = transition.service { reason = "→ \(service)" + (reason.isEmpty ? "" : ": \(reason)") }
            if let urgency = transition.urgency { reason += " (urgency \(urgency.rawValue))" }
            return Step(at: ClockLabel.stamp(transition.at), action: transition.action.rawValue, reason: reason,
                        items: transition.requestedItems.joined(separator: "; "), by: transition.recordedBy ?? "")
        }
        actions = allowed.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == form.action) }
        canAct = !allowed.isEmpty
        products = directory.products.map { Option(value: $0.id.rawValue, label: $0.name, selected: $0.id.rawValue == form.product) }
        self.form = form
        self.error = error
        self.notice = notice
    }
}
