import Access
import CareNetwork
import Core
import Foundation
import Linkage
import SQLKit

/// One source record's tokens as the partner sent them, encrypted under its partner key.
public struct TokenSubmission: Sendable {
    public var recordID: String
    public var tokens: [TokenRule: String]
    /// How errors name this record (`line 3`).
    public var label: String

    public init(recordID: String, tokens: [TokenRule: String], label: String) {
        self.recordID = recordID
        self.tokens = tokens
        self.label = label
    }
}

/// One source record's CLK, made with the program's linkage schema and hashing secret.
public struct CLKSubmission: Sendable {
    public var recordID: String
    public var clk: BitArray
    public var label: String

    public init(recordID: String, clk: BitArray, label: String) {
        self.recordID = recordID
        self.clk = clk
        self.label = label
    }
}

/// Who asked for a linkage run, for the audit records of the identifier reads it causes.
public struct LinkageRequester: Sendable {
    public var userID: String?
    public var organizationID: String?
    public var requestID: String?

    public init(userID: String?, organizationID: String?, requestID: String? = nil) {
        self.userID = userID
        self.organizationID = organizationID
        self.requestID = requestID
    }
}

/// Record linkage against the registry: sources send tokens or CLKs, never names, and get
/// back which of their records are registry patients.
///
/// The registry side (each patient's match tokens and CLK) is computed here from the sealed
/// identifiers the first time it is needed; each such read is written to the audit log in
/// the same transaction as the index rows, so no patient is indexed without a trace.
public struct SQLLinkageRepository: Sendable {
    let database: Database
    let identityKeys: IdentityKeyring
    let keys: LinkageKeys
    /// The audit key, for the entries indexing appends inside its transaction.
    let auditKeys: ChainKeys
    let now: @Sendable () -> Date

    /// The Dice similarity at or above which two CLKs are the same person (docs/linkage.md).
    public static let defaultThreshold = 0.8
    /// Records per request: beyond this, linkage belongs to `curepath bench link`'s batch path.
    public static let maximumRecords = 50_000

    public init(database: Database, identityKeys: IdentityKeyring, keys: LinkageKeys, auditKeys: ChainKeys, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.identityKeys = identityKeys
        self.keys = keys
        self.auditKeys = auditKeys
        self.now = now
    }

    /// Whether the published development keys are in use (the server warns).
    public var usesDevelopmentKeys: Bool { keys.isDevelopment }

    /// Indexes every registered patient that has identifiers and no index yet; returns how many.
    @discardableResult
    public func indexPatients(requestedBy requester: LinkageRequester) async throws -> Int {
        try await database.transaction { db in try await index(in: db, requester: requester) }
    }

