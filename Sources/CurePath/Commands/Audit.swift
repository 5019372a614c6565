import Access
import ArgumentParser
import Core
import Foundation
import Storage

/// `curepath audit …`: verify and read the audit log.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The audit log.", subcommands: [VerifyAudit.self, ListAudit.self])
}

/// `curepath audit verify`: recompute the hash chain; exit 1 and name the first altered entry
/// if anyone edited, removed or reordered history in the database.
struct VerifyAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verify the audit log's hash chain.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let verification = try await withStore(database) { store in HashChain.verify(try await store.audit.chain()) }
        if verification.intact {
            print("audit log intact (\(verification.entryCount) entries)")
        } else {
            printError("audit log broken at entry \(verification.firstBrokenSequence!): \(verification.problem!)")
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
