import CareNetwork
import Core
import Coverage
import Foundation
import Journey

/// The demo's prior-authorization requests, read off each case's prior-authorization stage
/// so that the work queue and the journey tell the same story: the stage starting is the
/// request filed and submitted, a pend block is a pend, a denial block is a denial then an
/// appeal, completion is the approval (or the overturned denial), a loss for denial is the
/// upheld appeal. Cases still in the stage give the open requests of the queue.
public enum DemoPriorAuthorizations {
    public static func build(for demo: DemoNetwork, clocks: DecisionClocks = .cmsDefaults) -> [PriorAuthorization] {
        let payers = Dictionary(uniqueKeysWithValues: demo.payers.map { ($0.id, $0.kind) })
        var requests: [PriorAuthorization] = []
        for demoCase in demo.cases {
            guard let kind = payers[demoCase.record.payerID], let request = request(for: demoCase, planType: kind.defaultPlanType, clocks: clocks) else { continue }
            requests.append(request)
        }
        return requests
    }

    /// 14:00 UTC on `date` plus `minutes`: mid-afternoon in every US time zone, so the day is the center's day too.
    static func instant(_ date: CalendarDate, minutes: Int = 0) -> Date {
        Date(timeIntervalSince1970: Double(date.daysSinceEpoch) * 86_400 + 14 * 3600 + Double(minutes) * 60)
    }

    static func request(for demoCase: DemoCase, planType: PlanType, clocks: DecisionClocks) -> PriorAuthorization? {
        let record = demoCase.record
        let stage = demoCase.events.filter { $0.stage == .priorAuthorization }
        guard let started = stage.first(where: { $0.kind == .started }) else { return nil }
        let number = record.id.rawValue.split(separator: "-").last.map(String.init) ?? record.id.rawValue
        let urgency: Urgency = (Int(number) ?? 0) % 3 == 0 ? .expedited : .standard
        var request = PriorAuthorization(
            id: PriorAuthorizationID("pa-\(number)"), caseID: record.id, patient: record.patientID, center: record.centerID, payer: record.payerID,
            planType: planType, service: .therapy(record.productID), urgency: urgency, createdAt: instant(started.date)
        )
        let policy = clocks.policy(for: planType)
        var step = 0
        func apply(_ action: PriorAuthorizationAction, on date: CalendarDate, reason: String? = nil, items: [String] = []) {
            step += 1
            let transition = PriorAuthorizationTransition(
                id: PriorAuthorizationTransitionID("t\(step)"), action: action, at: max(instant(date, minutes: step), request.transitions.last?.at ?? request.createdAt),
                reason: reason, requestedItems: items, recordedBy: "demo")
            // The demo's journeys were built under the same rules, so a refusal here is a defect.
            do { request = try request.applying(transition, policy: policy) } catch { preconditionFailure("demo PA \(request.id): \(error)") }
        }
        apply(.submit, on: started.date)
        for event in stage {
            switch event.kind {
            case .blocked where event.reason?.hasPrefix("Denied") == true:
                apply(.deny, on: event.date, reason: "Does not meet the plan's criteria on first review")
                apply(.appeal, on: event.date, reason: event.reason ?? "peer-to-peer review and appeal")
            case .blocked:
                apply(.pend, on: event.date, reason: event.reason, items: [event.reason.map(pendItem) ?? "additional documentation"])
            case .unblocked where request.status == .pended:
                apply(.provideInformation, on: event.date)
            case .unblocked where request.status == .appealed:
                apply(.overturn, on: event.date, reason: event.note)
            case .completed where request.status == .submitted || request.status == .pended:
                apply(.approve, on: event.date)
            default: break
            }
        }
        if let lost = demoCase.events.last(where: { $0.kind == .lost }) {
            if request.status == .appealed, lost.lossReason == .denied {
                apply(.uphold, on: lost.date, reason: "Denial upheld on appeal")
            } else if request.status.isOpen {
                // A patient lost while the payer deliberates: the center withdraws the request.
                apply(.withdraw, on: lost.date, reason: "Case closed: \(lost.lossReason?.rawValue ?? "lost")")
            }
        }
        return request
    }

    /// The item a pend asks for, from the demo's pend reasons.
    static func pendItem(_ reason: String) -> String {
        guard let colon = reason.firstIndex(of: ":") else { return reason }
        return reason[reason.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}
