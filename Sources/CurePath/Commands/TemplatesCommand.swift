import ArgumentParser
import Core
import Foundation
import Journey
import Storage

/// `curepath templates add|import|list`: journey template files filed for products to name,
/// from the terminal — the same checks and storage as `POST /api/v1/journey-templates`.
struct TemplatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "File and list journey templates (docs/JOURNEY.md, \"Template files\").",
        subcommands: [AddTemplate.self, ImportTemplates.self, ListTemplates.self])
}

/// Reads and parses a journey template file, or refuses with every problem on one line.
func readJourneyTemplateFile(_ path: String) throws -> (template: JourneyTemplate, text: String) {
    let data = try readInput(path, upTo: JourneyTemplateFile.limits.maximumBytes, or: "a journey template is a page; check that this is the right file")
    do throws(JourneyTemplateFileError) {
        return (try JourneyTemplateFile.parse(data), String(decoding: data, as: UTF8.self))
    } catch {
        throw refusal("\(path): \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"): " + error.issues.map(\.description).joined(separator: "; "))
    }
}

/// Files one template version and audits it; what filing did, in words.
func fileJourneyTemplate(_ template: JourneyTemplate, text: String, in store: Store) async throws -> String {
    switch try await store.journeyTemplates.file(template, document: text, filedBy: consoleUser) {
    case .stored(let version):
        try await auditAdmin(store, action: "file-journey-template", object: "journey-template:\(template.id)@\(version)")
        return "filed \(template.id) version \(version): \(template.name), \(template.stages.count) stages"
    case .alreadyStored(let version):
        return "\(template.id) version \(version) was already filed; nothing changed"
    }
}

struct AddTemplate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "File one journey template version from its file; filing the same file again changes nothing.")

    @Argument(help: "The template file (YAML or JSON, format curepath.journey/v1).") var file: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let (template, text) = try readJourneyTemplateFile(file)
        print(try await database.withStore(filing: file) { try await fileJourneyTemplate(template, text: text, in: $0) })
    }
}

struct ImportTemplates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "File every template in the given files or folders (*.yaml, *.yml, *.json); all are checked before any is filed.")

    @Argument(help: "Template files, or folders of them.") var paths: [String]
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard !paths.isEmpty else { throw refusal("name at least one template file or folder") }
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw refusal("\(path): no such file or folder") }
            if isFolder.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { [".yaml", ".yml", ".json"].contains(where: $0.hasSuffix) }.sorted().map { "\(path)/\($0)" }
            } else {
                files.append(path)
            }
        }
        guard !files.isEmpty else { throw refusal("\(paths.joined(separator: ", ")): no template files (*.yaml, *.yml, *.json) found") }
        // Every file is read first, so one bad file files nothing.
        let read = try files.map { ($0, try readJourneyTemplateFile($0)) }
        for (file, parsed) in read {
            print(try await database.withStore(filing: file) { try await fileJourneyTemplate(parsed.template, text: parsed.text, in: $0) })
        }
    }
}

struct ListTemplates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the shipped templates and the newest version of each filed one (--all-versions: every version).")

    @Flag(name: .customLong("all-versions"), help: "List every filed version, not only the newest.") var allVersions = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let catalog = try await database.withStore { try await $0.journeyTemplates.catalog() }
        let templates = allVersions ? JourneyTemplate.builtIn + catalog.filed : catalog.current
        for template in templates {
            let origin = JourneyTemplate.isBuiltIn(template.id) ? "shipped" : "filed"
            print("\(template.reference)\t\(origin)\tversion \(template.version)\t\(template.name)\t\(template.stages.map(\.key.rawValue).joined(separator: " → "))")
        }
    }
}
