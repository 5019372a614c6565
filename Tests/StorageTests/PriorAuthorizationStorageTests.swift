import CareNetwork
import Core
import Coverage
import Criteria
import Foundation
import Journey
import Storage
import Testing

@Suite("Prior authorization storage")
struct PriorAuthorizationStorageTests {
    /// 2026-03-03 15:00 UTC, the day after the fixture case's referral.
    static let filedAt = Date(timeIntervalSince1970: 1_772_550_000)
    static let hour: TimeInterval = 3600

    static func filing(_ id: String = "pa-1", service: RequestedService = RequestedService(kind: .transplant)) -> PriorAuthorizationFiling {
        PriorAuthorizationFiling(id: PriorAuthorizationID(id), caseID: "case-test-1", service: service, urgency: .expedited)
    }

    static func step(_ id: String, _ action: PriorAuthorizationAction, hours: Double, reason: String? = nil, items: [String] = [], service: RequestedService? = nil) -> PriorAuthorizationTransition {
        PriorAuthorizationTransition(id: PriorAuthorizationTransitionID(id), action: action, at: filedAt.addingTimeInterval(hours * hour), reason: reason,
                                     requestedItems: items, service: service)
    }

    /// Opens the fixture case and starts benefits investigation, which prior authorization waits for.
    static func caseReadyForAuthorization(_ store: Store) async throws -> Case {
        let record = try await Fixtures.openCase(in: store)
        _ = try await store.cases.record(Fixtures.event("bi", .started, .benefitsInvestigation, "2026-03-02"), on: record.id, notAfter: nil)
        return record
    }

    @Test("filing starts the case's PA stage; the lifecycle moves it; retries change nothing", arguments: TestDatabase.available)
    func lifecycle(database: TestDatabase) async throws {
        try await database.withStore(now: { Self.filedAt }) { store in
            let record = try await Self.caseReadyForAuthorization(store)
            let (filed, created) = try await store.priorAuthorizations.file(Self.filing(), at: Self.filedAt, scope: .center(record.centerID))
            #expect(created)
            #expect(filed.status == .draft)
            #expect(filed.patient == record.patientID)
            #expect(try await store.priorAuthorizations.file(Self.filing(), at: Self.filedAt, scope: .all).created == false)
            var conflicting = Self.filing()
            conflicting.urgency = .standard
            await #expect(throws: StorageError.self) { try await store.priorAuthorizations.file(conflicting, at: Self.filedAt, scope: .all) }
            #expect(try await store.cases.history(of: record.id)?.journey.state(of: .priorAuthorization).status == .inProgress)

            let steps = [
                Self.step("t1", .submit, hours: 1),
                Self.step("t2", .revise, hours: 5, reason: "team chose CAR-T", service: .therapy(record.productID)),
                Self.step("t3", .pend, hours: 20, items: ["echocardiogram within 30 days"]),
            ]
            var request = filed
            for step in steps { request = try await store.priorAuthorizations.apply(step, to: filed.id, scope: .all).request }
            #expect(request.status == .pended)
            #expect(request.service == .therapy(record.productID))
            #expect(request.dueAt == Self.filedAt.addingTimeInterval(73 * Self.hour))
            let pendedJourney = try #require(try await store.cases.history(of: record.id)?.journey)
            #expect(pendedJourney.state(of: .priorAuthorization).status == .blocked)

            // A retry of the pend is recognised; the same id with other content is a conflict.
            #expect(try await store.priorAuthorizations.apply(steps[2], to: filed.id, scope: .all).applied == false)
            await #expect(throws: StorageError.self) {
                try await store.priorAuthorizations.apply(Self.step("t3", .pend, hours: 21, items: ["other"]), to: filed.id, scope: .all)
            }
            // A step out of order is refused and changes nothing.
            await #expect(throws: ValidationError.self) {
                try await store.priorAuthorizations.apply(Self.step("t4", .appeal, hours: 22, reason: "x"), to: filed.id, scope: .all)
            }
            #expect(try await store.priorAuthorizations.find(filed.id, scope: .all)?.transitions.count == 3)

