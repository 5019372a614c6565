import CareNetwork
import Core
import Foundation
import Journey
import Storage

/// A journey event as submitted through the API or a page form, before it is a domain value.
struct JourneyEventInput {
    var id: String?
    var kind: String
    var stage: String?
    var date: String
    var reason: String?
    var lossReason: String?
    var atRiskOverride: String?
    var note: String?

    func event() throws(ValidationError) -> JourneyEvent {
        guard let kind = JourneyEventKind(rawValue: kind) else {
            throw ValidationError(field: "kind", problem: "must be one of \(JourneyEventKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let lossReason = try lossReason.map { raw throws(ValidationError) -> LossReason in
            guard let reason = LossReason(rawValue: raw) else {
                throw ValidationError(field: "lossReason", problem: "must be one of \(LossReason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return reason
        }
        let stage = try Parse.text(stage, field: "stage", maxLength: 64)
        if kind != .lost, stage == nil { throw ValidationError(field: "stage", problem: "is required for a '\(kind.rawValue)' event") }
        if kind == .lost, stage != nil { throw ValidationError(field: "stage", problem: "must be empty for a 'lost' event: the whole case is lost") }
        let eventID: JourneyEventID = try Parse.identifier(id, field: "id") ?? JourneyEventID("evt-\(UUID().uuidString.lowercased())")
        return JourneyEvent(
            id: eventID, kind: kind, stage: stage.map { StageKey(rawValue: $0) }, date: try CalendarDate.parse(date, field: "date"),
            reason: try Parse.text(reason, field: "reason"), lossReason: lossReason,
            atRiskOverride: try Parse.text(atRiskOverride, field: "atRiskOverride"), note: try Parse.text(note, field: "note")
        )
    }
}

extension CurePathAPI {
    /// Records a journey event on a case: the one path the API and the case page share, so
    /// both refuse the same input with the same words.
    ///
    /// The case is looked up in the caller's scope first (a case outside it is "not found"
    /// before anything about the event is checked, and is named on the audit row), then the
    /// event is read, and the journey rules refuse an event dated after today at the case's
    /// center.
    func record(_ input: JourneyEventInput, onCase rawID: String) async throws -> (caseID: CaseID, result: RecordingResult) {
        let id: CaseID = try Identifier.validated(rawID, field: "caseId")
        try await requireInScope(id)
        guard let record = try await store.cases.find(id) else { throw NotFoundError(entity: "case", id: id.rawValue) }
        let event = try input.event()
        let center = try await store.reference.directory().center(record.centerID)
        return (id, try await store.cases.record(event, on: id, notAfter: today(at: center)))
    }
}
