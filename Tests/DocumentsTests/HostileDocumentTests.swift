import Core
import Documents
import Foundation
import Testing

/// The attacks on uploaded YAML, each refused before anything is expanded, with the line and
/// column of the offending token or the limit it passed — and quickly.
///
/// The time bound asserted here is a sanity check with a wide margin; the guarantee is
/// structural: ``YAMLDocument`` refuses on libyaml's flat event stream, where an alias is
/// one event, so no alias is ever followed and every check stops at its limit.
@Suite("Hostile YAML documents")
struct HostileDocumentTests {
    static let limits = DocumentLimits(
        documentName: "criteria file", maximumBytes: 262_144, maximumDepth: 32, maximumNodes: 20_000, maximumScalarBytes: 16_384)

    /// The first problem in `text`, and how long finding it took.
    static func refusal(_ text: String, limits: DocumentLimits = limits) -> (issue: FileIssue?, seconds: Double) {
        refusal(Array(text.utf8), limits: limits)
    }

    static func refusal(_ bytes: [UInt8], limits: DocumentLimits = limits) -> (issue: FileIssue?, seconds: Double) {
        let clock = ContinuousClock()
        var issue: FileIssue?
        let elapsed = clock.measure {
            do throws(FileIssue) {
                _ = try YAMLDocument.compose(bytes, limits: limits)
            } catch {
                issue = error
            }
        }
        return (issue, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Nested anchors a0…a`depth`, each a list of two aliases of the one before: the tree
    /// they stand for has 2^depth leaves.
    static func nestedAnchors(_ depth: Int, explicitKeys: Bool) -> String {
        var text = "format: curepath.criteria/v1\n"
        text += explicitKeys ? "? &a0 [x, x]\n: 0\n" : "a0: &a0 [x, x]\n"
        for level in 1...depth {
            text += explicitKeys ? "? &a\(level) [*a\(level - 1), *a\(level - 1)]\n: \(level)\n" : "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n"
        }
        return text
    }

    @Test("the attacker's file: explicit keys over nested anchors, `? *a8` last, refused at the first anchor")
    func explicitKeysOverNestedAnchors() {
        let text = Self.nestedAnchors(8, explicitKeys: true) + "? *a8\n: z\n"
        let (issue, seconds) = Self.refusal(text)
        #expect(issue?.description == "line 2, column 3: anchors and aliases are not allowed in criteria files (found the anchor &a0); write each value out in full [anchors]")
        #expect(seconds < 10)
    }

    @Test("nested anchors a0…a20 (a million-fold expansion) are refused at the first anchor")
    func nestedAnchorsToTwenty() {
        let (issue, seconds) = Self.refusal(Self.nestedAnchors(20, explicitKeys: false) + "bomb: *a20\n")
        #expect(issue?.rule == "anchors")
        #expect(issue?.line == 2 && issue?.column == 5)
        #expect(issue?.problem.hasPrefix("anchors and aliases are not allowed in criteria files") == true)
        #expect(seconds < 10)
    }

    @Test("a billion laughs is refused at its first anchor")
    func billionLaughs() {
        let lol = "[" + Array(repeating: "lol", count: 9).joined(separator: ", ") + "]"
        var text = "a0: &a0 \(lol)\n"
        for level in 1...9 { text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n" }
        let (issue, seconds) = Self.refusal(text)
        #expect(issue?.line == 1 && issue?.column == 5 && issue?.rule == "anchors")
        #expect(seconds < 10)
    }

    @Test("an alias alone, even of an anchor never defined, is refused where it stands")
    func aliasAlone() {
        let (issue, _) = Self.refusal("format: x\nkey: *nowhere\n")
        #expect(issue?.description == "line 2, column 6: anchors and aliases are not allowed in criteria files (found the alias *nowhere); write each value out in full [anchors]")
        let (key, _) = Self.refusal("format: x\n? *a8\n: z\n")
        #expect(key?.line == 2 && key?.column == 3 && key?.rule == "anchors")
    }

    @Test("anchors on scalars, lists and mappings, in block and flow, as keys and values, are all refused")
    func anchorsAnywhere() {
        let cases: [(String, Int, Int)] = [
            ("a: &s text\n", 1, 4),
            ("a: &l [1, 2]\n", 1, 4),
            ("a: &m {b: 1}\n", 1, 4),
            ("a:\n  - &i item\n", 2, 5),
            ("&root\na: 1\n", 1, 1),
            ("&k key: 1\n", 1, 1),
            ("{&k key: 1}\n", 1, 2),
            ("? &c [1]\n: v\n", 1, 3),
            ("a: !!str &s text\n", 1, 4),
        ]
        for (text, line, column) in cases {
            let (issue, _) = Self.refusal(text)
            #expect(issue?.line == line && issue?.column == column, "\(text.debugDescription): \(String(describing: issue))")
            #expect(issue?.rule == "anchors" || issue?.rule == "tags", "\(text.debugDescription): \(String(describing: issue))")
        }
    }

    @Test("merge keys are refused, with or without an alias")
    func mergeKeys() {
        let (withAlias, _) = Self.refusal("base: &b {a: 1}\nother:\n  <<: *b\n")
        #expect(withAlias?.line == 1 && withAlias?.column == 7 && withAlias?.rule == "anchors")
        let (inline, _) = Self.refusal("other:\n  <<: {a: 1}\n")
        #expect(inline?.description == "line 2, column 3: merge keys (<<) are not allowed in criteria files; write each field out in full [anchors]")
        // A quoted "<<" is an ordinary key, which the format's reader then refuses as unknown.
        #expect(Self.refusal("\"<<\": 1\n").issue == nil)
    }

    @Test("tags — standard, local, verbatim and declared — are refused with their place")
    func tags() {
        let (binary, _) = Self.refusal("a: 1\nb: !!binary aGVsbG8=\n")
        #expect(binary?.description == "line 2, column 4: tags are not allowed in criteria files (found tag:yaml.org,2002:binary); write the value plainly [tags]")
        for text in ["a: !local x\n", "a: !<tag:yaml.org,2002:str> x\n", "a: !!map {b: 1}\n", "a: !!seq [1]\n", "a: ! x\n"] {
            let (issue, _) = Self.refusal(text)
            #expect(issue?.rule == "tags" && issue?.line == 1 && issue?.column == 4, "\(text.debugDescription): \(String(describing: issue))")
        }
        let (directive, _) = Self.refusal("%TAG ! tag:example.com,2000:\n---\na: 1\n")
        #expect(directive?.rule == "tags")
    }

    @Test("10,000 nested [, { and - (and 3,000 indented levels) are refused at the depth limit")
    func deepNesting() {
        let inputs = [
            "a: " + String(repeating: "[", count: 10_000),
            "a: " + String(repeating: "{b: ", count: 10_000),
            String(repeating: "- ", count: 10_000) + "x\n",
            // Block nesting by indentation: 3,000 levels is already 4.5 MB of spaces.
            (0..<3_000).map { String(repeating: " ", count: $0) + "- " }.joined(separator: "\n") + "x\n",
            (0..<3_000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " x\n",
        ]
        for input in inputs {
            let (issue, seconds) = Self.refusal(input, limits: Self.unbounded(bytes: 100_000_000))
            #expect(issue?.problem == "is nested deeper than 32 levels", "\(input.prefix(20).debugDescription): \(String(describing: issue))")
            #expect(issue?.rule == "depth" && issue?.line != nil && issue?.column != nil)
            #expect(seconds < 10, "\(input.prefix(20).debugDescription) took \(seconds) s")
        }
    }

    @Test("a 5 MB scalar is refused by size, and a long one inside the size limit by its length")
    func hugeScalars() {
        let (file, seconds) = Self.refusal("a: " + String(repeating: "x", count: 5 * 1_048_576))
        #expect(file?.description == "the file is 5 MB; a criteria file may be at most 256 KB [size-limit]")
        #expect(seconds < 10)
        let (value, _) = Self.refusal("a: 1\nb: \"" + String(repeating: "x", count: 200_000) + "\"\n")
        #expect(value?.description == "line 2, column 4: a value is 195 KB; no value in a criteria file may be longer than 16 KB [size-limit]")
        let (unbounded, again) = Self.refusal("a: " + String(repeating: "x", count: 5 * 1_048_576), limits: Self.unbounded(bytes: 10 * 1_048_576))
        #expect(unbounded?.rule == "size-limit" && unbounded?.line == 1)
        #expect(again < 10)
    }

    @Test("many small values are refused at the node limit")
    func manyNodes() {
        let flow = "a: [" + Array(repeating: "1", count: 30_000).joined(separator: ",") + "]\n"
        let (issue, seconds) = Self.refusal(flow)
        #expect(issue?.description.hasPrefix("line 1, column ") == true)
        #expect(issue?.problem == "has more than 20000 values; criteria files are not that large")
        #expect(seconds < 10)
        let empties = "a: [" + Array(repeating: "[]", count: 30_000).joined(separator: ",") + "]\n"
        #expect(Self.refusal(empties).issue?.rule == "size-limit")
        let block = (0..<30_000).map { "k\($0): v" }.joined(separator: "\n")
        #expect(Self.refusal(block).issue?.rule == "size-limit")
    }

    @Test("keys must be text, one document per file, and syntax, encoding and control characters have a place")
    func structure() {
        #expect(Self.refusal("{[a]: 1}\n").issue?.description == "line 1, column 2: a key must be text, not a list [syntax]")
        #expect(Self.refusal("? {a: 1}\n: 2\n").issue?.problem == "a key must be text, not a mapping")
        #expect(Self.refusal("a: 1\n---\nb: 2\n").issue?.line == 2)
        let syntax = Self.refusal("a: [unclosed\n").issue
        #expect(syntax?.rule == "syntax" && syntax?.line != nil && syntax?.column != nil)
        let encoding = Self.refusal(Array("a: 1\nb: ".utf8) + [0xC0, 0x80]).issue
        #expect(encoding?.rule == "encoding" && encoding?.line == 2 && encoding?.column == 4)
        #expect(encoding?.problem.hasPrefix("byte 9 is not valid UTF-8") == true)
        let control = Self.refusal("a: 1\nb: x\u{07}y\n").issue
        #expect(control?.description == "line 2, column 5: contains a control character (U+7) [encoding]")
        #expect(Self.refusal("a: 1\na: 2\n").issue?.rule == "unique")
        #expect(Self.refusal("  \n# only a comment\n").issue?.problem == "the file is empty")
    }

    @Test("ordinary documents still read: & and * inside text, comments and block scalars are not anchors")
    func ordinaryDocuments() throws {
        let text = """
            # &comment *not-an-alias
            title: R&D for *all* patients
            quoted: "&a *b"
            single: '!tag'
            note: |
              &a *b !c
            list: [a&b, "*c"]
            json: {"k": [1, 2.5, true, null]}

            """
        let root = try YAMLDocument.compose(Array(text.utf8), limits: Self.limits)
        #expect(root["title"]?.string == "R&D for *all* patients")
        #expect(root["note"]?.string == "&a *b !c\n")
        #expect(root["json"]?["k"]?.array().count == 4)
        // A byte-order mark from a Windows editor is not content.
        let marked = try YAMLDocument.compose([0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8), limits: Self.limits)
        #expect(marked["a"]?.string == "1")
    }

    /// Limits so wide only the one under test can trip.
    static func unbounded(bytes: Int) -> DocumentLimits {
        DocumentLimits(documentName: "criteria file", maximumBytes: bytes, maximumDepth: 32, maximumNodes: 10_000_000, maximumScalarBytes: 16_384)
    }
}
