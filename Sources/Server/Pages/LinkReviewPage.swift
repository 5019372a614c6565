import CareNetwork
import Foundation
import Core
import Storage

/// The records linkage could not decide, each with its candidates and the evidence for them,
/// and a form to accept one candidate or reject them all.
struct LinkReviewPage {
    struct Candidate { var patient, evidence, score: String; var checked: Bool }
    struct Item {
        var key, source, sourceName, recordID, status, method, evidence, linkedOn: String
        var candidates: [Candidate]
        /// The refusal of a decision just posted about this record, shown beside its form.
        var error: String?
        var reason: String
    }

    var session = PageSession.current
    var items: [Item]
    var total: Int
    var notice: String?
    var previous, next: String?

    /// What a reviewer posted, kept so a refused decision is shown with the form as it was.
    struct Posted { var source, recordID, patientID, reason, error: String }

    init(pending: [PendingLink], total: Int, offset: Int, limit: Int, organizations: [String: String], notice: String?, posted: Posted?) {
        self.total = total
        self.notice = notice
        previous = offset > 0 ? "/linkage/review?offset=\(max(0, offset - limit))" : nil
        next = offset + pending.count < total ? "/linkage/review?offset=\(offset + limit)" : nil
        items = pending.map { item in
            let record = item.record
            let mine = posted.flatMap { $0.source == record.source && $0.recordID == record.recordID ? $0 : nil }
            return Item(
                key: "\(record.source)-\(record.recordID)", source: record.source, sourceName: organizations[record.source] ?? record.source,
                recordID: record.recordID, status: record.status.rawValue, method: record.method == .token ? "tokens" : "CLK", evidence: record.evidence,
                linkedOn: record.linkedOn.description,
                candidates: item.candidates.map { candidate in
                    Candidate(patient: candidate.patientID.rawValue, evidence: candidate.evidence,
                              score: record.method == .token ? "\(Int(candidate.score)) rules" : String(format: "%.3f", candidate.score),
                              checked: mine?.patientID == candidate.patientID.rawValue)
                },
                error: mine?.error, reason: mine?.reason ?? "")
        }
    }
}