    /// Links a partner's token file. The partner is the source: its key decrypts the tokens.
    ///
    /// `among`, when given, limits the patients a record may link to (a center: the patients it
    /// already sees). The decision — linked, ambiguous, unmatched — is then made among those
    /// alone, so no patient outside the set can change it: otherwise a center registering a
    /// decoy under a name and birth date would learn from the decoy's answer whether a hidden
    /// patient shares them.
    public func linkTokens(
        source: String, records: [TokenSubmission], among eligible: Set<PatientID>? = nil, requestedBy requester: LinkageRequester
    ) async throws -> [LinkedRecord] {
        guard let partnerKey = keys.partnerKey(for: source) else {
            throw ValidationError(field: "source", problem: "'\(source)' has no partner key configured (CUREPATH_LINKAGE_PARTNER_KEYS)")
        }
        try Self.checkSize(records.count)
        var issues: [ValidationError.Issue] = []
        var matchTokens: [[TokenRule: String]] = []
        for record in records {
            var tokens: [TokenRule: String] = [:]
            for (rule, encrypted) in record.tokens where !encrypted.isEmpty {
                do throws(ValidationError) {
                    tokens[rule] = try TokenTransformation.mediate(encrypted, partnerKey: partnerKey, mediatorKey: keys.mediatorKey, field: "\(record.label): \(rule.rawValue)")
                } catch {
                    issues += error.issues
                }
            }
            matchTokens.append(tokens)
        }
        issues += Self.recordIDIssues(records.map { ($0.recordID, $0.label) })
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: now())
        let mediated = matchTokens
        return try await database.transaction { db in
            _ = try await index(in: db, requester: requester)
            let wanted = Array(Set(mediated.flatMap(\.values)))
            var holders: [String: [(rule: TokenRule, patient: PatientID)]] = [:]
            for start in stride(from: 0, to: wanted.count, by: 500) {
                let chunk = Array(wanted[start..<min(wanted.count, start + 500)])
                for row in try await db.select().columns("rule", "token", "patient_id").from("link_tokens").where("token", .in, chunk).all() {
                    guard let rule = TokenRule(rawValue: try row.string("rule")) else { continue }
                    holders[try row.string("token"), default: []].append((rule, PatientID(try row.string("patient_id"))))
                }
            }
            var decided: [LinkedRecord] = []
            var near: [String: [LinkCandidate]] = [:]
            for (record, tokens) in zip(records, mediated) {
                var candidates: [PatientID: Set<TokenRule>] = [:]
                for (rule, token) in tokens {
                    for holder in holders[token] ?? [] where holder.rule == rule && eligible?.contains(holder.patient) != false {
                        candidates[holder.patient, default: []].insert(rule)
                    }
                }
                let link: LinkedRecord
                switch TokenLink.decide(candidates) {
                case .linked(let patient, let rules):
                    link = LinkedRecord(source: source, recordID: record.recordID, status: .linked, patientID: patient, method: .token,
                                        evidence: rules.map(\.rawValue).sorted().joined(separator: " "), linkedOn: today)
                case .ambiguous(let patients):
                    link = LinkedRecord(source: source, recordID: record.recordID, status: .ambiguous, patientID: nil, method: .token,
                                        evidence: "\(patients.count) patients agree equally", linkedOn: today)
                case .unmatched:
                    link = LinkedRecord(source: source, recordID: record.recordID, status: .unmatched, patientID: nil, method: .token,
                                        evidence: tokens.isEmpty ? "no tokens" : "no identifying rule agrees", linkedOn: today)
                }
                if link.status != .linked {
                    near[record.recordID] = candidates.map { patient, rules in
                        LinkCandidate(patientID: patient, evidence: rules.map(\.rawValue).sorted().joined(separator: " "), score: Double(rules.count))
                    }
                }
                decided.append(link)
            }
            return try await Self.keep(decided, candidates: near, in: db)
        }
    }

    /// Links a source's CLKs one-to-one against every indexed patient at `threshold`.
    /// `among` limits the patients a record may link to, as for ``linkTokens(source:records:among:requestedBy:)``.
    public func linkCLKs(
        source: String, records: [CLKSubmission], threshold: Double = defaultThreshold, among eligible: Set<PatientID>? = nil,
        requestedBy requester: LinkageRequester
    ) async throws -> [LinkedRecord] {
        try Self.checkSize(records.count)
        var issues = Self.recordIDIssues(records.map { ($0.recordID, $0.label) })
        let length = BloomEncoder(schema: Self.schema, secret: keys.hashingSecret).schema.bitLength
        for record in records where record.clk.count != length {
            issues.append(.init(field: "\(record.label): clk", problem: "has \(record.clk.count) bits; the registry schema's CLKs have \(length)"))
        }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: now())
        return try await database.transaction { db in
            _ = try await index(in: db, requester: requester)
            var patients: [PatientID] = []
            var clks: [MatchCandidate] = []
            for row in try await db.select().columns("patient_id", "clk").from("link_clks").orderBy("patient_id").all() {
                let patient = PatientID(try row.string("patient_id"))
                guard eligible?.contains(patient) != false else { continue }
                patients.append(patient)
                clks.append(MatchCandidate(clk: try BitArray(base64: try row.string("clk")), blockingKeys: [""]))
            }
            // One block: a registry holds thousands of treated patients, so all pairs is cheap here;
            // million-record linkage runs in batch (`curepath bench link`).
            let result = try Matcher.match(left: records.map { MatchCandidate(clk: $0.clk, blockingKeys: [""]) }, right: clks, threshold: threshold)
            let pairs = Dictionary(result.pairs.map { ($0.left, $0) }) { first, _ in first }
            var near: [String: [LinkCandidate]] = [:]
            let registry = Array(zip(patients, clks.map(\.clk)))
            let unmatched = records.count - pairs.count
            let decided = records.enumerated().map { index, record in
                if let pair = pairs[index] {
                    return LinkedRecord(source: source, recordID: record.recordID, status: .linked, patientID: patients[pair.right], method: .clk,
                                        evidence: "dice " + String(format: "%.3f", pair.score), linkedOn: today)
                }
                near[record.recordID] = Self.nearMisses(record.clk, among: registry, below: threshold, comparing: unmatched)
                return LinkedRecord(source: source, recordID: record.recordID, status: .unmatched, patientID: nil, method: .clk,
                                    evidence: "no patient at dice ≥ \(threshold)", linkedOn: today)
            }
            return try await Self.keep(decided, candidates: near, in: db)
        }
    }

    /// The patient a source's record is linked to, if it is.
    public func patient(source: String, recordID: String) async throws -> PatientID? {
        try await database.withConnection { db in
            try await db.select().column("patient_id").from("linked_records")
                .where("source", .equal, source).where("record_id", .equal, recordID).where("status", .equal, LinkedRecord.Status.linked.rawValue)
                .first().flatMap { try $0.optionalString("patient_id") }.map { PatientID($0) }
        }
    }

    /// A source's records, by record ID.
    /// One page of the source's records by record ID, and how many it has in all.
    public func records(source: String, limit: Int, offset: Int) async throws -> (records: [LinkedRecord], total: Int) {
        try await database.withConnection { db in
            let total = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("linked_records")
                .where("source", .equal, source).first()?.int("n") ?? 0
            let page = try await db.select().column("*").from("linked_records").where("source", .equal, source).orderBy("record_id")
                .limit(limit).offset(offset).all().map(Self.linkedRecord)
            return (page, total)
        }
    }

    public func records(source: String) async throws -> [LinkedRecord] {
        try await database.withConnection { db in
            try await db.select().column("*").from("linked_records").where("source", .equal, source).orderBy("record_id").all().map(Self.linkedRecord)
        }
    }

    /// How many patients are indexed for linkage.
    public func indexedCount() async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("link_clks").first()?.int("n") ?? 0
        }
    }

    // MARK: Internals

    static let schema: LinkageSchema = {
        do { return try LinkageSchema(json: Data(RegistrySchema.json.utf8)) } catch { preconditionFailure("the registry schema is built in and valid: \(error)") }
    }()

    private func index(in db: any SQLDatabase, requester: LinkageRequester) async throws -> Int {
        let rows = try await db.raw("""
            SELECT p.id, p.sex, i.key_id, i.sealed FROM patients p JOIN patient_identifiers i ON i.patient_id = p.id
            WHERE NOT EXISTS (SELECT 1 FROM link_clks c WHERE c.patient_id = p.id) ORDER BY p.id
            """).all()
        guard !rows.isEmpty else { return 0 }
        let generator = try TokenGenerator(hashingSecret: keys.hashingSecret)
        let encoder = BloomEncoder(schema: Self.schema, secret: keys.hashingSecret)
        var tokenRows: [[any SQLExpression]] = []
        var clkRows: [[any SQLExpression]] = []
        let at = now()
        for row in rows {
            let patient = PatientID(try row.string("id"))
            let identifiers = try identityKeys.open(try row.string("sealed"), keyID: try row.string("key_id"), patientID: patient)
            _ = try await SQLAuditRepository.append(AuditRecord(
                at: at, userID: requester.userID, organizationID: requester.organizationID, action: Action.readIdentifiers.rawValue,
                object: "patient:\(patient)", outcome: .allowed, requestID: requester.requestID,
                detail: "linkage index: match tokens and CLK computed by the mediator"), in: db, dialect: database.dialect, keys: auditKeys)
            let record = IdentifierRecord(
                givenName: identifiers.givenName, familyName: identifiers.familyName, birthDate: identifiers.birthDate.description,
                sex: try row.string("sex"), postalCode: identifiers.postalCode, phone: identifiers.phone)
            for (rule, token) in generator.tokens(for: record) {
                tokenRows.append([SQLBind(rule.rawValue), SQLBind(TokenTransformation.matchToken(token, mediatorKey: keys.mediatorKey)), SQLBind(patient.rawValue)])
            }
            clkRows.append([SQLBind(patient.rawValue), SQLBind(try encoder.encode(RegistrySchema.row(record)).base64)])
        }
        try await insertChunked(db, into: "link_tokens", columns: ["rule", "token", "patient_id"], rows: tokenRows)
        try await insertChunked(db, into: "link_clks", columns: ["patient_id", "clk"], rows: clkRows)
        return rows.count
    }

    /// Stores decisions. A record already linked keeps its link (re-sending a file changes
    /// nothing); one not linked before takes the new decision, and its `candidates` (the
    /// patients it came close to) are kept for review. A pair a reviewer rejected never comes
    /// back: a link to that patient is stored as unmatched, and the patient is no candidate.
    static func keep(_ decided: [LinkedRecord], candidates: [String: [LinkCandidate]] = [:], in db: any SQLDatabase) async throws -> [LinkedRecord] {
        guard let source = decided.first?.source else { return [] }
        var existing: [String: LinkedRecord] = [:]
        let ids = decided.map(\.recordID)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(ids.count, start + 500)])
            for row in try await db.select().column("*").from("linked_records").where("source", .equal, source).where("record_id", .in, chunk).all() {
                let record = try linkedRecord(row)
                existing[record.recordID] = record
            }
        }
        let rejected = try await rejections(source: source, records: ids, in: db)
        var result: [LinkedRecord] = []
        var fresh: [LinkedRecord] = []
        var near: [(record: String, candidate: LinkCandidate)] = []
        for var record in decided {
            if let kept = existing[record.recordID], kept.status == .linked {
                result.append(kept)
                continue
            }
            if existing[record.recordID] != nil {
                try await db.delete(from: "linked_records").where("source", .equal, source).where("record_id", .equal, record.recordID).run()
                try await db.delete(from: "link_candidates").where("source", .equal, source).where("record_id", .equal, record.recordID).run()
            }
            let notThese = rejected[record.recordID] ?? []
            if let patient = record.patientID, notThese.contains(patient) {
                record.status = .unmatched
                record.patientID = nil
                record.evidence = Self.rejectedOnReview
            }
            if record.status != .linked {
                let offered = (candidates[record.recordID] ?? []).filter { !notThese.contains($0.patientID) }
                if record.status == .ambiguous, offered.isEmpty {
                    record.status = .unmatched
                    record.evidence = Self.rejectedOnReview
                }
                near += offered.sorted { ($0.score, $1.patientID.rawValue) > ($1.score, $0.patientID.rawValue) }
                    .prefix(Self.candidatesPerRecord).map { [id = record.recordID] in (record: id, candidate: $0) }
            }
            fresh.append(record)
            result.append(record)
        }
        try await insertChunked(db, into: "linked_records", columns: ["source", "record_id", "status", "patient_id", "method", "evidence", "linked_on"], items: fresh) { record in
            [SQLBind(record.source), SQLBind(record.recordID), SQLBind(record.status.rawValue), bind(record.patientID?.rawValue),
             SQLBind(record.method.rawValue), SQLBind(record.evidence), SQLBind(record.linkedOn.description)]
        }
        try await insertChunked(db, into: "link_candidates", columns: ["source", "record_id", "patient_id", "evidence", "score"], items: near) { item in
            [SQLBind(source), SQLBind(item.record), SQLBind(item.candidate.patientID.rawValue), SQLBind(item.candidate.evidence), SQLBind(item.candidate.score)]
        }
        return result
    }

    static func linkedRecord(_ row: any SQLRow) throws -> LinkedRecord {
        LinkedRecord(
            source: try row.string("source"), recordID: try row.string("record_id"), status: try row.enumeration("status", as: LinkedRecord.Status.self),
            patientID: try row.optionalString("patient_id").map { PatientID($0) }, method: try row.enumeration("method", as: LinkedRecord.Method.self),
            evidence: try row.string("evidence"), linkedOn: try row.date("linked_on"))
    }

    static func checkSize(_ count: Int) throws(ValidationError) {
        guard count > 0 else { throw ValidationError(field: "records", problem: "is empty: send at least one record") }
        guard count <= maximumRecords else {
            throw ValidationError(field: "records", problem: "has \(count) records; at most \(maximumRecords) per request, split the file")
        }
    }

    /// A record ID is the source's own key: an identifier (so outcome files can carry it as
    /// `patient_id`), once per file.
    static func recordIDIssues(_ records: [(id: String, label: String)]) -> [ValidationError.Issue] {
        var issues: [ValidationError.Issue] = []
        var seen: [String: String] = [:]
        for (id, label) in records {
            do throws(ValidationError) {
                _ = try Identifier<LinkedRecord>.validated(id, field: "\(label): record_id")
            } catch {
                issues += error.issues
                continue
            }
            if let first = seen[id] {
                issues.append(.init(field: "\(label): record_id", problem: "'\(id)' is already used on \(first)"))
            } else {
                seen[id] = label
            }
        }
        return issues
    }
}