            request = try await store.priorAuthorizations.apply(Self.step("t4", .provideInformation, hours: 30), to: filed.id, scope: .all).request
            request = try await store.priorAuthorizations.apply(Self.step("t5", .approve, hours: 40), to: filed.id, scope: .all).request
            #expect(request.status == .approved)
            #expect(request.decidedOnTime(now: Self.filedAt.addingTimeInterval(100 * Self.hour)) == true)
            let stored = try #require(try await store.priorAuthorizations.find(filed.id, scope: .all))
            #expect(stored == request)
            #expect(try await store.cases.history(of: record.id)?.journey.state(of: .priorAuthorization).status == .completed)
        }
    }

    @Test("a request outside the caller's scope is not found; a step the journey refuses writes nothing", arguments: TestDatabase.available)
    func scopeAndJourneyRefusal(database: TestDatabase) async throws {
        try await database.withStore(now: { Self.filedAt }) { store in
            let record = try await Fixtures.openCase(in: store)
            // Benefits investigation has not started, so the PA stage cannot start either.
            let refusal = try await #require(throws: ValidationError.self) { try await store.priorAuthorizations.file(Self.filing(), at: Self.filedAt, scope: .all) }
            #expect(refusal.issues.first?.field.hasPrefix("journey.") == true)
            #expect(try await store.priorAuthorizations.find("pa-1", scope: .all) == nil)
            _ = try await store.cases.record(Fixtures.event("bi", .started, .benefitsInvestigation, "2026-03-02"), on: record.id, notAfter: nil)
            await #expect(throws: NotFoundError.self) { try await store.priorAuthorizations.file(Self.filing(), at: Self.filedAt, scope: .center("ctr-elsewhere")) }
            _ = try await store.priorAuthorizations.file(Self.filing(), at: Self.filedAt, scope: .center(record.centerID))
            #expect(try await store.priorAuthorizations.find("pa-1", scope: .payer("pay-other")) == nil)
            #expect(try await store.priorAuthorizations.find("pa-1", scope: .payer(record.payerID)) != nil)
            await #expect(throws: NotFoundError.self) {
                try await store.priorAuthorizations.apply(Self.step("t1", .submit, hours: 1), to: "pa-1", scope: .center("ctr-elsewhere"))
            }
        }
    }

    @Test("the work queue orders by due time and counts overdue and due-soon requests", arguments: TestDatabase.available)
    func queue(database: TestDatabase) async throws {
        try await database.withStore(now: { Self.filedAt }) { store in
            let record = try await Self.caseReadyForAuthorization(store)
            // Bulk-loaded requests on the same case: one overdue, one due soon, one on time, one draft, one decided.
            func request(_ id: String, submittedHoursAgo: Double?, decided: Bool = false) throws -> PriorAuthorization {
                var pa = PriorAuthorization(id: PriorAuthorizationID(id), caseID: record.id, patient: record.patientID, center: record.centerID, payer: record.payerID,
                                            planType: .medicaid, service: .therapy(record.productID), urgency: .expedited, createdAt: Self.filedAt.addingTimeInterval(-200 * Self.hour))
                if let ago = submittedHoursAgo {
                    pa = try pa.applying(Self.step("\(id)-s", .submit, hours: -ago), policy: DecisionClocks.cmsDefaults.policy(for: .medicaid))
                    if decided { pa = try pa.applying(Self.step("\(id)-a", .approve, hours: -ago + 1), policy: DecisionClocks.cmsDefaults.policy(for: .medicaid)) }
                }
                return pa
            }
            try await store.priorAuthorizations.importRequests([
                try request("pa-late", submittedHoursAgo: 80), try request("pa-soon", submittedHoursAgo: 60), try request("pa-fresh", submittedHoursAgo: 2),
                try request("pa-draft", submittedHoursAgo: nil), try request("pa-done", submittedHoursAgo: 10, decided: true),
            ])
            let page = try await store.priorAuthorizations.queue(PriorAuthorizationQuery(scope: .center(record.centerID)), now: Self.filedAt)
            #expect(page.items.map(\.id.rawValue) == ["pa-late", "pa-soon", "pa-fresh", "pa-draft"])
            #expect((page.total, page.open, page.overdue, page.dueSoon) == (4, 4, 1, 1))
            let overdue = try await store.priorAuthorizations.queue(PriorAuthorizationQuery(scope: .payer(record.payerID), clock: .overdue), now: Self.filedAt)
            #expect(overdue.items.map(\.id.rawValue) == ["pa-late"])
            let dueSoon = try await store.priorAuthorizations.queue(PriorAuthorizationQuery(scope: .all, clock: .dueSoon), now: Self.filedAt)
            #expect(dueSoon.items.map(\.id.rawValue) == ["pa-soon"])
            let approved = try await store.priorAuthorizations.queue(PriorAuthorizationQuery(scope: .all, status: .approved), now: Self.filedAt)
            #expect(approved.items.map(\.id.rawValue) == ["pa-done"])
            #expect(try await store.priorAuthorizations.queue(PriorAuthorizationQuery(scope: .center("ctr-elsewhere")), now: Self.filedAt).total == 0)
        }
    }

    @Test("criteria versions only go up and a changed file needs a new version", arguments: TestDatabase.available)
    func criteriaVersions(database: TestDatabase) async throws {
        try await database.withStore { store in
            let text = try String(contentsOf: Self.exampleURL("heartland-yescarta-lbcl-label.yaml"), encoding: .utf8)
            let set = try CriteriaFile.parse(text)
            #expect(try await store.criteria.store(set, document: text) == .stored(version: set.version))
            #expect(try await store.criteria.store(set, document: text) == .alreadyStored(version: set.version))
            await #expect(throws: StorageError.self) { try await store.criteria.store(set, document: text + "\n# edited\n") }
            var older = set
            older.version = set.version - 1
            let refusal = try await #require(throws: ValidationError.self) { try await store.criteria.store(older, document: text) }
            #expect(refusal.issues.first?.field == "version")
            #expect(try await store.criteria.latestVersions().map(\.id) == [set.id])
            #expect(try await store.criteria.set(set.id, version: nil) == set)
            #expect(try await store.criteria.document(of: set.id, version: set.version) == text)
        }
    }

    @Test("clinical facts keep every version; saving the same facts again adds none", arguments: TestDatabase.available)
    func clinicalFactsVersions(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let patient = Fixtures.demo.patients[0].id
            var facts = ClinicalFacts(patient: patient, diagnoses: [Diagnosis(code: "C83.30", date: Fixtures.date("2025-06-01"))])
            #expect(try await store.clinicalFacts.record(facts, source: .form, recordedBy: "usr-1").version == 1)
            #expect(try await store.clinicalFacts.record(facts, source: .api, recordedBy: "usr-2").version == 1)
            facts.performanceStatus = [PerformanceStatus(score: 1, date: Fixtures.date("2026-02-01"))]
            let second = try await store.clinicalFacts.record(facts, source: .fhir, recordedBy: nil)
            #expect(second.version == 2)
            #expect(try await store.clinicalFacts.latest(of: patient)?.facts == facts)
            #expect(try await store.clinicalFacts.versions(of: patient).map(\.source) == [.fhir, .form])
            await #expect(throws: NotFoundError.self) {
                try await store.clinicalFacts.record(ClinicalFacts(patient: "pat-nobody"), source: .api, recordedBy: nil)
            }
            // The birth date is an identifier: it is dropped, not stored beside clinical data.
            var withBirthDate = facts
            withBirthDate.birthDate = Fixtures.date("1960-05-01")
            #expect(try await store.clinicalFacts.record(withBirthDate, source: .api, recordedBy: nil).version == 2)
            #expect(try await store.clinicalFacts.latest(of: patient)?.facts.birthDate == nil)
        }
    }

    static func exampleURL(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/criteria/\(name)")
    }
}
