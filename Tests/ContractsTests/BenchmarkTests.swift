import Testing
import Core
import Contracts

@Suite("Settlement benchmark workload")
struct BenchmarkTests {
    @Test func theWorkloadSettlesBalancedAndTheSameInParallelAndInBatches() async {
        let workload = SettlementBenchmark.workload(patients: 3_000)
        #expect(workload.outcomes.count > 20_000)
        #expect(Set(workload.treatedPatients.map(\.contractID)).count == 10)
        let (measurement, sequential) = SettlementBenchmark.measure(workload)
        #expect(measurement.transactions == sequential.transactions.count && measurement.transactions > 10_000)
        #expect(TrialBalance(sequential.transactions).isBalanced)
        let parallel = await Settlement.run(
            contracts: workload.contracts, treatedPatients: workload.treatedPatients, coverage: workload.coverage,
            outcomes: workload.outcomes, asOf: workload.asOf, concurrency: 3
        )
        #expect(parallel.transactions == sequential.transactions)
        #expect(parallel.units == sequential.units)
        let batched = await SettlementBenchmark.measure(workload, batchSize: 700)
        #expect(batched.transactions == sequential.transactions.count)
        // The same seed gives the same workload; a re-run over the result posts nothing.
        #expect(SettlementBenchmark.workload(patients: 3_000).outcomes == workload.outcomes)
        #expect(SettlementBenchmark.measure(workload, posted: sequential.transactions).result.transactions.isEmpty)
    }
}
