import Foundation
import Testing
import Criteria

/// Damaged files and expressions must be refused or read, never crash the parser.
@Suite("Criteria parser robustness")
struct FuzzTests {
    struct Random {
        var state: UInt64
        mutating func below(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    @Test(arguments: [regional, heartland, nationalHealth])
    func mutatedExampleFilesAreReadOrRefused(name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/criteria/\(name).yaml")
        let original = [UInt8](try Data(contentsOf: url))
        var random = Random(state: UInt64(name.utf8.count))
        let alphabet = Array(" -:[]{}#\"'\n0123456789.abcdefghijklmnopqrstuvwxyz*<=>&|!()".utf8)
        var refused = 0
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + random.below(4)) {
                let at = random.below(bytes.count)
                switch random.below(3) {
                case 0: bytes.remove(at: at)
                case 1: bytes[at] = alphabet[random.below(alphabet.count)]
                default: bytes.insert(alphabet[random.below(alphabet.count)], at: at)
                }
            }
            do {
                _ = try CriteriaFile.parse(bytes)
            } catch {
                refused += 1
                #expect(!error.issues.isEmpty)
                #expect(error.issues.allSatisfy { !$0.problem.isEmpty })
            }
        }
        #expect(refused > 0)
    }

    @Test func randomExpressionsAreParsedOrRefused() {
        let tokens = ["age", "ecog", "labs.ldh", "uln.ldh", "exclusions.cnsInvolvement", "1.5", "2", "and", "or", "not", "(", ")", "<", "<=", "==", "*", "+", "-", "true", "=", "labs.x"]
        var random = Random(state: 42)
        var accepted = 0
        for _ in 0..<2_000 {
            let source = (0..<(1 + random.below(9))).map { _ in tokens[random.below(tokens.count)] }.joined(separator: " ")
            switch CriteriaExpression.parse(source) {
            case .success(let expression):
                accepted += 1
                #expect(expression.source == source)
            case .failure(let error):
                #expect(error.column >= 1 && error.column <= source.count + 1, "\(source): \(error)")
            }
        }
        #expect(accepted > 0)
    }

    /// The refusal of `text`, and how long it took.
    static func refusal(_ text: String) -> (issue: CriteriaFileError.Issue?, seconds: Double) {
        let started = ContinuousClock.now
        var issue: CriteriaFileError.Issue?
        do {
            _ = try CriteriaFile.parse(text)
        } catch {
            issue = error.issues.first
        }
        let elapsed = ContinuousClock.now - started
        return (issue, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    @Test("the reported attack: explicit keys over nested anchors with `? *a8` last is refused at the first anchor, at once")
    func explicitKeysOverNestedAnchors() {
        var text = "format: curepath.criteria/v1\nid: bomb\nversion: 1\n? &a0 [x, x]\n: 0\n"
        for level in 1...20 { text += "? &a\(level) [*a\(level - 1), *a\(level - 1)]\n: \(level)\n" }
        text += "? *a8\n: z\n"
        let (issue, seconds) = Self.refusal(text)
        #expect(issue?.description == "line 4, column 3: anchors and aliases are not allowed in criteria files (found the anchor &a0); write each value out in full [anchors]")
        #expect(seconds < 10)
    }

    @Test("anchors, aliases, merge keys and tags in a real criteria file are refused with their line and column")
    func anchorsInARealFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/criteria/\(heartland).yaml")
        let original = try String(contentsOf: url, encoding: .utf8)
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let effective = try #require(lines.firstIndex { $0.hasPrefix("effective:") })
        // The same value shared by an anchor and an alias, as a YAML author might try.
        var shared = lines
        shared[effective] = "effective: &dates"
        shared.append("copy: *dates")
        let anchor = Self.refusal(shared.joined(separator: "\n")).issue
        #expect(anchor?.line == effective + 1 && anchor?.column == 12 && anchor?.rule == "anchors")
        var merged = lines
        merged.insert("  <<: {to: 2030-01-01}", at: effective + 1)
        let merge = Self.refusal(merged.joined(separator: "\n")).issue
        #expect(merge?.line == effective + 2 && merge?.column == 3 && merge?.problem.hasPrefix("merge keys (<<) are not allowed in criteria files") == true)
        var tagged = lines
        tagged[effective] = "effective: !!map"
        #expect(Self.refusal(tagged.joined(separator: "\n")).issue?.rule == "tags")
        #expect(Self.refusal(original).issue == nil)
    }

    @Test("every limit in CriteriaFile.limits is enforced with a message naming it")
    func limits() {
        let head = "format: curepath.criteria/v1\nid: big\nversion: 1\n"
        let cases: [(String, String)] = [
            (head + "title: " + String(repeating: "[", count: 10_000), "is nested deeper than 32 levels [depth]"),
            (head + "title:\n  " + String(repeating: "- ", count: 10_000), "is nested deeper than 32 levels"),
            (head + "title: [" + Array(repeating: "1", count: 25_000).joined(separator: ",") + "]", "has more than 20000 values; criteria files are not that large"),
            (head + "title: '" + String(repeating: "x", count: 20_000) + "'", "line 4, column 8: a value is 19 KB; no value in a criteria file may be longer than 16 KB [size-limit]"),
            (head + "title: " + String(repeating: "x", count: 5 * 1_048_576), "the file is 5 MB; a criteria file may be at most 256 KB [size-limit]"),
        ]
        for (text, expected) in cases {
            let (issue, seconds) = Self.refusal(text)
            #expect(issue?.description.contains(expected) == true, "\(String(describing: issue)) does not say \(expected)")
            #expect(seconds < 10)
        }
    }
}

