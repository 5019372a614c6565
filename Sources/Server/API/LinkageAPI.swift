import APIContract
import Access
import CareNetwork
import Core
import Foundation
import Linkage
import OpenAPIRuntime
import Outcomes
import Storage

/// Record linkage over HTTP: a source sends tokens or CLKs made offline (`curepath tokenize`,
/// clkhash), never names, and learns which of its records are registry patients.
extension CurePathAPI {
    /// Token and CLK files are small next to outcome files: 50,000 records at most.
    static let maximumLinkageBytes = 20 * 1_048_576

    func linkTokens(_ input: Operations.LinkTokens.Input) async throws -> Operations.LinkTokens.Output {
        let (source, requester) = try linkageCaller()
        guard case .csv(let body) = input.body else { throw ValidationError(field: "body", problem: "must be text/csv") }
        let bytes = try await [UInt8](body: body, limit: Self.maximumLinkageBytes, describedAs: "a linkage file")
        let rules = TokenRule.allCases
        let table = try CSVTable.read(bytes, allowed: ["record_id"] + rules.map { $0.rawValue.lowercased() }, required: ["record_id"],
                                      maximumRows: SQLLinkageRepository.maximumRecords)
        let submissions = table.rows.map { row in
            TokenSubmission(recordID: row["record_id"] ?? "", tokens: Dictionary(uniqueKeysWithValues: rules.compactMap { rule in
                row[rule.rawValue.lowercased()].map { (rule, $0) }
            }), label: "line \(row.line)")
        }
        let linked = try await store.linkage.linkTokens(source: source, records: submissions, among: try await linkablePatients(), requestedBy: requester)
        return .ok(.init(body: .json(try await linkageResult(source: source, linked))))
    }

    func linkCLKs(_ input: Operations.LinkCLKs.Input) async throws -> Operations.LinkCLKs.Output {
        let (source, requester) = try linkageCaller()
        let threshold = input.query.threshold ?? SQLLinkageRepository.defaultThreshold
        guard threshold >= 0.5, threshold <= 1 else { throw ValidationError(field: "threshold", problem: "must be from 0.5 to 1, got \(threshold)") }
        guard case .csv(let body) = input.body else { throw ValidationError(field: "body", problem: "must be text/csv") }
        let bytes = try await [UInt8](body: body, limit: Self.maximumLinkageBytes, describedAs: "a linkage file")
        let table = try CSVTable.read(bytes, allowed: ["record_id", "clk"], required: ["record_id", "clk"], maximumRows: SQLLinkageRepository.maximumRecords)
        var issues: [ValidationError.Issue] = []
        var submissions: [CLKSubmission] = []
        for row in table.rows {
            do throws(ValidationError) {
                let clk = try BitArray(base64: row["clk"] ?? "", field: "line \(row.line): clk")
                submissions.append(CLKSubmission(recordID: row["record_id"] ?? "", clk: clk, label: "line \(row.line)"))
            } catch {
                issues += error.issues
            }
        }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        let linked = try await store.linkage.linkCLKs(
            source: source, records: submissions, threshold: threshold, among: try await linkablePatients(), requestedBy: requester)
        return .ok(.init(body: .json(try await linkageResult(source: source, linked))))
    }

    func listLinkedRecords(_ input: Operations.ListLinkedRecords.Input) async throws -> Operations.ListLinkedRecords.Output {
        let (source, _) = try linkageCaller()
        let (limit, offset) = try Parse.page(limit: input.query.limit, offset: input.query.offset, maximum: 1000)
        let (records, total) = try await store.linkage.records(source: source, limit: limit, offset: offset)
        var result = try await linkageResult(source: source, records)
        result.total = total
        result.limit = limit
        result.offset = offset
        return .ok(.init(body: .json(result)))
    }

    /// The patients the caller's records may link to: every patient for the mediator and the
    /// registry; for a center, the patients it already sees (so that no other patient can
    /// change a link's answer); nobody for anyone else.
    private func linkablePatients() async throws -> Set<PatientID>? {
        guard let organization = RequestIdentity.current?.principal.organization else { return [] }
        switch organization.kind {
        case .mediator, .registry: return nil
        case .center:
            guard let center = organization.centerID else { return [] }
            return try await store.relationships.patients(relatedTo: center, organization: organization.id)
        case .payer, .manufacturer, .policy: return []
        }
    }

    /// The source is always the caller's own organization: a partner links its own records.
    private func linkageCaller() throws -> (source: String, requester: LinkageRequester) {
        guard let current = RequestIdentity.current else { throw NotFoundError(entity: "organization", id: "") }
        let principal = current.principal
        return (principal.organization.id.rawValue,
                LinkageRequester(userID: principal.userID.rawValue, organizationID: principal.organization.id.rawValue, requestID: current.requestID))
    }

    /// The links as the caller may learn them. A source that does not see every patient (a
    /// center) learns a link only to a patient it already may see; a link to anyone else, and
    /// an ambiguous one, reads exactly like no match — status, evidence and all — or
    /// tokenizing a name with every birth date of a decade would tell which one is a patient.
    private func linkageResult(source: String, _ records: [LinkedRecord]) async throws -> Components.Schemas.LinkageResult {
        let seesEveryPatient = [.mediator, .registry].contains(RequestIdentity.current?.principal.organization.kind)
        var shown: [LinkedRecord] = []
        var visible: [PatientID: Bool] = [:]
        for record in records {
            if seesEveryPatient || record.status == .unmatched {
                shown.append(record)
                continue
            }
            if let patient = record.patientID {
                if visible[patient] == nil { visible[patient] = try await patientIsVisible(patient) }
                if visible[patient] == true {
                    shown.append(record)
                    continue
                }
            }
            shown.append(LinkedRecord(source: record.source, recordID: record.recordID, status: .unmatched, patientID: nil,
                                      method: record.method, evidence: Self.noVisibleMatch, linkedOn: record.linkedOn))
        }
        return .init(
            source: source, linked: shown.count { $0.status == .linked }, ambiguous: shown.count { $0.status == .ambiguous },
            unmatched: shown.count { $0.status == .unmatched },
            records: shown.map { record in
                .init(recordId: record.recordID, status: .init(rawValue: record.status.rawValue)!, patientId: record.patientID?.rawValue,
                      method: .init(rawValue: record.method.rawValue)!, evidence: record.status == .unmatched && !seesEveryPatient ? Self.noVisibleMatch : record.evidence,
                      linkedOn: record.linkedOn.description)
            })
    }

    /// The evidence a center reads for every record that names no patient it may see.
    static let noVisibleMatch = "no patient of this organization matches"
}
