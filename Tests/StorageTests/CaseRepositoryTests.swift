import CareNetwork
import Core
import Foundation
import Journey
import SQLKit
import Storage
import Testing

@Suite("Cases and journey events")
struct CaseRepositoryTests {
    @Test("opening a case starts its referral; retrying is harmless; reusing the ID is a conflict", arguments: TestDatabase.available)
    func openCase(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let record = Fixtures.newCase()
            #expect(try await store.cases.open(record) == .recorded(sequence: 1))
            #expect(try await store.cases.open(record) == .alreadyRecorded(sequence: 1))
            var other = record
            other.referralDate = other.referralDate.adding(days: 1)
            await #expect(throws: StorageError.self) { try await store.cases.open(other) }
            let events = try await store.cases.events(of: record.id)
            #expect(events.map(\.event.kind) == [.started])
            #expect(events.first?.event.stage == .referral)
            #expect(try await store.cases.find(record.id) == record)
        }
    }

    @Test("an event is validated, stored in sequence, and refreshes the case summary", arguments: TestDatabase.available)
    func recordEvent(database: TestDatabase) async throws {
        try await database.withStore { store in
            let record = try await Fixtures.openCase(in: store)
            let result = try await store.cases.record(Fixtures.event("e1", .started, .benefitsInvestigation, "2026-03-03"), on: record.id, notAfter: nil)
            #expect(result.outcome == .recorded(sequence: 2))
            #expect(result.caseStatus == .open)
            let page = try await store.cases.list(CaseQuery())
            #expect(page.items.first?.currentStages == [.referral, .benefitsInvestigation])
            let history = try #require(try await store.cases.history(of: record.id))
            #expect(history.events.count == 2)
            #expect(history.journey.state(of: .benefitsInvestigation).started == Fixtures.date("2026-03-03"))
        }
    }

    @Test("a refused event names the rule and writes nothing", arguments: TestDatabase.available)
    func refusedEventWritesNothing(database: TestDatabase) async throws {
        try await database.withStore { store in
            let record = try await Fixtures.openCase(in: store)
            let before = try await store.cases.list(CaseQuery()).items
            let error = await #expect(throws: ValidationError.self) {
                try await store.cases.record(Fixtures.event("e-bad", .started, .manufacturing, "2026-03-10"), on: record.id, notAfter: nil)
            }
            #expect(error?.issues.first?.rule == "dependency")
            #expect(error?.issues.first?.field == "stage")
            #expect(try await store.cases.events(of: record.id).count == 1)
            #expect(try await store.cases.list(CaseQuery()).items == before)
            // The refused ID is still free for a correct event.
            let ok = try await store.cases.record(Fixtures.event("e-bad", .started, .benefitsInvestigation, "2026-03-10"), on: record.id, notAfter: nil)
            #expect(ok.outcome == .recorded(sequence: 2))
        }
    }

    @Test("retrying an event is recorded once; the same ID with other content is a conflict", arguments: TestDatabase.available)
    func idempotentRetry(database: TestDatabase) async throws {
        try await database.withStore { store in
            let record = try await Fixtures.openCase(in: store)
            let event = Fixtures.event("e1", .started, .benefitsInvestigation, "2026-03-03")
            _ = try await store.cases.record(event, on: record.id, notAfter: nil)
            let retry = try await store.cases.record(event, on: record.id, notAfter: nil)
            #expect(retry.outcome == .alreadyRecorded(sequence: 2))
            #expect(try await store.cases.events(of: record.id).count == 2)
            var changed = event
            changed.date = Fixtures.date("2026-03-04")
            await #expect(throws: StorageError.self) { try await store.cases.record(changed, on: record.id, notAfter: nil) }
        }
    }

    @Test("concurrent writers on one case never lose or duplicate an event", arguments: TestDatabase.available)
    func concurrentWriters(database: TestDatabase) async throws {
        try await database.withStore { store in
            let record = try await Fixtures.openCase(in: store)
            _ = try await store.cases.record(Fixtures.event("bi", .started, .benefitsInvestigation, "2026-03-03"), on: record.id, notAfter: nil)
            // 12 block/unblock pairs would conflict if applied out of order; distinct notes on
            // the other stages' starts do not. Each writer tries one event; all must land once.
            let stages: [StageKey] = [.priorAuthorization, .financialAgreement]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, stage) in stages.enumerated() {
                    for attempt in 0..<4 {
                        group.addTask {
                            // Same ID from four writers: exactly one records, three find it recorded.
                            _ = try await store.cases.record(Fixtures.event("s\(index)", .started, stage, "2026-03-04"), on: record.id, notAfter: nil)
                            _ = attempt
                        }
                    }
                }
                try await group.waitForAll()
            }
            let events = try await store.cases.events(of: record.id)
            #expect(events.map(\.sequence) == Array(1...4))
            #expect(Set(events.map(\.event.id)).count == 4)
        }
    }

    @Test("a bulk import validates every event and writes all or nothing", arguments: TestDatabase.available)
    func importAllOrNothing(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            var cases = Fixtures.demo.cases.map { (record: $0.record, events: $0.events) }
            // Break the last case: infusion before anything else.
            let last = cases.count - 1
            cases[last].events.append(Fixtures.event("bad-infusion", .completed, .infusion, cases[last].record.referralDate.description))
            let error = await #expect(throws: ValidationError.self) { try await store.cases.importCases(cases, progress: nil) }
            #expect(error?.issues.first?.field.hasPrefix("cases[\(last)].events[") == true)
            #expect(try await store.cases.caseCount() == 0)
            cases[last].events.removeLast()
            try await store.cases.importCases(cases, progress: nil)
            #expect(try await store.cases.caseCount() == cases.count)
        }
    }

    @Test("stored summaries equal the ones the domain computes", arguments: TestDatabase.available)
    func summariesMatchDomain(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            try await store.cases.importCases(Fixtures.demo.cases.map { (record: $0.record, events: $0.events) }, progress: nil)
            let stored = Dictionary(uniqueKeysWithValues: try await store.cases.summaries(JourneyFilter()).map { ($0.caseID, $0) })
            for demoCase in Fixtures.demo.cases {
                let expected = CaseSummary(case: demoCase.record, journey: try demoCase.journey())
                #expect(stored[demoCase.record.id] == expected)
            }
            let metrics = NetworkMetrics(summaries: stored.values)
            #expect(metrics.caseCount == Fixtures.demo.cases.count)
        }
    }

    @Test("lists filter, count and page", arguments: TestDatabase.available)
    func listing(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            try await store.cases.importCases(Fixtures.demo.cases.map { (record: $0.record, events: $0.events) }, progress: nil)
            let all = try await store.cases.list(CaseQuery(limit: 15))
            #expect(all.total == 40)
            #expect(all.items.count == 15)
            let rest = try await store.cases.list(CaseQuery(limit: 15, offset: 30))
            #expect(rest.items.count == 10)
            #expect(Set(all.items.map(\.caseID)).isDisjoint(with: rest.items.map(\.caseID)))
            let center = Fixtures.demo.centers[0].id
            let atCenter = try await store.cases.list(CaseQuery(filter: JourneyFilter(centerID: center), limit: 100))
            #expect(atCenter.total == Fixtures.demo.cases.filter { $0.record.centerID == center }.count)
            #expect(atCenter.items.allSatisfy { $0.centerID == center })
            let infused = try await store.cases.list(CaseQuery(status: .infused, limit: 100))
            #expect(infused.items.allSatisfy { $0.status == .infused })
            let expected = try Fixtures.demo.cases.filter { try $0.journey().status == .infused }.count
            #expect(infused.total == expected)
        }
    }

    @Test("recording on a missing case is not found", arguments: TestDatabase.available)
    func missingCase(database: TestDatabase) async throws {
        try await database.withStore { store in
            await #expect(throws: NotFoundError.self) {
                try await store.cases.record(Fixtures.event("x", .started, .benefitsInvestigation, "2026-01-01"), on: "case-none", notAfter: nil)
            }
            let absent = try await store.cases.history(of: "case-none") == nil
            #expect(absent)
        }
    }
}

