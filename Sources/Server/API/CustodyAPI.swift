import APIContract
import CareNetwork
import Core
import Foundation
import Journey
import Storage

extension CurePathAPI {
    func getCustodyLog(_ input: Operations.GetCustodyLog.Input) async throws -> Operations.GetCustodyLog.Output {
        let id: CaseID = try Identifier.validated(input.path.caseId, field: "caseId")
        try await requireInScope(id)
        guard try await store.cases.find(id) != nil else { throw NotFoundError(entity: "case", id: id.rawValue) }
        let chain = try await store.custody.chain(of: id)
        let verification = try await store.custody.verify(id)
        return .ok(.init(body: .json(.init(items: chain.map(Components.Schemas.CustodyEntry.init), verification: .init(verification)))))
    }

    func appendCustodyEntry(_ input: Operations.AppendCustodyEntry.Input) async throws -> Operations.AppendCustodyEntry.Output {
        let id: CaseID = try Identifier.validated(input.path.caseId, field: "caseId")
        try await requireInScope(id)
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let record = CustodyRecord(
            kind: CustodyEventKind(rawValue: body.kind.rawValue)!, occurredAt: body.occurredAt,
            party: try Parse.text(body.party, field: "party", maxLength: 200) ?? "",
            collectionID: try Parse.text(body.collectionId, field: "collectionId", maxLength: 100) ?? "",
            lot: try Parse.text(body.lot, field: "lot", maxLength: 100), note: try Parse.text(body.note, field: "note")
        )
        if record.occurredAt > clock().addingTimeInterval(300) {
            throw ValidationError(field: "occurredAt", problem: "is in the future", rule: "time-order")
        }
        guard let owner = try await store.cases.find(id) else { throw NotFoundError(entity: "case", id: id.rawValue) }
        // Cells are collected for a case after it is referred: anything earlier (year 0001, a
        // typo in the year) is a mistake that would otherwise sit in the chain for good.
        let center = try await store.reference.directory().center(owner.centerID)
        let referred = Self.startOfDay(owner.referralDate, in: center)
        if record.occurredAt < referred {
            throw ValidationError(
                field: "occurredAt", problem: "\(CustodyEntry.timestamp(record.occurredAt)) is before the case was referred (\(owner.referralDate))",
                rule: "time-order"
            )
        }
        do {
            let entry = try await store.custody.append(record, to: id)
            return .created(.init(body: .json(.init(entry))))
        } catch let error as ValidationError {
            // The domain names the collection ID as its Swift property; the API calls it collectionId.
            throw error.renamingFields(["collectionID": "collectionId"])
        }
    }

    /// The instant `date` begins at `center` (UTC when the center is unknown).
    static func startOfDay(_ date: CalendarDate, in center: Center?) -> Date {
        let zone = center.flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "UTC")!
        let utcMidnight = Date(timeIntervalSince1970: Double(date.daysSinceEpoch) * 86_400)
        return utcMidnight.addingTimeInterval(-Double(zone.secondsFromGMT(for: utcMidnight)))
    }

    func verifyCustody(_ input: Operations.VerifyCustody.Input) async throws -> Operations.VerifyCustody.Output {
        let id: CaseID = try Identifier.validated(input.path.caseId, field: "caseId")
        try await requireInScope(id)
        guard try await store.cases.find(id) != nil else { throw NotFoundError(entity: "case", id: id.rawValue) }
        // Checked under the audit key and against the head checkpoint, so a chain whose tail or
        // whole log was deleted reports the missing entries. (A case deleted with its chain is
        // outside every caller's scope here; `curepath verify-custody --all` reports it.)
        return .ok(.init(body: .json(.init(try await store.custody.verify(id)))))
    }
}

extension Components.Schemas.CustodyEntry {
    init(_ entry: CustodyEntry) {
        self.init(
            caseId: entry.caseID.rawValue, sequence: entry.sequence, kind: .init(rawValue: entry.kind.rawValue)!, occurredAt: entry.occurredAt,
            party: entry.party, collectionId: entry.collectionID, lot: entry.lot, note: entry.note, previousHash: entry.previousHash, hash: entry.hash
        )
    }
}

extension Components.Schemas.CustodyVerification {
    init(_ verification: CustodyChain.Verification) {
        self.init(
            intact: verification.intact, entryCount: verification.entryCount,
            firstBrokenSequence: verification.firstBrokenSequence, problem: verification.problem
        )
    }
}
