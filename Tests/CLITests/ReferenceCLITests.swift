import CurePathTesting
import Foundation
import Testing

/// `curepath centers|payers|plans|products`: a network set up from the terminal, from flags
/// and CSV files, with one line on stderr and a non-zero exit for anything wrong.
@Suite("curepath centers, payers, plans and products")
struct ReferenceCLITests {
    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curepath-reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("add, update and list each kind; a price from a date on; bad input is one line and nothing changes")
    func addUpdateList() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = ["--database", directory.appendingPathComponent("r.sqlite").path]
        func run(_ arguments: [String]) throws -> CurePathRun { try CurePathProcess.run(arguments + db) }

        let payer = try run(["payers", "add", "--id", "pay-il-medicaid", "--name", "Illinois Medicaid", "--kind", "medicaid", "--state", "IL"])
        #expect(payer.status == 0, "\(payer.stderr)")
        let plan = try run(["plans", "add", "--id", "plan-il", "--payer", "pay-il-medicaid", "--name", "Illinois Medicaid FFS", "--type", "medicaid", "--state", "IL"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let product = try run([
            "products", "add", "--id", "prd-zolgensma", "--name", "Zolgensma", "--generic-name", "onasemnogene abeparvovec",
            "--manufacturer", "Novartis Gene Therapies", "--modality", "in-vivo-gene-therapy", "--journey-template", "gene-therapy",
            "--manufacturing-days", "0", "--list-price", "2125000.00 USD", "--effective-from", "2019-05-24", "--hcpcs", "J3399",
        ])
        #expect(product.status == 0, "\(product.stderr)")
        let center = try run([
            "centers", "add", "--id", "ctr-lakeside", "--name", "Lakeside Cancer Center", "--street", "1 Shore Drive", "--city", "Chicago",
            "--state", "IL", "--postal-code", "60601", "--time-zone", "America/Chicago", "--accreditation", "fact-iec", "--workflow", "parallel",
            "--product", "prd-zolgensma",
        ])
        #expect(center.status == 0, "\(center.stderr)")

        // A bad field: one line naming it, exit non-zero, nothing written.
        let bad = try run(["centers", "update", "ctr-lakeside", "--postal-code", "6060", "--name", "Renamed"])
        #expect(bad.status != 0)
        #expect(bad.stderr.split(separator: "\n").count == 1 && bad.stderr.contains("postalCode"))
        let renamed = try run(["centers", "update", "ctr-lakeside", "--name", "Lakeside Cancer Institute"])
        #expect(renamed.status == 0, "\(renamed.stderr)")
        let centers = try run(["centers", "list"])
        #expect(centers.stdout.contains("ctr-lakeside\tLakeside Cancer Institute\t1 Shore Drive, Chicago, IL 60601\tAmerica/Chicago\tfact-iec\tparallel\tprd-zolgensma"))
        #expect(!centers.stdout.contains("Renamed"))

        let duplicate = try run(["payers", "add", "--id", "pay-il-medicaid", "--name", "Again", "--kind", "commercial"])
        #expect(duplicate.status != 0 && duplicate.stderr.contains("already used"))
        let backdated = try run(["products", "price", "prd-zolgensma", "--amount", "1.00 USD", "--effective-from", "2020-01-01"])
        #expect(backdated.status != 0 && backdated.stderr.contains("effectiveFrom"))
        let malformed = try run(["products", "price", "prd-zolgensma", "--amount", "1,000 USD", "--effective-from", "2099-01-01"])
        #expect(malformed.status != 0 && malformed.stderr.contains("--amount"))
        let future = try run(["products", "price", "prd-zolgensma", "--amount", "2300000.00 USD", "--effective-from", "2099-01-01"])
        #expect(future.status == 0, "\(future.stderr)")
        let prices = try run(["products", "prices", "prd-zolgensma"])
        #expect(prices.stdout == "2019-05-24\t2125000.00 USD\n2099-01-01\t2300000.00 USD\n")
        let then = try run(["products", "list", "--on", "2020-06-01"])
        #expect(then.stdout.contains("prd-zolgensma\tZolgensma\tNovartis Gene Therapies\tin-vivo-gene-therapy\t2125000.00 USD\t\tJ3399"))
        let plans = try run(["plans", "list"])
        #expect(plans.stdout.contains("plan-il\tpay-il-medicaid\tIllinois Medicaid FFS\tmedicaid\tIL"))
        // Every change is on the audit log as the console's.
        let audit = try run(["audit", "list"])
        #expect(audit.stdout.contains("add-center") && audit.stdout.contains("update-center") && audit.stdout.contains("add-price"))
    }

    @Test("import adds a whole file or nothing, naming line and column; a file that is not UTF-8 is refused")
    func importFiles() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = ["--database", directory.appendingPathComponent("r.sqlite").path]
        let payers = directory.appendingPathComponent("payers.csv")
        try "id,name,kind,state\npay-acme,\"Acme Health, Inc.\",commercial,\npay-tx-medicaid,Texas Medicaid,medicaid,TX\n"
            .write(to: payers, atomically: true, encoding: .utf8)
        let ok = try CurePathProcess.run(["payers", "import", payers.path] + db)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("added 2 payers"))
        let plans = directory.appendingPathComponent("plans.csv")
        try "id,payer_id,name,type,state\nplan-a,pay-acme,Acme PPO,commercial,\nplan-b,pay-nobody,Nobody,commercial,\n"
            .write(to: plans, atomically: true, encoding: .utf8)
        let refused = try CurePathProcess.run(["plans", "import", plans.path] + db)
        #expect(refused.status != 0)
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stderr.contains("line 3, column 2 (payer_id)"))
        let list = try CurePathProcess.run(["plans", "list"] + db)
        #expect(list.stdout.isEmpty)
        let latin1 = directory.appendingPathComponent("latin1.csv")
        try Data("id,name,kind\npay-caf,Caf".utf8 + [0xE9] + Data(",commercial\n".utf8)).write(to: latin1)
        let notUTF8 = try CurePathProcess.run(["payers", "import", latin1.path] + db)
        #expect(notUTF8.status != 0 && notUTF8.stderr.contains("line 2") && notUTF8.stderr.contains("UTF-8"))
    }
}
