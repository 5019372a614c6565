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
        var upload: UploadedOutcomes
        var notices: [ValidationError.Issue] = []
        let vocabulary = try await store.outcomeVocabulary()
        switch input.body {
        case .json(let batch):
            // The outcome file's own parser checks the events, so the API, the CLI and CSV
            // uploads accept and refuse exactly the same things. Errors name the batch
            // position (`events[3].date`); the line would be the re-encoded body's, so it is dropped.
            var file = batch
            file.format = .curepath_outcomesV1
            let json = try JSONEncoder().encode(file)
            do throws(FileValidationError) {
                let reading = try OutcomeEventFile.read(json, format: .json, receivedOn: receivedOn, vocabulary: vocabulary)
                upload = UploadedOutcomes(.list(OutcomeEventList(reading.events)))
                notices = reading.notices.map { .init(field: $0.path, problem: $0.problem, rule: $0.rule) }
            } catch {
                throw ValidationError(issues: error.issues.map { .init(field: $0.path.isEmpty ? "events" : $0.path, problem: $0.problem, rule: $0.rule) })
            }
        case .csv(let body):
            // The middleware has read the body (within the route's 50 MiB); its bytes are used
            // where they are, and the file's events are read from them a chunk at a time.
            let bytes: [UInt8]
            if let read = RawRequestBody.current { bytes = read } else {
                bytes = try await [UInt8](body: body, limit: OutcomeEventFile.maximumBytes, describedAs: "an outcome event file")
            }
            do throws(FileValidationError) {
                let file = try OutcomeCSVChunks(checking: bytes, receivedOn: receivedOn, vocabulary: vocabulary)
                upload = UploadedOutcomes(.csv(file))
                notices = file.notices.map(\.located)
            } catch {
                throw error.validationError
            }
        }
        if input.query.identifiedBy == .record { upload.linkedPatients = try await linkedPatients(of: upload) }
        try await requireOutcomeWriteScope(upload)
        // Who reported an outcome is who sent it: a body cannot claim to be the registry.
        upload.source = RequestIdentity.current?.principal.organization.id.rawValue
        let result = try await store.outcomes.record(chunks: upload)
        let body = Components.Schemas.OutcomeBatchResult(
            recorded: result.recorded, alreadyRecorded: result.alreadyRecorded,
            notices: notices.isEmpty ? nil : notices.map { .init(field: $0.field, problem: $0.problem, rule: $0.rule) })
        return result.recorded > 0 ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    /// A FHIR Bundle's outcomes, reported by the caller's organization; all or none, like a batch.
    func importOutcomeEventsFHIR(_ input: Operations.ImportOutcomeEventsFHIR.Input) async throws -> Operations.ImportOutcomeEventsFHIR.Output {
        guard let organization = RequestIdentity.current?.principal.organization else { throw NotFoundError(entity: "patient", id: "") }
        let source = organization.id.rawValue
        let intake = try await OutcomeBundleIntake.read(
            RawRequestBody.current ?? [], source: source, receivedOn: utcToday(), store: store, linkedRecordsOf: source,
            writable: { patient in try await mayRecordOutcomes(for: patient) })
        guard intake.result.isAccepted else {
            throw ValidationError(issues: intake.result.errors.map { .init(field: $0.path, problem: $0.problem) })
        }
        try await requireOutcomeWriteScope(OutcomeEventList(intake.events))
        let result: OutcomeBatchResult
        do {
            result = try await store.outcomes.record(intake.events)
        } catch let error as ValidationError {
            throw ValidationError(issues: error.issues.map(intake.located))
        }
        let body = Components.Schemas.OutcomeBundleResult(
            recorded: result.recorded, alreadyRecorded: result.alreadyRecorded, withdrawnNeverRecorded: intake.ignoredWithdrawals,
            unmapped: intake.result.unmapped.map { .init(entry: $0.entryIndex, resourceType: $0.resourceType, id: $0.resourceID, codes: $0.codes, reason: $0.reason) })
        return result.recorded > 0 ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    func listOutcomeEvents(_ input: Operations.ListOutcomeEvents.Input) async throws -> Operations.ListOutcomeEvents.Output {
        let id: PatientID = try Identifier.validated(input.path.patientId, field: "patientId")
        let (limit, offset) = try Parse.page(limit: input.query.limit, offset: input.query.offset, maximum: 1000)
        try await requirePatientVisible(id)
        let (events, total) = try await store.outcomes.events(of: id, limit: limit, offset: offset)
        return .ok(.init(body: .json(.init(items: events.map(Components.Schemas.OutcomeEvent.init), total: total, limit: limit, offset: offset))))
    }

    /// The patient each sender's record ID — an event's `patientId` under `identifiedBy=record`
    /// — was linked to; every record that is not linked is named at once, and nothing is recorded.
    func linkedPatients(of batch: UploadedOutcomes) async throws -> [PatientID: PatientID] {
        guard let source = RequestIdentity.current?.principal.organization.id.rawValue else { throw NotFoundError(entity: "patient", id: "") }
        var batch = batch
        var resolved: [PatientID: PatientID] = [:]
        var unlinked: Set<PatientID> = []
        var issues: [ValidationError.Issue] = []
        var index = 0
        while let chunk = batch.next() {
            for event in chunk {
                defer { index += 1 }
                let record = event.patientID
                if resolved[record] == nil, !unlinked.contains(record) {
                    // A record linked to a patient the sender may not report on reads as not
                    // linked: the answer must not say the record matched someone else's patient.
                    if let patient = try await store.linkage.patient(source: source, recordID: record.rawValue),
                       try await mayRecordOutcomes(for: patient) {
                        resolved[record] = patient
                    } else {
                        unlinked.insert(record)
                    }
                }
                guard resolved[record] == nil else { continue }
                issues.append(.init(field: "events[\(index)].patientId", problem: "record '\(record)' of \(source) is not linked to a patient; link it first (POST /linkage/tokens or /linkage/clks)"))
            }
        }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        return resolved
    }

    /// Whether the caller may record outcomes for `patient`: a center for the patients of its
    /// own cases, the mediator and the registry for any patient, nobody else.
    func mayRecordOutcomes(for patient: PatientID) async throws -> Bool {
        guard let organization = RequestIdentity.current?.principal.organization else { return false }
        switch organization.kind {
        case .mediator, .registry: return true
        case .center:
            guard let center = organization.centerID else { return false }
            return try await store.cases.centers(ofPatient: patient).contains(center)
        case .payer, .manufacturer, .policy: return false
        }
    }

    /// A center records outcomes only for the patients of its own cases; the mediator and
    /// the registry for any patient. Outside that scope the patient is "not found", as on
    /// every other route.
    func requireOutcomeWriteScope(_ batch: some OutcomeEventChunks) async throws {
        guard let kind = RequestIdentity.current?.principal.organization.kind else { throw NotFoundError(entity: "patient", id: "") }
        var batch = batch
        if kind == .payer || kind == .manufacturer || kind == .policy {
            throw NotFoundError(entity: "patient", id: try await batch.next()?.first?.patientID.rawValue ?? "")
        }
        var checked = Set<PatientID>()
        var index = 0
        while let chunk = try await batch.next() {
            for event in chunk {
                defer { index += 1 }
                guard checked.insert(event.patientID).inserted else { continue }
                guard try await mayRecordOutcomes(for: event.patientID) else {
                    // Not the patient ID: under `identifiedBy=record` it came from a link the
                    // center may not see, and echoing it would disclose whom the record matched.
                    throw ValidationError(field: "events[\(index)].patientId", problem: "is not a patient of this center's cases")
                }
            }
        }
        RequestIdentity.touch(checked.map { "patient:\($0)" }.sorted())
    }
}

extension Components.Schemas.OutcomeEvent {
    init(_ event: OutcomeEvent) {
        let details = event.details
        self.init(
            id: event.id.rawValue, patientId: event.patientID.rawValue, date: event.date.description,
            kind: .init(rawValue: event.kind.code.rawValue)!, reason: details.reason, test: details.test, value: details.value, unit: details.unit,
            grade: event.kind.grade, source: event.source, recordedOn: event.recordedOn.description, corrects: event.corrects?.rawValue)
    }
}
