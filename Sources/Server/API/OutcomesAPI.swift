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
            // The outcome file's own parser checks the events, so the API, the CLI and CSV
            // uploads accept and refuse exactly the same things. Errors name the batch
            // position (`events[3].date`); the line would be the re-encoded body's, so it is dropped.
            var file = batch
            file.format = .curepath_outcomesV1
            let json = try JSONEncoder().encode(file)
            do throws(FileValidationError) {
                events = try OutcomeEventFile.parse(json, format: .json, receivedOn: receivedOn)
            } catch {
                throw ValidationError(issues: error.issues.map { .init(field: $0.path.isEmpty ? "events" : $0.path, problem: $0.problem, rule: $0.rule) })
            }
        case .csv(let body):
            let bytes = try await [UInt8](collecting: body, upTo: OutcomeEventFile.maximumBytes)
            do throws(FileValidationError) {
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
