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
}
