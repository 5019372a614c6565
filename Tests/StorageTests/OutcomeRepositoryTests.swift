import CareNetwork
import Core
import Outcomes
import Storage
import Testing

@Suite("Outcome events")
struct OutcomeRepositoryTests {
    static let day = CalendarDate(year: 2026, month: 3, day: 1)!

    static func event(_ id: String, _ patient: PatientID, _ kind: OutcomeKind, value: String? = nil, days: Int = 0, corrects: String? = nil) -> OutcomeEvent {
        OutcomeEvent(id: OutcomeEventID(id), patientID: patient, date: day.adding(days: days), kind: kind, value: value,
                     source: "test-registry", recordedOn: day.adding(days: days + 3), corrects: corrects.map { OutcomeEventID($0) })
    }

    @Test("a batch is stored exactly; re-sending it changes nothing", arguments: TestDatabase.available)
    func idempotentBatch(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let patient = Fixtures.demo.patients[0].id
            let batch = [
                Self.event("oe-1", patient, .responseAssessment, value: "complete", days: 0),
                Self.event("oe-2", patient, .labValue(test: "factor-ix-activity", value: try ExactDecimal.parse("5.20").get(), unit: "%"), days: 10),
                Self.event("oe-3", patient, .hospitalization(reason: "vaso-occlusive-event"), days: 20),
                Self.event("oe-4", patient, .cytokineReleaseSyndrome(grade: 3), days: 2),
                Self.event("oe-5", patient, .infection(grade: nil), value: "viral", days: 30),
            ]
            #expect(try await store.outcomes.record(batch) == OutcomeBatchResult(recorded: 5, alreadyRecorded: 0))
            #expect(try await store.outcomes.events(of: patient) == batch.sorted { ($0.date, $0.id.rawValue) < ($1.date, $1.id.rawValue) })
            // The same file sent again later: the facts match, so nothing is added and the
            // first recordedOn stands.
            var resent = batch
            for index in resent.indices { resent[index].recordedOn = Self.day.adding(days: 90) }
            #expect(try await store.outcomes.record(resent) == OutcomeBatchResult(recorded: 0, alreadyRecorded: 5))
            #expect(try await store.outcomes.events(of: patient).count == 5)
            #expect(try await store.outcomes.count() == 5)
        }
    }

    @Test("one bad event refuses the whole batch, naming its position and field", arguments: TestDatabase.available)
    func allOrNothing(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let patient = Fixtures.demo.patients[0].id
            let other = Fixtures.demo.patients[1].id
            _ = try await store.outcomes.record([Self.event("oe-1", patient, .death, days: 5)])

            let unknownPatient = [Self.event("oe-10", patient, .transfusion), Self.event("oe-11", PatientID("pat-nobody"), .transfusion)]
            let refusal = try await #require(throws: ValidationError.self) { try await store.outcomes.record(unknownPatient) }
            #expect(refusal.issues.map(\.field) == ["events[1].patientId"])

            let changedFacts = [Self.event("oe-12", patient, .transfusion), Self.event("oe-1", patient, .death, days: 6)]
            let edit = try await #require(throws: ValidationError.self) { try await store.outcomes.record(changedFacts) }
            #expect(edit.issues.map(\.field) == ["events[1].id"])
            #expect(edit.issues.first?.rule == "append-only")

            let foreignCorrection = [Self.event("oe-13", other, .enteredInError, corrects: "oe-1")]
            let foreign = try await #require(throws: ValidationError.self) { try await store.outcomes.record(foreignCorrection) }
            #expect(foreign.issues.map(\.field) == ["events[0].corrects"])

            let missingTarget = [Self.event("oe-14", patient, .enteredInError, corrects: "oe-404")]
            await #expect(throws: ValidationError.self) { try await store.outcomes.record(missingTarget) }

            let invalid = [Self.event("oe-15", patient, .responseAssessment, value: nil)]
            let missingValue = try await #require(throws: ValidationError.self) { try await store.outcomes.record(invalid) }
            #expect(missingValue.issues.map(\.field) == ["events[0].value"])

            // Nothing from any refused batch was written.
            #expect(try await store.outcomes.count() == 1)

            // A correction of one's own earlier event is accepted, and the original stays.
            let correction = [Self.event("oe-16", patient, .enteredInError, days: 5, corrects: "oe-1")]
            #expect(try await store.outcomes.record(correction).recorded == 1)
            #expect(try await store.outcomes.events(of: patient).map(\.id) == ["oe-1", "oe-16"])
        }
    }

    /// A large upload is recorded a chunk at a time inside one transaction; the checks that
    /// span the batch — a repeated ID, a correction of an event further on — must see the
    /// whole batch all the same, and refuse with the very issues a whole batch gets.
    @Test("a batch given two events at a time is checked and recorded exactly as one given whole", arguments: TestDatabase.available)
    func chunkedBatch(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let patient = Fixtures.demo.patients[0].id
            let other = Fixtures.demo.patients[1].id
            _ = try await store.outcomes.record([Self.event("oe-1", patient, .death, days: 5)])

            let refusedBatches: [[OutcomeEvent]] = [
                // The same ID with different facts, two chunks apart.
                [Self.event("oe-20", patient, .transfusion), Self.event("oe-21", patient, .transfusion),
                 Self.event("oe-22", patient, .transfusion), Self.event("oe-23", patient, .transfusion), Self.event("oe-20", patient, .transfusion, days: 1)],
                // A correction of an event further on that is another patient's; an unknown
                // patient in the middle; an edit of a stored event in the last chunk.
                [Self.event("oe-30", patient, .enteredInError, corrects: "oe-33"), Self.event("oe-31", patient, .transfusion),
                 Self.event("oe-32", PatientID("pat-nobody"), .transfusion), Self.event("oe-33", other, .transfusion), Self.event("oe-1", patient, .death, days: 6)],
                // A correction of nothing, last, after two clean chunks.
                [Self.event("oe-40", patient, .transfusion), Self.event("oe-41", patient, .transfusion), Self.event("oe-42", patient, .transfusion),
                 Self.event("oe-43", patient, .transfusion), Self.event("oe-44", patient, .enteredInError, corrects: "oe-404")],
            ]
            for batch in refusedBatches {
                let whole = try await #require(throws: ValidationError.self) { try await store.outcomes.record(batch) }
                let chunked = try await #require(throws: ValidationError.self) { try await store.outcomes.record(chunks: OutcomeEventList(batch, chunkSize: 2)) }
                #expect(chunked.issues == whole.issues)
            }
            let mixed = try await #require(throws: ValidationError.self) {
                try await store.outcomes.record(chunks: OutcomeEventList(refusedBatches[1], chunkSize: 2))
            }
            #expect(mixed.issues.map(\.field) == ["events[0].corrects", "events[2].patientId", "events[4].id"])
            let repeated = try await #require(throws: ValidationError.self) {
                try await store.outcomes.record(chunks: OutcomeEventList(refusedBatches[0], chunkSize: 2))
            }
            #expect(repeated.issues.map(\.problem) == ["'oe-20' appears twice in the batch with different facts (first at events[0])"])
            // The clean chunks before the refused one were rolled back with it.
            #expect(try await store.outcomes.count() == 1)

            // A correction of an event two chunks on, an event sent twice alike, a stored one re-sent.
            let accepted = [Self.event("oe-50", patient, .enteredInError, corrects: "oe-53"), Self.event("oe-51", patient, .transfusion),
                            Self.event("oe-51", patient, .transfusion), Self.event("oe-52", patient, .transfusion),
                            Self.event("oe-53", patient, .transfusion), Self.event("oe-1", patient, .death, days: 5)]
            #expect(try await store.outcomes.record(chunks: OutcomeEventList(accepted, chunkSize: 2)) == OutcomeBatchResult(recorded: 4, alreadyRecorded: 1))
            #expect(try await store.outcomes.count() == 5)
        }
    }
}
