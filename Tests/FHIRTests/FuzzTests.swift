import Testing
import Core
@testable import FHIR

/// Damaged input must be read or refused with a FHIRError, never crash.
@Suite("FHIR robustness")
struct FuzzTests {
    /// One seeded mutation: truncation, byte flips, a duplicated slice or deep nesting.
    static func mutate(_ original: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(random.next() % UInt64(bound)) }
        var bytes = original
        switch below(4) {
        case 0:
            bytes = Array(bytes.prefix(below(bytes.count)))
        case 1:
            let alphabet = Array("{}[]\",:0123456789.-eE truefalsnul\\u\u{00}\u{7F}".utf8) + [0xC3, 0xFF, 0x80]
            for _ in 0..<(1 + below(8)) where !bytes.isEmpty {
                let at = below(bytes.count)
                switch below(3) {
                case 0: bytes[at] = alphabet[below(alphabet.count)]
                case 1: bytes.remove(at: at)
                default: bytes[at] ^= UInt8(truncatingIfNeeded: 1 << below(8))
                }
            }
        case 2:
            let start = below(bytes.count), length = below(min(400, bytes.count - start))
            let slice = bytes[start..<(start + length)]
            bytes.insert(contentsOf: slice, at: below(bytes.count))
        default:
            let depth = 1 + below(5_000)
            let at = below(bytes.count)
            let open = below(2) == 0 ? Array("[".utf8) : Array("{\"a\":".utf8)
            bytes.insert(contentsOf: Array(repeating: open, count: depth).joined(), at: at)
        }
        return bytes
    }

    @Test func mutatedInputsAreReadOrRefused() throws {
        let originals = [try example(dlbclBundle), try example("claim-response-approved.json"), try PriorAuthorizationBundle.make(submission())]
        var random = SeededGenerator(seed: 0xF41D)
        var read = 0, refused = 0
        for round in 0..<500 {
            let bytes = FuzzTests.mutate(originals[round % originals.count], &random)
            do {
                _ = try ClinicalFactsImport.read(bytes, patient: patientID, receivedOn: day("2026-05-15"))
                read += 1
            } catch {
                refused += 1
                #expect(!error.issues.isEmpty)
                #expect(error.issues.allSatisfy { !$0.path.isEmpty && !$0.problem.isEmpty })
            }
            do {
                _ = try ClaimDecisionImport.read(bytes)
            } catch {
                #expect(!error.issues.isEmpty)
            }
        }
        #expect(refused > 0)
        #expect(read > 0)
    }
}
