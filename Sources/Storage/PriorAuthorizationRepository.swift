import CareNetwork
import Core
import Coverage
import Criteria
import Foundation
import Journey
import SQLKit

/// What a center asks for when it files a request; patient, center and payer come from the case.
public struct PriorAuthorizationFiling: Hashable, Sendable {
    public var id: PriorAuthorizationID
    public var caseID: CaseID
    /// The plan, when the center knows it; otherwise the plan type follows from the payer's kind.
    public var plan: PlanID?
    public var service: RequestedService
    public var urgency: Urgency
    public var criteriaSet: CriteriaSetID?
    public var criteriaVersion: Int?

    public init(id: PriorAuthorizationID, caseID: CaseID, plan: PlanID? = nil, service: RequestedService, urgency: Urgency, criteriaSet: CriteriaSetID? = nil, criteriaVersion: Int? = nil) {
        self.id = id
        self.caseID = caseID
        self.plan = plan
        self.service = service
        self.urgency = urgency
        self.criteriaSet = criteriaSet
        self.criteriaVersion = criteriaVersion
    }
}


/// A filter on the work queue.
public struct PriorAuthorizationQuery: Hashable, Sendable {
    public enum ClockFilter: String, Hashable, Sendable, CaseIterable {
        case overdue
        case dueSoon = "due-soon"
    }

    public var scope: PartyScope
    public var status: PriorAuthorizationStatus?
    /// Open requests only unless a status is asked for.
    public var clock: ClockFilter?
    public var caseID: CaseID?
    public var limit: Int
    public var offset: Int

    public init(scope: PartyScope, status: PriorAuthorizationStatus? = nil, clock: ClockFilter? = nil, caseID: CaseID? = nil, limit: Int = 50, offset: Int = 0) {
        self.scope = scope
        self.status = status
        self.clock = clock
        self.caseID = caseID
        self.limit = limit
        self.offset = offset
    }
}

/// One page of the work queue, with the counts its header shows.
public struct PriorAuthorizationQueuePage: Hashable, Sendable {
    public var items: [PriorAuthorization]
    /// Matching the query, before paging.
    public var total: Int
    /// Over every open request in scope, whatever the filter.
    public var open: Int
    public var overdue: Int
    public var dueSoon: Int
}

/// Prior-authorization requests and their transitions.
///
/// Every transition is applied inside one transaction together with the journey events it
/// implies, after replaying the case's journey: a transition the journey refuses (the case
/// was lost, say) is refused whole, and a request never says "approved" while its case's
/// prior-authorization stage says otherwise.
public protocol PriorAuthorizationRepository: Sendable {
    /// Files a draft. Filing the same request again is harmless; reusing its id for a
    /// different request is a conflict.
    func file(_ filing: PriorAuthorizationFiling, at createdAt: Date, scope: PartyScope) async throws -> (request: PriorAuthorization, created: Bool)
    /// Applies a transition. The same transition (same id, same content, whatever its time)
    /// again returns the request unchanged; the same id with different content is a conflict.
    func apply(_ transition: PriorAuthorizationTransition, to id: PriorAuthorizationID, scope: PartyScope) async throws -> (request: PriorAuthorization, applied: Bool)
    func find(_ id: PriorAuthorizationID, scope: PartyScope) async throws -> PriorAuthorization?
    func queue(_ query: PriorAuthorizationQuery, now: Date) async throws -> PriorAuthorizationQueuePage
    /// Every request on a case in scope, open or decided, oldest first.
    func requests(onCase caseID: CaseID, scope: PartyScope) async throws -> [PriorAuthorization]
    /// Bulk load for demo data and benchmarks: requests with their transitions already
    /// applied, written without journey events.
    func importRequests(_ requests: [PriorAuthorization]) async throws
}

public struct SQLPriorAuthorizationRepository: PriorAuthorizationRepository {
    let database: Database
    let clocks: DecisionClocks

    public init(database: Database, clocks: DecisionClocks = .cmsDefaults) {
        self.database = database
        self.clocks = clocks
    }

    static var encoder: JSONEncoder { StoredJSON.encoder }
    static var decoder: JSONDecoder { StoredJSON.decoder }

