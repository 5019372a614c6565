import ArgumentParser
import Foundation

/// `curepath`: the server and the command-line tool in one executable, so an operator
/// migrates, reports and verifies with exactly the code the server runs.
@main
struct CurePathCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curepath",
        abstract: "Cases from referral to infusion for cell and gene therapies: server and tools.",
        subcommands: [Serve.self, Migrate.self, Demo.self, Report.self, VerifyCustody.self, Bench.self, BackupCommand.self, RestoreCommand.self, Admin.self, Audit.self, OutcomesCommand.self, ContractsCommand.self, SettleCommand.self, LedgerCommand.self, CriteriaCommand.self, AgreementsCommand.self, TokenizeCommand.self, ExportCommand.self, TemplatesCommand.self, CentersCommand.self, PayersCommand.self, PlansCommand.self, ProductsCommand.self],
        defaultSubcommand: Serve.self
    )

    /// Parses and runs like ArgumentParser's default, except that a refusal is one line on
    /// stderr (no usage dump), so scripts and people see exactly what was wrong.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            // Help, version and ExitCode thrown after a message was already printed.
            if code == .success || error is ExitCode { exit(withError: error) }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("curepath: \(message.replacingOccurrences(of: "Error: ", with: ""))\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}
