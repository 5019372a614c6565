import Access
import Core
import Foundation
import Storage

/// The audit log for compliance officers: newest first, filtered by user, organization,
/// action or outcome, with the result of verifying the whole hash chain.
struct AuditPage {
    struct Row { var sequence: Int; var at, user, organization, action, object, outcome, requestId, detail: String }

    var session = PageSession.current
    var user: String
    var organization: String
    var action: String
    var outcomes: [Option]
    var rows: [Row]
    var total: Int
    var chainStatus: String
    var chainClass: String
    var nextPage: String?

    init(page: (items: [AuditEntry], total: Int), query: AuditQuery, verification: HashChain.Verification, link: (Int) -> String) {
        user = query.userID ?? ""
        organization = query.organizationID ?? ""
        action = query.action ?? ""
        outcomes = AuditOutcome.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == query.outcome) }
        rows = page.items.map {
            Row(sequence: $0.sequence, at: AuditEntry.timestamp($0.at), user: $0.userID ?? "", organization: $0.organizationID ?? "",
                action: $0.action, object: $0.object, outcome: $0.outcome.rawValue, requestId: $0.requestID ?? "", detail: $0.detail ?? "")
        }
        total = page.total
        if verification.intact {
            chainStatus = "Chain intact: all \(verification.entryCount) entries verified."
            chainClass = "intact"
        } else {
            chainStatus = "Chain broken at entry \(verification.firstBrokenSequence!): \(verification.problem!)"
            chainClass = "broken"
        }
        nextPage = query.offset + page.items.count < page.total ? link(query.offset + query.limit) : nil
    }
}
