import CareNetwork
import Core
import Foundation
import Journey
import SQLKit

extension SQLCaseRepository {
    /// For steps recorded elsewhere (a PA decision, a signed agreement) that move the case's
    /// journey: replays the journey, asks `events` what the step implies, and records those
    /// events under the journey's own rules; any refusal aborts the whole transaction.
    static func recordImpliedEvents(for record: Case, at instant: Date, in db: any SQLDatabase, events: (CaseJourney, CalendarDate) -> [JourneyEvent]) async throws {
        let zone = try await db.select().column("time_zone").from("centers").where("id", .equal, record.centerID.rawValue).first()
            .flatMap { try TimeZone(identifier: $0.string("time_zone")) } ?? TimeZone(identifier: "UTC")!
        let date = CalendarDate.today(in: zone, now: instant)
        let stored = try await SQLCaseRepository.events(of: record.id, in: db)
        var journey = try CaseJourney(template: try await SQLJourneyTemplateRepository.template(of: record, in: db), referralDate: record.referralDate, events: stored.map(\.event))
        let implied = events(journey, date)
        guard !implied.isEmpty else { return }
        var sequence = stored.last?.sequence ?? 0
        var rows: [(CaseID, Int, JourneyEvent)] = []
        for event in implied {
            do { try journey.record(event) } catch {
                throw ValidationError(issues: error.issues.map { .init(field: "journey.\($0.field)", problem: "the case's journey refuses this step: \($0.problem)", rule: $0.rule) })
            }
            sequence += 1
            rows.append((record.id, sequence, event))
        }
        try await SQLCaseRepository.insertEvents(rows, recordedAt: instant, into: db)
        try await SQLCaseRepository.updateSummary(CaseSummary(case: record, journey: journey), eventCount: sequence, in: db)
    }

}
