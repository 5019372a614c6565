import ArgumentParser
import CareNetwork
import Core
import Coverage
import Foundation
import Server
import Storage

/// `curepath agreements list|pdf`: single-case agreements from the terminal, and the signed
/// document as PDF (headless Chromium's print-to-PDF).
struct AgreementsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreements", abstract: "List single-case agreements; print one to PDF.", subcommands: [ListAgreementsCommand.self, AgreementPDF.self])
}

struct ListAgreementsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every agreement: id, case, parties, status, versions.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        for agreement in try await database.withStore({ try await $0.agreements.list(scope: .all, caseID: nil) }) {
            print("\(agreement.id)\t\(agreement.caseID)\t\(agreement.center)\t\(agreement.payer)\t\(agreement.status.rawValue)\t\(agreement.versions.count) versions")
        }
    }
}

struct AgreementPDF: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pdf",
        abstract: "Print an agreement (the accepted version, or --version) to PDF with headless Chromium; the member's name and ID are masked unless --show-identifiers (audited).")

    @Argument(help: "The agreement id.") var id: String
    @Option(help: "The PDF file to write (a name ending in .html gets the HTML document itself, without Chromium).") var out: String
    @Option(help: "The version to print (default: the accepted one, else the latest).") var version: Int?
    @Option(help: "The Chromium binary (default: $CUREPATH_CHROMIUM, chromium or chromium-browser on PATH).") var chromium: String?
    @Flag(help: "Fill in the member's name and member ID (personal identifiers); needs --reason, and the read is audited.") var showIdentifiers = false
    @Option(help: "Why the identifiers are needed (10–500 characters), for the audit log; with --show-identifiers.") var reason: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let agreementID: AgreementID
        do { agreementID = try Identifier.validated(id, field: "id") } catch { throw refusal(error.description) }
        let reason = self.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if showIdentifiers, !(10...500).contains(reason.count) {
            throw refusal("--reason: say why the member's identifiers are needed, in 10 to 500 characters")
        }
        if !showIdentifiers, !reason.isEmpty { throw refusal("--reason: only with --show-identifiers") }
        let html = try await database.withStore(filing: id) { store -> String in
            guard let agreement = try await store.agreements.find(agreementID, scope: .all) else { throw NotFoundError(entity: "agreement", id: id) }
            let number = version ?? agreement.acceptance?.version ?? agreement.latest.number
            guard let chosen = agreement.version(number) else {
                throw ValidationError(field: "--version", problem: "version \(number) does not exist (the agreement has 1 to \(agreement.latest.number))")
            }
            var member = (name: IdentifierDisclosure.masked, memberID: IdentifierDisclosure.masked)
            if showIdentifiers {
                let opened = try await store.openIdentifiers(of: agreement.patient, memberIDWith: agreement.payer, for: IdentifierRead(
                    at: Date(), userID: consoleUser, organizationID: nil,
                    purpose: .shown("agreement PDF of \(agreement.id) version \(number); reason: \(reason)")))
                member = AgreementDocument.memberIdentity(opened)
            }
            return AgreementDocument.html(agreement, version: chosen, library: try await store.agreements.library(), directory: try await store.reference.directory(),
                                          memberName: member.name, memberID: member.memberID)
        }
        if out.lowercased().hasSuffix(".html") {
            try html.write(to: URL(fileURLWithPath: out), atomically: true, encoding: .utf8)
            print("wrote \(out)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curepath-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("agreement.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        guard let binary = chromium ?? ProcessInfo.processInfo.environment["CUREPATH_CHROMIUM"] ?? Self.onPath(["chromium", "chromium-browser", "google-chrome"]) else {
            throw refusal("--chromium: no Chromium found; install Debian's chromium or name the binary")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
                             "--print-to-pdf=\(URL(fileURLWithPath: out).standardizedFileURL.path)", page.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: out) else {
            throw refusal("\(binary) could not print the agreement (exit \(process.terminationStatus))")
        }
        print("wrote \(out)")
    }

    static func onPath(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") { return "\(directory)/\(name)" }
        }
        return nil
    }
}
