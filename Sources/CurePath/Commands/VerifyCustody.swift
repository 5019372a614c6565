import ArgumentParser
import Core
import Journey
import Storage

/// `curepath verify-custody CASE`: recompute the custody log's hash chain and report the
/// first broken link; exits 1 when the chain is broken.
struct VerifyCustody: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify-custody", abstract: "Verify a case's chain of identity and custody.")

    @Argument(help: "The case ID.") var caseID: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let id: CaseID
        do { id = try Identifier.validated(caseID, field: "CASE") } catch { throw refusal(error.description) }
        let configuration = try database.configuration()
        let store = try await Store.open(configuration.database, identityKeys: configuration.identityKeys, decisionClocks: configuration.decisionClocks)
        let found: Bool
        let chain: [CustodyEntry]
        do {
            found = try await store.cases.find(id) != nil
            chain = found ? try await store.custody.chain(of: id) : []
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        guard found else {
            printError("case \(id) does not exist")
            throw ExitCode(2)
        }
        let verification = CustodyChain.verify(chain)
        if verification.intact {
            print("case \(id): custody chain intact (\(verification.entryCount) entries)")
        } else {
            printError("case \(id): custody chain broken at entry \(verification.firstBrokenSequence!): \(verification.problem!)")
            throw ExitCode(1)
        }
    }
}