    public func file(_ filing: PriorAuthorizationFiling, at createdAt: Date, scope: PartyScope) async throws -> (request: PriorAuthorization, created: Bool) {
        _ = try filing.service.validated()
        let createdAt = Self.wholeSeconds(createdAt)
        return try await database.transaction { db in
            guard let record = try await SQLCaseRepository.findCase(filing.caseID, in: db, lock: true),
                  scope.includes(center: record.centerID, payer: record.payerID)
            else { throw NotFoundError(entity: "case", id: filing.caseID.rawValue) }
            if let existing = try await Self.find(filing.id, in: db) {
                let same = existing.caseID == filing.caseID && existing.urgency == filing.urgency && existing.criteriaSet == filing.criteriaSet
                    && (existing.plan == filing.plan) && (existing.transitions.isEmpty ? existing.service == filing.service : true)
                guard same else { throw StorageError.idTaken(filing.id.rawValue) }
                return (existing, false)
            }
            let planType = try await Self.planType(plan: filing.plan, payer: record.payerID, in: db)
            let request = PriorAuthorization(
                id: filing.id, caseID: record.id, patient: record.patientID, center: record.centerID, payer: record.payerID, plan: filing.plan,
                planType: planType, service: filing.service, urgency: filing.urgency, criteriaSet: filing.criteriaSet,
                criteriaVersion: filing.criteriaVersion, createdAt: createdAt
            )
            try await SQLCaseRepository.recordImpliedEvents(for: record, at: createdAt, in: db) { journey, date in request.journeyEventsOnFiling(journey, on: date) }
            try await Self.insert([request], into: db)
            return (request, true)
        }
    }

    public func apply(_ transition: PriorAuthorizationTransition, to id: PriorAuthorizationID, scope: PartyScope) async throws -> (request: PriorAuthorization, applied: Bool) {
        var transition = transition
        transition.at = Self.wholeSeconds(transition.at)
        transition.receivedAt = transition.receivedAt.map(Self.wholeSeconds)
        let transitionToApply = transition
        let clocks = self.clocks
        return try await database.transaction { db in
            guard let current = try await Self.find(id, in: db, lock: true), scope.includes(center: current.center, payer: current.payer) else {
                throw NotFoundError(entity: "prior authorization", id: id.rawValue)
            }
            if let previous = current.transitions.first(where: { $0.id == transitionToApply.id }) {
                // A retry may be stamped later than the original (the server's clock filled in
                // `at`), and by another session; what it asks for must be the same.
                var comparable = transitionToApply
                comparable.recordedBy = previous.recordedBy
                comparable.at = previous.at
                comparable.receivedAt = previous.receivedAt
                guard previous == comparable else {
                    throw StorageError.conflict("transition '\(transitionToApply.id)' was already applied to '\(id)' with different content")
                }
                return (current, false)
            }
            let next = try current.applying(transitionToApply, policy: clocks.policy(for: current.planType))
            guard let record = try await SQLCaseRepository.findCase(current.caseID, in: db, lock: true) else {
                throw StorageError.corrupt("prior authorization \(id) names case \(current.caseID), which does not exist")
            }
            try await SQLCaseRepository.recordImpliedEvents(for: record, at: transitionToApply.at, in: db) { journey, date in
                next.journeyEvents(for: transitionToApply, journey: journey, on: date)
            }
            try await db.insert(into: "prior_authorization_transitions").columns("request_id", "sequence", "transition_id", "action", "body")
                .values(SQLBind(id.rawValue), SQLBind(next.transitions.count), SQLBind(transitionToApply.id.rawValue), SQLBind(transitionToApply.action.rawValue),
                        SQLBind(String(decoding: try Self.encoder.encode(transitionToApply), as: UTF8.self)))
                .run()
            try await Self.update(next, in: db)
            return (next, true)
        }
    }

    public func find(_ id: PriorAuthorizationID, scope: PartyScope) async throws -> PriorAuthorization? {
        try await database.withConnection { db in
            guard let request = try await Self.find(id, in: db), scope.includes(center: request.center, payer: request.payer) else { return nil }
            return request
        }
    }

