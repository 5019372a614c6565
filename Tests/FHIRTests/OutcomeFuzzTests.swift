import Testing
import Core
@testable import FHIR

/// A damaged outcome bundle must be read or refused entry by entry, never crash.
@Suite("FHIR outcome import robustness")
struct OutcomeFuzzTests {
    @Test func mutatedBundlesAreReadOrRefused() throws {
        let original = try example(outcomesBundle)
        var random = SeededGenerator(seed: 0x0C7C0)
        var accepted = 0, refused = 0
        for _ in 0..<500 {
            let bytes = FuzzTests.mutate(original, &random)
            let result = outcomes(bytes)
            if result.isAccepted {
                accepted += 1
                // Whatever was read is a valid event.
                #expect(result.events.allSatisfy { $0.issues.isEmpty })
            } else {
                refused += 1
                #expect(result.errors.allSatisfy { !$0.path.isEmpty && !$0.problem.isEmpty })
                #expect(result.errors.count <= OutcomeBundleImport.maximumErrors)
            }
        }
        #expect(refused > 0)
        #expect(accepted > 0)
    }
}
