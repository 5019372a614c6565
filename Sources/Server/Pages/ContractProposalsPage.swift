import Access
import Core
import Foundation
import Storage

/// Contract proposals: a manufacturer uploads a contract file and follows what became of it;
/// the mediator's operator reads each waiting file and files or rejects it with a reason.
struct ContractProposalsPage {
    struct Row {
        var id, contract, version, status, organization, proposedAt, document: String
        /// Absent until the mediator decides (an empty string would still render its heading).
        var decided, reason: String?
        var waiting: Bool
        /// The refusal of a decision just posted about this proposal.
        var error: String?
    }

    var session = PageSession.current
    var rows: [Row]
    var canPropose: Bool
    var canDecide: Bool
    var notice: String?
    /// A refused upload: the summary, and every problem with its line.
    var uploadError: String?
    var uploadErrors: [String]
    var document: String

    init(proposals: [ContractProposal], organizations: [String: String], canPropose: Bool, canDecide: Bool, notice: String?,
         uploadError: ValidationError? = nil, document: String = "", decisionError: (id: String, message: String)? = nil) {
        self.canPropose = canPropose
        self.canDecide = canDecide
        self.notice = notice
        self.document = document
        uploadErrors = uploadError?.issues.map { "\($0.field): \($0.problem)" } ?? []
        self.uploadError = uploadError.map { "The file was not proposed: \($0.issues.count) problem\($0.issues.count == 1 ? "" : "s")." }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        rows = proposals.map { proposal in
            Row(id: proposal.id.rawValue, contract: proposal.contractID.rawValue, version: String(proposal.version), status: proposal.status.rawValue,
                organization: organizations[proposal.organizationID] ?? proposal.organizationID, proposedAt: day.string(from: proposal.proposedAt),
                document: proposal.document, decided: proposal.decidedAt.map { day.string(from: $0) }, reason: proposal.reason,
                waiting: proposal.status == .proposed, error: decisionError?.id == proposal.id.rawValue ? decisionError?.message : nil)
        }
    }
}
