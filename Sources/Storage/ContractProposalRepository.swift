import Contracts
import Core
import Foundation
import SQLKit

/// Proposals of contract versions by manufacturers, and the mediator's decisions on them.
/// Filing a proposal stores the contract version and closes the proposal in one transaction.
public struct SQLContractProposalRepository: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.now = now
    }

    /// Records a new proposal.
    public func propose(_ proposal: ContractProposal) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "contract_proposals")
                .columns("id", "organization_id", "manufacturer", "contract_id", "version", "document", "status", "proposed_by", "proposed_at")
                .values(SQLBind(proposal.id.rawValue), SQLBind(proposal.organizationID), SQLBind(proposal.manufacturer), SQLBind(proposal.contractID.rawValue),
                        SQLBind(proposal.version), SQLBind(proposal.document), SQLBind(proposal.status.rawValue), SQLBind(proposal.proposedBy),
                        SQLBind(Self.timestamp(proposal.proposedAt)))
                .run()
        }
    }

    /// Proposals, newest first: of one organization (`nil`: every organization's), in one status if given.
    public func list(organization: String?, status: ContractProposal.Status?) async throws -> [ContractProposal] {
        try await database.withConnection { db in
            var query = db.select().column("*").from("contract_proposals")
            if let organization { query = query.where("organization_id", .equal, organization) }
            if let status { query = query.where("status", .equal, status.rawValue) }
            return try await query.orderBy("proposed_at", .descending).orderBy("id", .descending).all().map(Self.proposal)
        }
    }

    public func find(_ id: ContractProposalID) async throws -> ContractProposal? {
        try await database.withConnection { db in
            try await db.select().column("*").from("contract_proposals").where("id", .equal, id.rawValue).first().map(Self.proposal)
        }
    }

    /// Applies the mediator's decision to a proposal still waiting: files its terms (as
    /// `POST /contracts` would, conflicts included) or rejects it. A decided proposal is a
    /// conflict; an unknown one is not found.
    public func decide(_ id: ContractProposalID, _ decision: ContractProposalDecision, by user: String) async throws -> ContractProposal {
        let at = now()
        return try await database.transaction { db in
            guard let row = try await db.select().column("*").from("contract_proposals").where("id", .equal, id.rawValue).first() else {
                throw NotFoundError(entity: "contract proposal", id: id.rawValue)
            }
            var proposal = try Self.proposal(row)
            guard proposal.status == .proposed else {
                throw StorageError.conflict("proposal '\(id)' was already \(proposal.status.rawValue)")
            }
            switch decision {
            case .file(let terms):
                _ = try await SQLContractRepository.store(terms, document: proposal.document, in: db)
                proposal.status = .filed
            case .reject(let reason):
                proposal.status = .rejected
                proposal.reason = reason
            }
            proposal.decidedBy = user
            proposal.decidedAt = at
            try await db.update("contract_proposals")
                .set("status", to: SQLBind(proposal.status.rawValue)).set("decided_by", to: SQLBind(user))
                .set("decided_at", to: SQLBind(Self.timestamp(at))).set("reason", to: bind(proposal.reason))
                .where("id", .equal, id.rawValue)
                .run()
            return proposal
        }
    }

    /// Milliseconds, so proposals made in one second still sort in order.
    static func timestamp(_ date: Date) -> String { formatter().string(from: date) }

    static func formatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }

    static func proposal(_ row: any SQLRow) throws -> ContractProposal {
        func date(_ column: String) throws -> Date? {
            try row.optionalString(column).flatMap { formatter().date(from: $0) }
        }
        return ContractProposal(
            id: ContractProposalID(try row.string("id")), organizationID: try row.string("organization_id"), manufacturer: try row.string("manufacturer"),
            contractID: ContractID(try row.string("contract_id")), version: try row.int("version"), document: try row.string("document"),
            status: try row.enumeration("status", as: ContractProposal.Status.self), proposedBy: try row.string("proposed_by"),
            proposedAt: try date("proposed_at") ?? .distantPast, decidedBy: try row.optionalString("decided_by"), decidedAt: try date("decided_at"),
            reason: try row.optionalString("reason"))
    }
}
