import ArgumentParser

/// `curepath`: the server and the command-line tool in one executable, so an operator
/// migrates, reports and verifies with exactly the code the server runs.
@main
struct CurePathCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curepath",
        abstract: "Cases from referral to infusion for cell and gene therapies: server and tools.",
        subcommands: [Serve.self, Migrate.self, Report.self, VerifyCustody.self, Bench.self],
        defaultSubcommand: Serve.self
    )
}
