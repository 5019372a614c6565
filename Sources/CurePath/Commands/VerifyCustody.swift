import ArgumentParser
import Core
import Journey
import Storage

/// `curepath verify-custody CASE | --all`: recompute custody logs' hash chains, check their
/// MACs under the audit key and their heads against the checkpoint kept outside the
/// database, and report the first altered or missing entry; exits 1 when a chain is broken.
struct VerifyCustody: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify-custody", abstract: "Verify a case's chain of identity and custody, or every case's.")

    @Argument(help: "The case ID.") var caseID: String?
    @Flag(help: "Verify every custody log the database holds or the checkpoint records.") var all = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        if all {
            guard caseID == nil else { throw refusal("CASE: give a case or --all, not both") }
            return try await verifyAll()
        }
        guard let caseID else { throw refusal("CASE: a case ID is required (or --all)") }
        let id: CaseID
        do { id = try Identifier.validated(caseID, field: "CASE") } catch { throw refusal(error.description) }
        let (found, verification) = try await database.withStore { store in
            (try await store.cases.find(id) != nil, try await store.custody.verify(id))
        }
        // A case the database lacks is only an error of input if the checkpoint never saw its chain.
        guard found || verification.checkpointCount != nil else {
            printError("case \(id) does not exist")
            throw ExitCode(2)
        }
        if verification.intact {
            print(ChainVerificationText.intact("case \(id): custody chain", verification))
        } else {
            printError(ChainVerificationText.broken("case \(id): custody chain", verification) + (found ? "" : " (the case itself is not in the database)"))
            throw ExitCode(1)
        }
    }

    private func verifyAll() async throws {
        let results = try await database.withStore { try await $0.custody.verifyAll() }
        let broken = results.filter { !$0.verification.intact }
        for (id, verification) in broken { printError(ChainVerificationText.broken("case \(id): custody chain", verification)) }
        print("\(results.count - broken.count) of \(results.count) custody chains intact")
        if !broken.isEmpty { throw ExitCode(1) }
    }
}