@Suite("Network import")
struct NetworkImportTests {
    @Test("a whole network imports in one transaction: one bad custody record and nothing is written", arguments: TestDatabase.available)
    func allOrNothing(database: TestDatabase) async throws {
        try await database.withStore { store in
            let demo = Fixtures.demo
            var custody = demo.custodyRecords()
            custody[0].records.append(custody[0].records[0])  // a second collection
            let network = NetworkImport(
                directory: demo.directory, patients: demo.patients, identifiers: demo.personalIdentifiers, coverage: demo.coveragePeriods,
                cases: demo.cases.map { (record: $0.record, events: $0.events) }, custody: custody
            )
            await #expect(throws: ValidationError.self) { try await store.importNetwork(network) }
            #expect(try await store.reference.directory().isEmpty)
            #expect(try await store.cases.caseCount() == 0)
            custody[0].records.removeLast()
            var fixed = network
            fixed.custody = custody
            try await store.importNetwork(fixed)
            #expect(try await store.cases.caseCount() == demo.cases.count)
            #expect(try await store.reference.patientCount() == demo.patients.count)
        }
    }
}

@Suite("Case scope")
struct CaseScopeTests {
    @Test("a center sees its cases; a payer the cases of patients it covers or covered; none sees nothing", arguments: TestDatabase.available)
    func scopes(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            try await store.cases.importCases(Fixtures.demo.cases.map { (record: $0.record, events: $0.events) }, progress: nil)
            let center = Fixtures.demo.centers[0].id
            let atCenter = try await store.cases.list(CaseQuery(scope: .center(center), limit: 500))
            #expect(atCenter.total == Fixtures.demo.cases.filter { $0.record.centerID == center }.count)
            // A payer that covered a patient at any time sees that patient's case.
            let churned = try #require(Dictionary(grouping: Fixtures.demo.coveragePeriods, by: \.patientID).first { periods in
                Set(periods.value.map(\.payerID)).count > 1
            })
            let laterPayer = churned.value.max { $0.start < $1.start }!.payerID
            let payerView = try await store.cases.list(CaseQuery(scope: .payer(laterPayer), limit: 500))
            let expected = Set(Fixtures.demo.cases.filter { demoCase in
                demoCase.record.payerID == laterPayer
                    || Fixtures.demo.coveragePeriods.contains { $0.patientID == demoCase.record.patientID && $0.payerID == laterPayer }
            }.map(\.record.id))
            #expect(Set(payerView.items.map(\.caseID)) == expected)
            #expect(payerView.total == expected.count)
            let nothing = try await store.cases.list(CaseQuery(scope: .none, limit: 500))
            #expect(nothing.total == 0)
            let some = Fixtures.demo.cases.first { $0.record.centerID != center }!.record.id
            #expect(try await !store.cases.isCase(some, in: .center(center)))
            #expect(try await store.cases.isCase(some, in: .all))
        }
    }
}
