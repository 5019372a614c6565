import CareNetwork
import Core
import Outcomes
import SQLKit

/// Checks and records one batch of outcome events a chunk at a time, inside the caller's
/// transaction, with exactly the rules and messages of checking it whole
/// (``OutcomeRepository/record(_:)``).
///
/// Of the events already seen it keeps only, per ID, the first position, the patient and a
/// fingerprint of the facts — enough to name a repeated ID and to find a correction's
/// target anywhere in the batch — so an 800,000-event batch costs those keys plus one chunk,
/// not 800,000 events and their rows.
///
/// The two kinds of problem keep their order: problems in the events themselves (an event's
/// own checks, the same ID with different facts) are reported alone if there are any; only
/// then problems against the store (already recorded differently, unknown patient, the
/// patient's timeline, corrections), in batch order. Once anything is refused, nothing more
/// is inserted and the caller's transaction is rolled back by the error ``finish()`` throws.
struct OutcomeBatchCheck {
    /// What is kept of an event once its chunk has passed.
    private struct Seen {
        var position: Int
        var patient: PatientID
        /// The event's hash: two events of one batch with equal hashes are taken as the same
        /// facts, as equal events are (a 64-bit collision between different facts is not a
        /// practical concern).
        var facts: Int
    }

    private var seen: [OutcomeEventID: Seen] = [:]
    private var count = 0
    private var eventIssues: [ValidationError.Issue] = []
    private var storeIssues: [(position: Int, issue: ValidationError.Issue)] = []
    /// Corrections whose target was neither seen yet nor stored: it may come later in the batch.
    private var pendingCorrections: [(position: Int, target: OutcomeEventID, patient: PatientID)] = []
    private var recorded = 0
    private var alreadyRecorded = 0

    /// Checks the next chunk and, while nothing has been refused, inserts its new events.
    mutating func add(_ chunk: [OutcomeEvent], in db: any SQLDatabase) async throws {
        let start = count
        count += chunk.count
        var firstHere: [OutcomeEventID] = []
        for (offset, event) in chunk.enumerated() {
            let index = start + offset
            eventIssues += event.issues.map { .init(field: "events[\(index)].\($0.field)", problem: $0.problem, rule: $0.rule) }
            let facts = event.hashValue
            if let earlier = seen[event.id] {
                if earlier.facts != facts {
                    eventIssues.append(.init(field: "events[\(index)].id", problem: "'\(event.id)' appears twice in the batch with different facts (first at events[\(earlier.position)])"))
                }
            } else {
                seen[event.id] = Seen(position: index, patient: event.patientID, facts: facts)
                firstHere.append(event.id)
            }
        }
        // Problems in the events come first and alone; the store is not consulted until there are none.
        guard eventIssues.isEmpty else { return }

        let stored = try await SQLOutcomeRepository.find(ids: firstHere, in: db)
        let timelines = try await SQLOutcomeRepository.timelines(Set(chunk.map(\.patientID)), in: db)
        let correctedIDs = Set(chunk.compactMap(\.corrects)).filter { seen[$0] == nil }
        let corrected = try await SQLOutcomeRepository.find(ids: Array(correctedIDs), in: db)
        var fresh: [OutcomeEvent] = []
        for (offset, event) in chunk.enumerated() where seen[event.id]?.position == start + offset {
            let index = start + offset
            func refuse(_ issue: ValidationError.Issue) { storeIssues.append((index, issue)) }
            if let existing = stored[event.id] {
                if SQLOutcomeRepository.sameFacts(existing, event) { alreadyRecorded += 1; continue }
                refuse(.init(field: "events[\(index)].id", problem: "'\(event.id)' was already recorded with different facts; send a correction (a new event with corrects: \(event.id)) instead", rule: "append-only"))
                continue
            }
            if let timeline = timelines[event.patientID] {
                timeline.issues(event, field: "events[\(index)].date").forEach(refuse)
            } else {
                refuse(.init(field: "events[\(index)].patientId", problem: "no patient '\(event.patientID)'"))
            }
            if let target = event.corrects {
                if let targetPatient = corrected[target]?.patientID ?? seen[target]?.patient {
                    if targetPatient != event.patientID { refuse(Self.anotherPatients(target, at: index)) }
                } else {
                    pendingCorrections.append((index, target, event.patientID))
                }
            }
            fresh.append(event)
        }
        recorded += fresh.count
        guard storeIssues.isEmpty else { return }
        try await insertChunked(db, into: "outcome_events", columns: SQLOutcomeRepository.columns, items: fresh, row: SQLOutcomeRepository.row)
    }

    /// What the batch did, or every problem found, once all its chunks have been added.
    mutating func finish() throws -> OutcomeBatchResult {
        guard eventIssues.isEmpty else { throw ValidationError(issues: eventIssues) }
        for pending in pendingCorrections {
            if let target = seen[pending.target] {
                if target.patient != pending.patient { storeIssues.append((pending.position, Self.anotherPatients(pending.target, at: pending.position))) }
            } else {
                storeIssues.append((pending.position, .init(field: "events[\(pending.position)].corrects", problem: "no outcome event '\(pending.target)' to correct")))
            }
        }
        guard storeIssues.isEmpty else {
            // Stable: an event's own problems stay in the order they were found.
            let ordered = storeIssues.enumerated().sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }
            throw ValidationError(issues: ordered.map(\.element.issue))
        }
        return OutcomeBatchResult(recorded: recorded, alreadyRecorded: alreadyRecorded)
    }

    private static func anotherPatients(_ target: OutcomeEventID, at index: Int) -> ValidationError.Issue {
        .init(field: "events[\(index)].corrects", problem: "'\(target)' is another patient's event")
    }
}
