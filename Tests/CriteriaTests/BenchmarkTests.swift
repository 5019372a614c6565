import Testing
import Core
import Criteria

@Suite("Criteria benchmark workload")
struct BenchmarkTests {
    @Test func aSmallWorkloadIsDeterministicAndCountsEveryPair() {
        let workload = CriteriaBenchmark.workload(patients: 200, sets: 4)
        #expect(workload.patients.count == 200 && workload.sets.count == 4)
        #expect(workload.criterionEvaluations == 200 * (10 + 15 + 10 + 15))
        let counts = CriteriaBenchmark.run(workload)
        #expect(counts.likelyApprovable + counts.notApprovable + counts.incomplete == 800)
        #expect(counts.likelyApprovable > 0 && counts.notApprovable > 0 && counts.incomplete > 0)
        let again = CriteriaBenchmark.run(CriteriaBenchmark.workload(patients: 200, sets: 4))
        #expect(again.likelyApprovable == counts.likelyApprovable && again.notApprovable == counts.notApprovable && again.incomplete == counts.incomplete)
        for facts in workload.patients.prefix(20) { #expect(throws: Never.self) { try facts.validated() } }
    }

    @Test func fileErrorsReadAsValidationErrors() {
        let error = CriteriaFileError(line: 13, column: 3, path: "criteria.ecgo", problem: "is not a field here", rule: "unknown-key")
        #expect(error.validationError == ValidationError(field: "line 13, column 3: criteria.ecgo", problem: "is not a field here", rule: "unknown-key"))
        #expect(error.description == "line 13, column 3: criteria.ecgo: is not a field here [unknown-key]")
    }
}
