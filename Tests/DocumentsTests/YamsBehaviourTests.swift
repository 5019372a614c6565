import Core
import Documents
import Testing
import Yams

/// What ``YAMLDocument`` and ``DocumentReader`` rely on in Yams (and the libyaml it bundles),
/// checked so that a dependency update that changes any of it fails here, by name, instead
/// of quietly weakening the upload checks. `Package.swift` holds Yams to 6.x for the same reason.
@Suite("The Yams behaviour the document reader relies on")
struct YamsBehaviourTests {
    static let limits = DocumentLimits(documentName: "test file", maximumBytes: 65_536, maximumDepth: 8, maximumNodes: 100, maximumScalarBytes: 1_024)

    @Test("marks are 1-based lines and columns, the same places the event scan reports")
    func marksAreOneBased() throws {
        let root = try #require(try Yams.compose(yaml: "a: 1\nlist:\n  - &x item\n"))
        let key = try #require(root.mapping?.keys.first { $0.string == "list" })
        #expect(key.mark?.line == 2 && key.mark?.column == 1)
        let item = try #require(root["list"]?.sequence?.first)
        #expect(item.mark?.line == 3 && item.mark?.column == 5)
        // The scan names the same place for the anchor that Yams gives the node.
        #expect(throws: FileIssue(line: 3, column: 5, problem: "anchors and aliases are not allowed in test files (found the anchor &x); write each value out in full", rule: "anchors")) {
            try YAMLDocument.compose(Array("a: 1\nlist:\n  - &x item\n".utf8), limits: Self.limits)
        }
    }

    @Test("a key given twice is still Yams's duplicatedKeysInMapping, with its place")
    func duplicateKeys() {
        #expect(throws: FileIssue(line: 1, column: 1, problem: "a key is given twice: a", rule: "unique")) {
            try YAMLDocument.compose(Array("a: 1\nb: 2\na: 3\n".utf8), limits: Self.limits)
        }
    }

    @Test("scalar styles tell plain from quoted text, which numbers and booleans depend on")
    func scalarStyles() throws {
        let root = try YAMLDocument.compose(Array("plain: 12\ndouble: \"12\"\nsingle: '12'\nempty:\n".utf8), limits: Self.limits)
        #expect(root["plain"]?.scalar?.style == .plain)
        #expect(root["double"]?.scalar?.style == .doubleQuoted)
        #expect(root["single"]?.scalar?.style == .singleQuoted)
        #expect(root["empty"]?.scalar?.string == "")
    }

    @Test("the event stream still carries anchors, aliases and tags on every kind of node")
    func eventsCarryProperties() {
        for text in ["a: &x 1\n", "a: &x [1]\n", "a: &x {b: 1}\n", "a: *x\n"] {
            #expect(throws: FileIssue.self) { try YAMLDocument.compose(Array(text.utf8), limits: Self.limits) }
        }
        for text in ["a: !t 1\n", "a: !t [1]\n", "a: !t {b: 1}\n"] {
            do {
                _ = try YAMLDocument.compose(Array(text.utf8), limits: Self.limits)
                Issue.record("\(text.debugDescription) was accepted")
            } catch {
                #expect(error.rule == "tags")
            }
        }
    }
}
