import APIContract
import Access
import Contracts
import Core
import Foundation
import Outcomes
import Storage

/// Manufacturers propose contract versions; the mediator files or rejects them. A proposal is
/// read and validated exactly as filing reads a contract file (``readContractFile(_:)``), so
/// a file the mediator would refuse is refused to the manufacturer first, with the same
/// problems. The API and the proposals page share the use cases below.
extension CurePathAPI {
    func listContractProposals(_ input: Operations.ListContractProposals.Input) async throws -> Operations.ListContractProposals.Output {
        let proposals = try await visibleProposals(status: nil)
        return .ok(.init(body: .json(.init(items: proposals.map { Components.Schemas.ContractProposal($0, withDocument: false) }))))
    }

    func proposeContract(_ input: Operations.ProposeContract.Input) async throws -> Operations.ProposeContract.Output {
        guard case .yaml(let body) = input.body else { throw ValidationError(field: "body", problem: "must be a contract file") }
        let bytes = try await [UInt8](body: body, limit: ContractFile.maximumBytes + 1, describedAs: "a contract file")
        let proposal = try await proposeContract(bytes)
        return .created(.init(body: .json(.init(proposal, withDocument: true))))
    }

    func getContractProposal(_ input: Operations.GetContractProposal.Input) async throws -> Operations.GetContractProposal.Output {
        .ok(.init(body: .json(.init(try await visibleProposal(input.path.proposalId), withDocument: true))))
    }

    func decideContractProposal(_ input: Operations.DecideContractProposal.Input) async throws -> Operations.DecideContractProposal.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let decided = try await decideProposal(input.path.proposalId, decision: body.decision.rawValue, reason: body.reason)
        return .ok(.init(body: .json(.init(decided, withDocument: false))))
    }

    /// A proposal's file read by the filing reader, its problems as a validation error (422,
    /// each with its line) like the rest of the proposal's answers.
    static func proposedTerms(_ bytes: [UInt8]) throws -> ContractTerms {
        do { return try readContractFile(bytes) } catch { throw error.validationError }
    }

    /// Records a manufacturer's proposal: a valid contract file whose manufacturer party is the
    /// caller's own manufacturer.
    func proposeContract(_ bytes: [UInt8]) async throws -> ContractProposal {
        guard let current = RequestIdentity.current, let manufacturer = current.principal.organization.manufacturer,
              current.principal.organization.kind == .manufacturer else {
            throw Problem.forbidden("only a manufacturer proposes contracts; the mediator files them")
        }
        let terms = try Self.proposedTerms(bytes)
        guard terms.parties.manufacturer.rawValue == manufacturer else {
            throw ValidationError(field: "parties.manufacturer", problem: "must be '\(manufacturer)', your organization: a manufacturer proposes only contracts it is party to")
        }
        let proposal = ContractProposal(
            id: ContractProposalID("cpr-\(UUID().uuidString.prefix(12).lowercased())"), organizationID: current.principal.organization.id.rawValue,
            manufacturer: manufacturer, contractID: terms.id, version: terms.version, document: String(decoding: bytes, as: UTF8.self),
            proposedBy: current.principal.userID.rawValue, proposedAt: clock())
        RequestIdentity.touch("contract-proposal:\(proposal.id)", "contract:\(terms.id)")
        try await store.proposals.propose(proposal)
        return proposal
    }

    /// The mediator's decision: `file` (the terms are read again from the proposed file and
    /// filed as `POST /contracts` would) or `reject` with a reason for the manufacturer.
    func decideProposal(_ rawID: String, decision rawDecision: String?, reason rawReason: String?) async throws -> ContractProposal {
        let proposal = try await visibleProposal(rawID)
        let reason = try Parse.text(rawReason, field: "reason", maxLength: 500)
        let decision: ContractProposalDecision
        switch rawDecision {
        case "file": decision = .file(try Self.proposedTerms(Array(proposal.document.utf8)))
        case "reject":
            guard let reason else { throw ValidationError(field: "reason", problem: "is required to reject: say what the manufacturer should change") }
            decision = .reject(reason: reason)
        default: throw ValidationError(field: "decision", problem: "must be file or reject")
        }
        RequestIdentity.touch("contract-proposal:\(proposal.id)", "contract:\(proposal.contractID)")
        return try await store.proposals.decide(proposal.id, decision, by: RequestIdentity.current?.principal.userID.rawValue ?? "")
    }

    /// Proposals the caller sees: the mediator every one, a manufacturer its own organization's,
    /// anyone else none.
    func visibleProposals(status: ContractProposal.Status?) async throws -> [ContractProposal] {
        guard let organization = RequestIdentity.current?.principal.organization else { return [] }
        switch organization.kind {
        case .mediator: return try await store.proposals.list(organization: nil, status: status)
        case .manufacturer: return try await store.proposals.list(organization: organization.id.rawValue, status: status)
        case .center, .payer, .registry, .policy: return []
        }
    }

    /// One proposal the caller sees; another organization's is "not found", as is one that does not exist.
    func visibleProposal(_ raw: String) async throws -> ContractProposal {
        let id: ContractProposalID = try Identifier.validated(raw, field: "proposalId")
        let organization = RequestIdentity.current?.principal.organization
        guard let proposal = try await store.proposals.find(id),
              organization?.kind == .mediator || (organization?.kind == .manufacturer && organization?.id.rawValue == proposal.organizationID) else {
            throw NotFoundError(entity: "contract proposal", id: id.rawValue)
        }
        return proposal
    }
}

extension Components.Schemas.ContractProposal {
    init(_ proposal: ContractProposal, withDocument: Bool) {
        self.init(
            id: proposal.id.rawValue, organizationId: proposal.organizationID, manufacturer: proposal.manufacturer, contractId: proposal.contractID.rawValue,
            version: proposal.version, status: .init(rawValue: proposal.status.rawValue)!, proposedBy: proposal.proposedBy, proposedAt: proposal.proposedAt,
            decidedBy: proposal.decidedBy, decidedAt: proposal.decidedAt, reason: proposal.reason, document: withDocument ? proposal.document : nil)
    }

}
