import APIContract
import Access
import CareNetwork
import Core
import Foundation
import OpenAPIRuntime
import Outcomes
import Storage

extension CurePathAPI {
    func recordOutcomeEvents(_ input: Operations.RecordOutcomeEvents.Input) async throws -> Operations.RecordOutcomeEvents.Output {
        let receivedOn = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: clock())
        let events: [OutcomeEvent]
        switch input.body {
        case .json(let batch):
            events = try Self.outcomeEvents(batch.events, receivedOn: receivedOn)
        case .csv(let body):
            let bytes = try await [UInt8](collecting: body, upTo: OutcomeEventFile.maximumBytes)
            do {
                events = try OutcomeEventFile.parse(bytes, format: .csv, receivedOn: receivedOn)
            } catch {
                throw error.validationError
            }
        }
        try await requireOutcomeWriteScope(events)
        let result = try await store.outcomes.record(events)
        let body = Components.Schemas.OutcomeBatchResult(recorded: result.recorded, alreadyRecorded: result.alreadyRecorded)
        return result.recorded > 0 ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    func listOutcomeEvents(_ input: Operations.ListOutcomeEvents.Input) async throws -> Operations.ListOutcomeEvents.Output {
        let id: PatientID = try Identifier.validated(input.path.patientId, field: "patientId")
        guard try await store.reference.patient(id) != nil else { throw NotFoundError(entity: "patient", id: id.rawValue) }
        try await requirePatientVisible(id)
        let events = try await store.outcomes.events(of: id)
        return .ok(.init(body: .json(.init(items: events.map(Components.Schemas.OutcomeEvent.init)))))
    }

    /// A center records outcomes only for the patients of its own cases; the mediator and
    /// the registry for any patient. Outside that scope the patient is "not found", as on
    /// every other route.
    func requireOutcomeWriteScope(_ events: [OutcomeEvent]) async throws {
        guard let organization = RequestIdentity.current?.principal.organization else { throw NotFoundError(entity: "patient", id: "") }
        switch organization.kind {
        case .mediator, .registry: return
        case .center:
            var checked = Set<PatientID>()
            for (index, event) in events.enumerated() where checked.insert(event.patientID).inserted {
                let centers = try await store.cases.centers(ofPatient: event.patientID)
                guard let center = organization.centerID, centers.contains(center) else {
                    throw ValidationError(field: "events[\(index)].patientId", problem: "no patient '\(event.patientID)' among this center's cases")
                }
            }
        case .payer, .manufacturer:
            throw NotFoundError(entity: "patient", id: events.first?.patientID.rawValue ?? "")
        }
    }

    /// The API's JSON events, checked as the file parser checks them: every problem, each
    /// named by its position (`events[3].value`).
    static func outcomeEvents(_ items: [Components.Schemas.OutcomeEvent], receivedOn: CalendarDate) throws(ValidationError) -> [OutcomeEvent] {
        var issues: [ValidationError.Issue] = []
        var events: [OutcomeEvent] = []
        events.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let path = "events[\(index)]"
            func date(_ text: String?, _ field: String) -> CalendarDate? {
                guard let text else { return nil }
                guard let date = CalendarDate(iso8601: text) else {
                    issues.append(.init(field: "\(path).\(field)", problem: "'\(text.prefix(40))' is not a calendar date (YYYY-MM-DD)"))
                    return nil
                }
                return date
            }
            let happened = date(item.date, "date")
            let recordedOn = date(item.recordedOn, "recordedOn") ?? receivedOn
            if recordedOn > receivedOn {
                issues.append(.init(field: "\(path).recordedOn", problem: "\(recordedOn) is after today (\(receivedOn))", rule: "time-order"))
            }
            var value = item.value
            let kind: OutcomeKind
            switch item.kind {
            case .responseAssessment: kind = .responseAssessment
            case .transfusion: kind = .transfusion
            case .hospitalization:
                guard let reason = item.reason else {
                    issues.append(.init(field: "\(path).reason", problem: "is required for a hospitalization"))
                    continue
                }
                kind = .hospitalization(reason: reason)
            case .death: kind = .death
            case .labValue:
                guard let test = item.test, let unit = item.unit, let text = item.value else {
                    issues.append(.init(field: "\(path).\(item.test == nil ? "test" : item.unit == nil ? "unit" : "value")", problem: "is required for a lab value"))
                    continue
                }
                switch ExactDecimal.parse(text) {
                case .success(let number): kind = .labValue(test: test, value: number, unit: unit)
                case .failure(let failure):
                    issues.append(.init(field: "\(path).value", problem: failure.description))
                    continue
                }
                value = nil
            case .subsequentTherapy: kind = .subsequentTherapy
            case .lostToFollowUp: kind = .lostToFollowUp
            case .enteredInError: kind = .enteredInError
            }
            guard let happened else { continue }
            let event = OutcomeEvent(
                id: OutcomeEventID(item.id), patientID: PatientID(item.patientId), date: happened, kind: kind, value: value,
                source: item.source, recordedOn: recordedOn, corrects: item.corrects.map { OutcomeEventID($0) })
            let found = event.issues
            if found.isEmpty {
                events.append(event)
            } else {
                issues += found.map { .init(field: "\(path).\($0.field)", problem: $0.problem, rule: $0.rule) }
            }
        }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        return events
    }
}

extension Components.Schemas.OutcomeEvent {
    init(_ event: OutcomeEvent) {
        let fields = event.flatFields
        self.init(
            id: event.id.rawValue, patientId: event.patientID.rawValue, date: event.date.description,
            kind: .init(rawValue: event.kind.code.rawValue)!, reason: fields.reason, test: fields.test, value: fields.value, unit: fields.unit,
            source: event.source, recordedOn: event.recordedOn.description, corrects: event.corrects?.rawValue)
    }
}
