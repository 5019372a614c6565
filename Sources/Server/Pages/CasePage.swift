import CareNetwork
import Core
import Foundation
import Journey
import Storage

/// One case: facts, the timeline, stage table, the form to record an event, the event log
/// and the custody chain.
struct CasePage {
    var session = PageSession.current
    struct StageRow { var name, status, started, ended, days, waiting, blocked, notes: String; var critical: Bool }
    struct EventRow { var sequence: Int; var date, stage, kind, details, recordedAt: String }
    struct CustodyRow { var sequence: Int; var occurredAt, kind, party, collectionId, lot, hashPrefix: String }

    /// What the coordinator typed, kept when the form is shown again with an error.
    struct FormValues {
        var eventID = UUID().uuidString.lowercased()
        var stage = ""
        var kind = "started"
        var date = ""
        var reason = ""
        var lossReason = ""
        var atRiskOverride = ""
    }

    var id, status, statusText, product, center, payer, referralDate, elapsedLabel, patientId: String
    var elapsedDays: Int
    var timeline: String
    var criticalPath: String?
    var pathTarget: String
    var stages: [StageRow]
    var error: String?
    var notice: String?
    var stageOptions: [Option]
    var kindOptions: [Option]
    var lossOptions: [Option]
    var formDate, formReason, formOverride, formEventId: String
    var events: [EventRow]
    var custody: [CustodyRow]
    /// The case's PA requests and agreements, linked; and the templates an agreement can be drafted from.
    struct LinkRow { var id, link, status, detail: String }
    var requests: [LinkRow] = []
    var agreements: [LinkRow] = []
    var templates: [Option] = []
    var canDraftAgreement = false
    var hasCustody: Bool
    var custodyStatus: String
    var custodyClass: String

    init(
        record: Case, metrics: CaseMetrics, events: [RecordedJourneyEvent], custody chain: [CustodyEntry],
        custodyVerification verification: CustodyChain.Verification, directory: Directory, form: FormValues, error: String? = nil, notice: String? = nil
    ) {
        id = record.id.rawValue
        status = metrics.status.rawValue
        // Stage names from the case's own template, which may be a filed one.
        let names = Dictionary(metrics.stages.map { ($0.stage, $0.name) }, uniquingKeysWith: { first, _ in first })
        let label = { (key: StageKey) in names[key] ?? NetworkMetricsLabels.label(key) }
        switch metrics.status {
        case .open:
            let position = CasesPage.openPosition(current: metrics.currentStages, ready: metrics.readyStages, label: label)
            statusText = "open — " + (metrics.currentStages.isEmpty ? position : "in " + position.lowercased())
        case .infused: statusText = "infused on \(metrics.closedOn!)"
        case .lost: statusText = "lost on \(metrics.closedOn!) (\(metrics.lossReason?.rawValue ?? "unknown"))"
        }
        product = directory.product(record.productID)?.name ?? record.productID.rawValue
        center = directory.center(record.centerID)?.name ?? record.centerID.rawValue
        payer = directory.payer(record.payerID)?.name ?? record.payerID.rawValue
        referralDate = record.referralDate.description
        patientId = record.patientID.rawValue
        elapsedLabel = metrics.status == .infused ? "Referral to infusion" : metrics.status == .lost ? "Referral to loss" : "Days since referral"
        elapsedDays = metrics.elapsedDays
        timeline = TimelineChart(metrics: metrics).render()
        criticalPath = metrics.criticalPath.map { path in
            path.steps.map { step in
                let name = label(step.stage)
                return step.waitingDays > 0 ? "(waited \(step.waitingDays)d) \(name) \(step.activeDays)d" : "\(name) \(step.activeDays)d"
            }.joined(separator: " → ")
        }
        pathTarget = metrics.status == .infused ? "infusion date" : "case's current position"
        stages = metrics.stages.map { s in
            var notes = s.blocks.map { "blocked \($0.start)\($0.end.map { "–\($0)" } ?? " (still)"): \($0.reason)" }
            if let override = s.atRiskOverride { notes.append("started at risk: \(override)") }
            return StageRow(
                name: s.name, status: s.status.rawValue, started: s.started?.description ?? "", ended: s.ended?.description ?? "",
                days: s.days.map(String.init) ?? "", waiting: s.waitingDays.map(String.init) ?? "",
                blocked: s.blockedDays > 0 ? String(s.blockedDays) : "", notes: notes.joined(separator: "; "), critical: s.onCriticalPath
            )
        }
        self.error = error
        self.notice = notice
        stageOptions = metrics.stages.map { Option(value: $0.stage.rawValue, label: $0.name, selected: $0.stage.rawValue == form.stage) }
        kindOptions = JourneyEventKind.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == form.kind) }
        lossOptions = LossReason.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == form.lossReason) }
        formDate = form.date.isEmpty ? metrics.asOf.description : form.date
        formReason = form.reason
        formOverride = form.atRiskOverride
        formEventId = form.eventID
        self.events = events.reversed().map { recorded in
            let e = recorded.event
            var details: [String] = []
            if let reason = e.reason { details.append(reason) }
            if let loss = e.lossReason { details.append("loss: \(loss.rawValue)") }
            if let override = e.atRiskOverride { details.append("at risk: \(override)") }
            if let note = e.note { details.append(note) }
            return EventRow(
                sequence: recorded.sequence, date: e.date.description, stage: e.stage.map(label) ?? "—",
                kind: e.kind.rawValue, details: details.joined(separator: "; "), recordedAt: CustodyEntry.timestamp(recorded.recordedAt)
            )
        }
        custody = chain.map {
            CustodyRow(
                sequence: $0.sequence, occurredAt: CustodyEntry.timestamp($0.occurredAt), kind: $0.kind.rawValue, party: $0.party,
                collectionId: $0.collectionID, lot: $0.lot ?? "", hashPrefix: String($0.hash.prefix(12))
            )
        }
        hasCustody = !chain.isEmpty
        if chain.isEmpty, verification.intact {
            custodyStatus = "No custody entries yet: the log starts at cell collection."
            custodyClass = ""
        } else if verification.intact {
            custodyStatus = "Chain intact: \(chain.count) entries, every hash link and MAC verified."
            custodyClass = "intact"
        } else {
            custodyStatus = "Chain broken\(verification.firstBrokenSequence.map { " at entry \($0)" } ?? ""): \(verification.problem ?? "")"
            custodyClass = "broken"
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
