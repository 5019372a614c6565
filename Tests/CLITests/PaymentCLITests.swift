import CurePathTesting
import Foundation
import Testing

@Suite("curepath ledger pay and import-remittance")
struct PaymentCLITests {
    static func run(_ arguments: [String]) throws -> CurePathRun { try CurePathProcess.run(arguments) }

    static var today: String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }

    @Test("a payment on a demo payer's posting is recorded once, an overpayment and a hostile file are one line on stderr, and the ledger verifies")
    func payAndImport() throws {
        try CLITests.withDemoDatabase { path in
            let balance = try Self.run(["ledger", "trial-balance", "--database", path])
            let payer = try #require(balance.stdout.split(separator: "\n").lazy.compactMap { line -> String? in
                let account = line.split(separator: " ").first.map(String.init) ?? ""
                return account.hasPrefix("payer:") && account.hasSuffix(":payable") ? String(account.dropLast(":payable".count)) : nil
            }.first)
            let statement = try Self.run(["ledger", "statement", payer, "--format", "csv", "--database", path])
            #expect(statement.stdout.hasPrefix("date,key,account,category,debit,credit,balance,currency,reversal,contract_id,patient_id,memo,record,due_on,billed,paid,outstanding,ageing"))
            // A posting the payer still owes on: the outstanding column (second from the end) is negative.
            let rows: [[Substring]] = statement.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            func owing(_ fields: [Substring]) -> Bool {
                guard fields.count >= 18 else { return false }
                return fields[fields.count - 6] == "posting" && fields[fields.count - 2].hasPrefix("-")
            }
            let row = try #require(rows.first(where: owing))
            let key = String(row[1])
            let pay = ["ledger", "pay", "--reference", "ACH-CLI-1", "--payer", payer, "--payee", "mediator:nobody", "--value-date", Self.today,
                       "--posting", "\(key)=1.00", "--database", path]
            let wrongPayee = try Self.run(pay)
            #expect(wrongPayee.status == 64, "\(wrongPayee.stdout)")
            #expect(wrongPayee.stderr.split(separator: "\n").count == 1 && wrongPayee.stderr.contains("applications[0].posting"), "\(wrongPayee.stderr)")

            // The payee: whoever the posting is owed to, from the posting itself.
            let owedTo = try Self.run(["ledger", "statement", payer, "--format", "json", "--database", path])
            #expect(owedTo.status == 0)
            var recorded: CurePathRun?
            for payee in ["manufacturer:mfr-novartis", "manufacturer:mfr-bluebird", "manufacturer:mfr-csl", "manufacturer:mfr-vertex", "mediator:curepath"] {
                var arguments = pay
                arguments[arguments.firstIndex(of: "mediator:nobody")!] = payee
                let attempt = try Self.run(arguments)
                if attempt.status == 0 {
                    recorded = attempt
                    let again = try Self.run(arguments)
                    #expect(again.status == 0)
                    #expect(again.stdout.hasPrefix("already recorded ACH-CLI-1"))
                    var other = arguments
                    other[other.firstIndex(of: "\(key)=1.00")!] = "\(key)=2.00"
                    let conflict = try Self.run(other)
                    #expect(conflict.status == 64)
                    #expect(conflict.stderr.contains("already recorded for a different payment"))
                    var over = arguments
                    over[over.firstIndex(of: "ACH-CLI-1")!] = "ACH-CLI-2"
                    over[over.firstIndex(of: "\(key)=1.00")!] = "\(key)=999999999.00"
                    let refused = try Self.run(over)
                    #expect(refused.status == 64)
                    #expect(refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains("outstanding"), "\(refused.stderr)")
                    break
                }
            }
            #expect(recorded?.stdout.hasPrefix("recorded ACH-CLI-1") == true, "no payee accepted the payment")

            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            let hostile = directory.appendingPathComponent("remittance.csv")
            try Data("reference,payer,payee,value_date,posting,amount,currency\n=cmd|' /C calc'!A0,\(payer),mediator:curepath,\(Self.today),\(key),1.00,USD\n".utf8).write(to: hostile)
            let imported = try Self.run(["ledger", "import-remittance", hostile.path, "--database", path])
            #expect(imported.status == 64)
            #expect(imported.stderr.split(separator: "\n").count == 1 && imported.stderr.contains("line 2: reference"), "\(imported.stderr)")

            let verified = try Self.run(["ledger", "verify", "--database", path])
            #expect(verified.status == 0, "\(verified.stderr)")
            let trial = try Self.run(["ledger", "trial-balance", "--database", path])
            #expect(trial.stdout.hasSuffix("balanced\n"))
        }
    }
}
