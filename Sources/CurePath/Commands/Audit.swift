import Access
import ArgumentParser
import Core
import Foundation
import Storage

/// `curepath audit …`: verify and read the audit log.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The audit log.", subcommands: [VerifyAudit.self, ListAudit.self])
}

/// `curepath audit verify`: recompute the hash chain, check each entry's MAC under the audit
/// key and the chain's head against the checkpoint kept outside the database; exit 1 and
/// name the first altered or missing entry if anyone edited, removed, reordered or re-hashed
/// history in the database.
struct VerifyAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verify the audit log's hash chain, MACs and head checkpoint.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let verification = try await withStore(database) { store in try await store.audit.verify() }
        if verification.intact {
            print(ChainVerificationText.intact("audit log", verification))
        } else {
            printError(ChainVerificationText.broken("audit log", verification))
            throw ExitCode(1)
        }
    }
}

/// `curepath audit list`: the newest entries, optionally filtered.
struct ListAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show audit entries, newest first.")
    @Option(help: "Only this user.") var user: String?
    @Option(help: "Only this organization.") var organization: String?
    @Option(help: "Only this action.") var action: String?
    @Option(help: "How many.") var limit: Int = 50
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard (1...10_000).contains(limit) else { throw refusal("--limit: must be between 1 and 10000") }
        let page = try await withStore(database) { store in
            try await store.audit.entries(AuditQuery(userID: user, organizationID: organization, action: action, limit: limit))
        }
        for entry in page.items {
            print([String(entry.sequence), AuditEntry.timestamp(entry.at), entry.userID ?? "-", entry.organizationID ?? "-", entry.action, entry.object,
                   entry.outcome.rawValue, entry.requestID ?? "-", entry.detail ?? ""].joined(separator: "\t"))
        }
    }
}
