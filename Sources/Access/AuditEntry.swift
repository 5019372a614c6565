import Core
import Foundation

/// One line of the audit log: who did (or tried to do) what to which object, when, under
/// which request. The log records every read of personal identifiers and every write.
///
/// Entries are hash-chained (``HashChained``) and MACed under the audit key: `curepath audit
/// verify` recomputes the chain, checks it against the head checkpoint kept outside the
/// database, and names the first entry that was edited, removed or reordered.
public struct AuditEntry: Hashable, Sendable, Codable, HashChained {
    public var sequence: Int
    /// When, in whole milliseconds since 1970 (UTC): an integer, so the hashed form survives
    /// any round trip through storage exactly.
    public var atMilliseconds: Int64
    public var at: Date { Date(timeIntervalSince1970: Double(atMilliseconds) / 1000) }
    public var userID: String?
    public var organizationID: String?
    /// An ``Action`` raw value, or a system action such as `sign-in` or `issue-token`.
    public var action: String
    /// What was acted on: `case:case-00012`, `patient:pat-00003`, `user:usr-…`.
    public var object: String
    public var outcome: AuditOutcome
    public var requestID: String?
    /// Why, where the action needs a reason (reading identifiers), or what was refused.
    public var detail: String?
    public var previousHash: String
    public var hash: String
    /// The hash MACed under the audit key, which storage adds as it appends (``HashChained``).
    public var mac: String?

    public init(
        sequence: Int, atMilliseconds: Int64, userID: String?, organizationID: String?, action: String, object: String, outcome: AuditOutcome,
        requestID: String?, detail: String?, previousHash: String, hash: String, mac: String? = nil
    ) {
        self.sequence = sequence
        self.atMilliseconds = atMilliseconds
        self.userID = userID
        self.organizationID = organizationID
        self.action = action
        self.object = object
        self.outcome = outcome
        self.requestID = requestID
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
        self.mac = mac
    }

    public var canonicalText: String {
        HashChain.canonical([
            "v1", String(sequence), String(atMilliseconds), userID ?? "", organizationID ?? "", action, object,
            outcome.rawValue, requestID ?? "", detail ?? "", previousHash,
        ])
    }

    /// UTC ISO 8601 with milliseconds: audit entries are ordered finer than custody steps.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }
}

public enum AuditOutcome: String, Hashable, Sendable, Codable, CaseIterable {
    case allowed
    case denied
    case failed
}

/// What is to be audited, before the log gives it a place in the chain.
public struct AuditRecord: Hashable, Sendable {
    public var at: Date
    public var userID: String?
    public var organizationID: String?
    public var action: String
    public var object: String
    public var outcome: AuditOutcome
    public var requestID: String?
    public var detail: String?

    public init(
        at: Date, userID: String?, organizationID: String?, action: String, object: String, outcome: AuditOutcome,
        requestID: String? = nil, detail: String? = nil
    ) {
        self.at = at
        self.userID = userID
        self.organizationID = organizationID
        self.action = action
        self.object = object
        self.outcome = outcome
        self.requestID = requestID
        self.detail = detail
    }

    /// The record for `principal` doing `action` on `object`.
    public init(_ principal: Principal, _ action: Action, object: String, outcome: AuditOutcome, at: Date, requestID: String?, detail: String? = nil) {
        self.init(
            at: at, userID: principal.userID.rawValue, organizationID: principal.organization.id.rawValue, action: action.rawValue,
            object: object, outcome: outcome, requestID: requestID, detail: detail
        )
    }

    /// The entry this record becomes after `previous` (nil for the first).
    public func entry(after previous: AuditEntry?) -> AuditEntry {
        // Text that could forge the separator is replaced, never rejected: the log must take
        // every event, including ones caused by hostile input.
        func clean(_ text: String?) -> String? {
            text.map { String(String.UnicodeScalarView($0.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 })) }
        }
        var entry = AuditEntry(
            sequence: (previous?.sequence ?? 0) + 1, atMilliseconds: Int64((at.timeIntervalSince1970 * 1000).rounded(.down)), userID: clean(userID),
            organizationID: clean(organizationID), action: clean(action) ?? "", object: clean(object) ?? "", outcome: outcome,
            requestID: clean(requestID), detail: clean(detail), previousHash: previous?.hash ?? HashChain.genesis, hash: ""
        )
        entry.hash = HashChain.hash(entry.canonicalText)
        return entry
    }
}
