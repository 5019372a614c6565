import CareNetwork
import Core
import Foundation

/// A patient a source record came close to without being linked to it, and what agreed: the
/// token rules both sides share (`T1 T5`), or the Dice score of their CLKs (`dice 0.742`).
/// A reviewer decides on this evidence; the source never sees it.
public struct LinkCandidate: Hashable, Sendable, Codable {
    public var patientID: PatientID
    public var evidence: String
    /// How close: the number of agreeing token rules, or the Dice score. Higher is closer.
    public var score: Double

    public init(patientID: PatientID, evidence: String, score: Double) {
        self.patientID = patientID
        self.evidence = evidence
        self.score = score
    }
}

/// A record linkage could not decide — ambiguous, or unmatched with patients close to it —
/// waiting for a person.
public struct PendingLink: Hashable, Sendable {
    public var record: LinkedRecord
    /// Closest first.
    public var candidates: [LinkCandidate]

    public init(record: LinkedRecord, candidates: [LinkCandidate]) {
        self.record = record
        self.candidates = candidates
    }
}

/// A reviewer's decision on a pending record: it is one of its candidates, or it is none of them.
public enum LinkDecision: Hashable, Sendable {
    /// Link the record to this candidate: from now on it is a link like any other.
    case accept(PatientID)
    /// None of the candidates is this record: none of them is offered again, as a link or a candidate.
    case reject

    public var name: String {
        switch self {
        case .accept: "accept"
        case .reject: "reject"
        }
    }
}

public enum LinkReviewTag {}
public typealias LinkReviewID = Identifier<LinkReviewTag>

/// One recorded decision: what was decided about which record, by whom, when and why.
public struct LinkReview: Hashable, Sendable {
    public var id: LinkReviewID
    public var source: String
    public var recordID: String
    public var decision: LinkDecision
    public var reason: String?
    public var reviewedBy: String
    public var organizationID: String
    public var reviewedAt: Date

    public init(id: LinkReviewID, source: String, recordID: String, decision: LinkDecision, reason: String?, reviewedBy: String, organizationID: String, reviewedAt: Date) {
        self.id = id
        self.source = source
        self.recordID = recordID
        self.decision = decision
        self.reason = reason
        self.reviewedBy = reviewedBy
        self.organizationID = organizationID
        self.reviewedAt = reviewedAt
    }
}
