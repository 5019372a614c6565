import CurePathTesting
import Foundation
import Testing

@Suite("curepath agreements")
struct AgreementsCLITests {
    /// Printing needs Chromium; `.ci/run` installs it, a developer machine may not have it.
    static var hasChromium: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains { directory in
            ["chromium", "chromium-browser", "google-chrome"].contains { FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }
        }
    }

    @Test("the demo's agreements are listed, and one prints to a PDF; an unknown agreement is one line on stderr", .enabled(if: hasChromium))
    func listAndPrint() throws {
        try CLITests.withDemoDatabase { database in
            let list = try CurePathProcess.run(["agreements", "list", "--database", database])
            #expect(list.status == 0, "\(list.stderr)")
            let rows = list.stdout.split(separator: "\n")
            #expect(!rows.isEmpty)
            #expect(rows.contains { $0.contains("\tsigned\t") })
            let id = String(try #require(rows.first?.split(separator: "\t").first))
            let pdf = FileManager.default.temporaryDirectory.appendingPathComponent("sca-\(UUID().uuidString).pdf")
            defer { try? FileManager.default.removeItem(at: pdf) }
            let printed = try CurePathProcess.run(["agreements", "pdf", id, "--out", pdf.path, "--database", database])
            #expect(printed.status == 0, "\(printed.stderr)")
            let bytes = try Data(contentsOf: pdf)
            #expect(bytes.starts(with: Array("%PDF".utf8)))
            let missing = try CurePathProcess.run(["agreements", "pdf", "sca-nope", "--out", pdf.path, "--database", database])
            #expect(missing.status != 0)
            #expect(missing.stderr.split(separator: "\n").count == 1 && missing.stderr.contains("sca-nope"))
        }
    }

    @Test("the document masks the member's name and ID unless --show-identifiers with a reason, and only that read is audited")
    func identifiersMaskedByDefault() throws {
        try CLITests.withDemoDatabase { database in
            let list = try CurePathProcess.run(["agreements", "list", "--database", database])
            let id = String(try #require(list.stdout.split(separator: "\n").first?.split(separator: "\t").first))
            let html = FileManager.default.temporaryDirectory.appendingPathComponent("sca-\(UUID().uuidString).html")
            defer { try? FileManager.default.removeItem(at: html) }
            func readsAudited() throws -> Int {
                let audit = try CurePathProcess.run(["audit", "list", "--action", "read-identifiers", "--database", database])
                return audit.stdout.split(separator: "\n").filter { $0.contains("read-identifiers") }.count
            }

            let masked = try CurePathProcess.run(["agreements", "pdf", id, "--out", html.path, "--database", database])
            #expect(masked.status == 0, "\(masked.stderr)")
            let maskedText = try String(contentsOf: html, encoding: .utf8)
            #expect(maskedText.contains("•••• (requires read-identifiers)"))
            #expect(try readsAudited() == 0)

            let noReason = try CurePathProcess.run(["agreements", "pdf", id, "--out", html.path, "--show-identifiers", "--database", database])
            #expect(noReason.status != 0)
            #expect(noReason.stderr.split(separator: "\n").count == 1 && noReason.stderr.contains("--reason"))
            #expect(try readsAudited() == 0)

            let shown = try CurePathProcess.run(["agreements", "pdf", id, "--out", html.path, "--show-identifiers",
                                                 "--reason", "signed copy for the payer's contracting file", "--database", database])
            #expect(shown.status == 0, "\(shown.stderr)")
            let shownText = try String(contentsOf: html, encoding: .utf8)
            #expect(!shownText.contains("requires read-identifiers"))
            #expect(try readsAudited() == 1)
        }
    }
}
