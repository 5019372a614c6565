import Contracts
import Core
import Foundation

public enum ContractProposalTag {}
public typealias ContractProposalID = Identifier<ContractProposalTag>

/// A contract version a manufacturer proposed for the mediator to file: the file as uploaded
/// (already read and validated as filing would), and what the mediator decided.
public struct ContractProposal: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// Waiting for the mediator.
        case proposed
        /// The mediator filed it: it is now a contract version like any other.
        case filed
        /// The mediator refused it, with a reason for the manufacturer.
        case rejected
    }

    public var id: ContractProposalID
    /// The proposing organization: it, and the mediator, see the proposal; nobody else.
    public var organizationID: String
    /// The contract's manufacturer party, which is the proposer's own.
    public var manufacturer: String
    public var contractID: ContractID
    public var version: Int
    public var document: String
    public var status: Status
    public var proposedBy: String
    public var proposedAt: Date
    public var decidedBy: String?
    public var decidedAt: Date?
    public var reason: String?

    public init(id: ContractProposalID, organizationID: String, manufacturer: String, contractID: ContractID, version: Int, document: String,
                status: Status = .proposed, proposedBy: String, proposedAt: Date, decidedBy: String? = nil, decidedAt: Date? = nil, reason: String? = nil) {
        self.id = id
        self.organizationID = organizationID
        self.manufacturer = manufacturer
        self.contractID = contractID
        self.version = version
        self.document = document
        self.status = status
        self.proposedBy = proposedBy
        self.proposedAt = proposedAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.reason = reason
    }
}

/// What the mediator decides about a proposal.
public enum ContractProposalDecision: Hashable, Sendable {
    /// File the proposed terms as the contract version they are.
    case file(ContractTerms)
    /// Refuse it; the reason tells the manufacturer what to change.
    case reject(reason: String)
}
