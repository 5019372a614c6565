import CurePathTesting
import Foundation
import Testing

@Suite("curepath templates")
struct TemplatesCLITests {
    static let template = """
        format: curepath.journey/v1
        id: screen-then-dose
        version: 1
        name: Screen, then dose
        infusionStage: infusion
        stages:
          - { key: referral, name: Referral }
          - { key: antibody_screen, name: AAV antibody screen, waitsFor: [{ stage: referral, kind: start-to-start }] }
          - { key: infusion, name: Infusion, waitsFor: [{ stage: antibody_screen, kind: finish-to-start }] }

        """

    /// A folder with a migrated database, removed afterwards.
    static func withDatabase(_ body: (URL, String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curepath-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("t.sqlite").path
        _ = try CurePathProcess.run(["migrate", "--database", database])
        try body(directory, database)
    }

    @Test("add files a version once; list shows the shipped templates and the filed one")
    func addAndList() throws {
        try Self.withDatabase { directory, database in
            let file = directory.appendingPathComponent("screen.yaml")
            try Self.template.write(to: file, atomically: true, encoding: .utf8)
            let first = try CurePathProcess.run(["templates", "add", file.path, "--database", database])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("filed screen-then-dose version 1: Screen, then dose, 3 stages"))
            let again = try CurePathProcess.run(["templates", "add", file.path, "--database", database])
            #expect(again.status == 0 && again.stdout.contains("already filed"))

            try Self.template.replacingOccurrences(of: "AAV antibody screen", with: "Screen").write(to: file, atomically: true, encoding: .utf8)
            let rewrite = try CurePathProcess.run(["templates", "add", file.path, "--database", database])
            #expect(rewrite.status != 0)
            #expect(rewrite.stderr.contains("never rewritten") && rewrite.stderr.split(separator: "\n").count == 1)

            let list = try CurePathProcess.run(["templates", "list", "--database", database])
            #expect(list.status == 0)
            let lines = list.stdout.split(separator: "\n")
            #expect(lines.map { $0.split(separator: "\t").first.map(String.init) ?? "" } == ["car-t", "gene-therapy", "in-vivo-gene-therapy", "screen-then-dose@1"])
            #expect(list.stdout.contains("in-vivo-gene-therapy\tshipped\tversion 1\tIn vivo gene therapy\treferral → benefits_investigation"))
            #expect(!lines[2].contains("apheresis"))
        }
    }

    @Test("a bad file is one line on stderr naming its line, column and field, and nothing is filed")
    func badFile() throws {
        try Self.withDatabase { directory, database in
            let file = directory.appendingPathComponent("typo.yaml")
            try Self.template.replacingOccurrences(of: "{ stage: antibody_screen,", with: "{ stage: antibody_scren,").write(to: file, atomically: true, encoding: .utf8)
            let refused = try CurePathProcess.run(["templates", "add", file.path, "--database", database])
            #expect(refused.status != 0)
            #expect(refused.stderr.split(separator: "\n").count == 1)
            #expect(refused.stderr.contains("line 9, column 58: stages[2].waitsFor[0].stage: antibody_scren is not a stage of this template (did you mean antibody_screen?)"), "\(refused.stderr)")

            let bomb = directory.appendingPathComponent("bomb.yaml")
            try "a: &a [x, x]\nb: [*a, *a]\n".write(to: bomb, atomically: true, encoding: .utf8)
            let aliases = try CurePathProcess.run(["templates", "add", bomb.path, "--database", database])
            #expect(aliases.status != 0 && aliases.stderr.contains("anchors and aliases are not allowed in journey template files"))

            let list = try CurePathProcess.run(["templates", "list", "--database", database])
            #expect(!list.stdout.contains("screen-then-dose"))
        }
    }

    @Test("import files every template in a folder, checking all before filing any")
    func importFolder() throws {
        try Self.withDatabase { directory, database in
            let folder = directory.appendingPathComponent("templates")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Self.template.write(to: folder.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
            try Self.template.replacingOccurrences(of: "version: 1", with: "version: 2")
                .write(to: folder.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
            try "format: curepath.journey/v1\n".write(to: folder.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
            let refused = try CurePathProcess.run(["templates", "import", folder.path, "--database", database])
            #expect(refused.status != 0 && refused.stderr.contains("c.yaml"))
            #expect(!(try CurePathProcess.run(["templates", "list", "--database", database]).stdout.contains("screen-then-dose")))

            try FileManager.default.removeItem(at: folder.appendingPathComponent("c.yaml"))
            let imported = try CurePathProcess.run(["templates", "import", folder.path, "--database", database])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("filed screen-then-dose version 1") && imported.stdout.contains("filed screen-then-dose version 2"))
            let all = try CurePathProcess.run(["templates", "list", "--all-versions", "--database", database])
            #expect(all.stdout.contains("screen-then-dose@1") && all.stdout.contains("screen-then-dose@2"))
        }
    }
}