    public func queue(_ query: PriorAuthorizationQuery, now: Date) async throws -> PriorAuthorizationQueuePage {
        let nowSeconds = Int64(now.timeIntervalSince1970)
        // Due soon is at most the last 48 hours of a clock, so it lies in this range of queue_order.
        let soonHorizon = nowSeconds + 48 * 3600 + 1
        return try await database.withConnection { db in
            func scoped(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
                switch query.scope {
                case .all: select
                case .center(let id): select.where("center_id", .equal, id.rawValue)
                case .payer(let id): select.where("payer_id", .equal, id.rawValue)
                case .none: select.where(SQLLiteral.boolean(false))
                }
            }
            // Each clock filter is a range of the queue index, so counting it reads only the matching rows.
            func clocked(_ select: SQLSelectBuilder, _ clock: PriorAuthorizationQuery.ClockFilter?) -> SQLSelectBuilder {
                switch clock {
                case .overdue: select.where("open", .equal, 1).where("queue_order", .lessThan, nowSeconds)
                case .dueSoon:
                    select.where("open", .equal, 1).where("queue_order", .greaterThanOrEqual, nowSeconds).where("queue_order", .lessThan, soonHorizon)
                        .where("due_soon_at", .lessThanOrEqual, nowSeconds)
                case nil: select
                }
            }
            func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
                var select = scoped(select)
                if let status = query.status { select = select.where("status", .equal, status.rawValue) } else { select = select.where("open", .equal, 1) }
                if let caseID = query.caseID { select = select.where("case_id", .equal, caseID.rawValue) }
                return clocked(select, query.clock)
            }
            func count(_ select: SQLSelectBuilder) async throws -> Int {
                try await select.column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("prior_authorizations").first()?.int("n") ?? 0
            }
            let rows = try await filtered(db.select().column("body").from("prior_authorizations")).orderBy("queue_order").orderBy("id")
                .limit(query.limit).offset(query.offset).all()
            let items = try rows.map { try Self.decode($0.string("body")) }
            // One pass over the open rows in scope (the queue index covers every column it reads).
            let counts = try await scoped(db.select()
                .column(SQLFunction("count", args: SQLLiteral.all), as: "open")
                .column(SQLFunction("sum", args: SQLRaw("CASE WHEN queue_order < \(nowSeconds) THEN 1 ELSE 0 END")), as: "overdue")
                .column(SQLFunction("sum", args: SQLRaw("CASE WHEN queue_order >= \(nowSeconds) AND queue_order < \(soonHorizon) AND due_soon_at <= \(nowSeconds) THEN 1 ELSE 0 END")), as: "due_soon")
                .from("prior_authorizations").where("open", .equal, 1)).first()
            func number(_ column: String) throws -> Int {
                guard let counts, !(try counts.decodeNil(column: column)) else { return 0 }
                return Int(try counts.int64(column))
            }
            let open = try number("open"), overdue = try number("overdue"), dueSoon = try number("due_soon")
            let total: Int
            switch (query.status, query.caseID, query.clock) {
            case (nil, nil, nil): total = open
            case (nil, nil, .overdue): total = overdue
            case (nil, nil, .dueSoon): total = dueSoon
            default: total = try await count(filtered(db.select()))
            }
            return PriorAuthorizationQueuePage(items: items, total: total, open: open, overdue: overdue, dueSoon: dueSoon)
        }
    }

    public func requests(onCase caseID: CaseID, scope: PartyScope) async throws -> [PriorAuthorization] {
        try await database.withConnection { db in
            try await db.select().column("body").from("prior_authorizations").where("case_id", .equal, caseID.rawValue).orderBy("created_at").orderBy("id").all()
                .map { try Self.decode($0.string("body")) }.filter { scope.includes(center: $0.center, payer: $0.payer) }
        }
    }

    public func importRequests(_ requests: [PriorAuthorization]) async throws {
        try await database.transaction { db in try await Self.write(requests, into: db) }
    }

    static func write(_ requests: [PriorAuthorization], into db: any SQLDatabase) async throws {
        try await Self.insert(requests, into: db)
        let transitions = try requests.flatMap { request in
            try request.transitions.enumerated().map { (request.id, $0.offset + 1, $0.element, String(decoding: try Self.encoder.encode($0.element), as: UTF8.self)) }
        }
        try await insertChunked(db, into: "prior_authorization_transitions", columns: ["request_id", "sequence", "transition_id", "action", "body"], items: transitions) { id, sequence, transition, body in
            [SQLBind(id.rawValue), SQLBind(sequence), SQLBind(transition.id.rawValue), SQLBind(transition.action.rawValue), SQLBind(body)]
        }
    }

    // MARK: - Rows

    static func wholeSeconds(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) }

    static func planType(plan: PlanID?, payer: PayerID, in db: any SQLDatabase) async throws -> PlanType {
        if let plan {
            guard let row = try await db.select().column("type").column("payer_id").from("plans").where("id", .equal, plan.rawValue).first() else {
                throw ValidationError(field: "plan", problem: "'\(plan)' is not a known plan")
            }
            guard try row.string("payer_id") == payer.rawValue else {
                throw ValidationError(field: "plan", problem: "'\(plan)' is not a plan of the case's payer \(payer)")
            }
            return try row.enumeration("type", as: PlanType.self)
        }
        guard let row = try await db.select().column("kind").from("payers").where("id", .equal, payer.rawValue).first() else {
            throw StorageError.corrupt("payer \(payer) of a case does not exist")
        }
        return try row.enumeration("kind", as: PayerKind.self).defaultPlanType
    }

    static func find(_ id: PriorAuthorizationID, in db: any SQLDatabase, lock: Bool = false) async throws -> PriorAuthorization? {
        var select = db.select().column("body").from("prior_authorizations").where("id", .equal, id.rawValue)
        if lock { select = select.for(.update) }
        return try await select.first().map { try decode($0.string("body")) }
    }

    static func decode(_ body: String) throws -> PriorAuthorization {
        do { return try decoder.decode(PriorAuthorization.self, from: Data(body.utf8)) } catch {
            throw StorageError.corrupt("a stored prior authorization no longer decodes: \(error)")
        }
    }

    static func columns(_ request: PriorAuthorization) throws -> [any SQLExpression] {
        let due = request.dueAt.map { Int64($0.timeIntervalSince1970) }
        // Running clocks by due time; paused ones after them; drafts last, oldest first.
        let order: Int64 = switch (request.status.awaitsDecision, due, request.pausedSince) {
        case (true, let due?, nil): due
        case (true, let due?, _): Int64.max / 4 + due
        default: Int64.max / 2 + Int64(request.createdAt.timeIntervalSince1970)
        }
        return [
            SQLBind(request.caseID.rawValue), SQLBind(request.patient.rawValue), SQLBind(request.center.rawValue), SQLBind(request.payer.rawValue),
            SQLBind(request.planType.rawValue), SQLBind(request.service.description), SQLBind(request.urgency.rawValue), SQLBind(request.status.rawValue),
            SQLBind(request.status.isOpen ? 1 : 0), SQLBind(order), due.map { SQLBind($0) } ?? SQLLiteral.null,
            request.dueSoonAt.map { SQLBind(Int64($0.timeIntervalSince1970)) } ?? SQLLiteral.null, SQLBind(request.pausedSince == nil ? 0 : 1),
            SQLBind(Int64(request.createdAt.timeIntervalSince1970)), SQLBind(String(decoding: try encoder.encode(request), as: UTF8.self)),
        ]
    }

    static let columnNames = ["case_id", "patient_id", "center_id", "payer_id", "plan_type", "service", "urgency", "status", "open", "queue_order",
                              "due_at", "due_soon_at", "paused", "created_at", "body"]

    static func insert(_ requests: [PriorAuthorization], into db: any SQLDatabase) async throws {
        let rows = try requests.map { [SQLBind($0.id.rawValue)] + (try columns($0)) }
        try await insertChunked(db, into: "prior_authorizations", columns: ["id"] + columnNames, items: rows) { $0 }
    }

    static func update(_ request: PriorAuthorization, in db: any SQLDatabase) async throws {
        var update = db.update("prior_authorizations")
        for (name, value) in zip(columnNames, try columns(request)) { update = update.set(SQLColumn(name), to: value) }
        try await update.where("id", .equal, request.id.rawValue).run()
    }
}
