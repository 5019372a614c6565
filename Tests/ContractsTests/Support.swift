import Foundation
import Testing
import Core
import CareNetwork
import Outcomes
import Contracts

/// A calendar date from a literal in a test.
func day(_ text: String) -> CalendarDate {
    guard let date = CalendarDate(iso8601: text) else { preconditionFailure("bad test date \(text)") }
    return date
}

/// Dollars and cents as a test writes them: `usd(2_240_000)`, `usd(984_375)`.
func usd(_ dollars: Int64, cents: Int64 = 0) -> Money { Money(minorUnits: dollars * 100 + cents) }

/// The repository's `Examples/contracts/<name>.yaml`, parsed.
func exampleContract(_ name: String) throws -> ContractTerms {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/contracts/\(name).yaml")
    return try ContractFile.parse(try Data(contentsOf: url))
}

/// An outcome event as a registry would send it.
func outcome(
    _ id: String, _ patient: String, _ date: String, _ kind: OutcomeKind, value: String? = nil, recorded: String? = nil,
    corrects: String? = nil
) -> OutcomeEvent {
    OutcomeEvent(
        id: OutcomeEventID(id), patientID: PatientID(patient), date: day(date), kind: kind, value: value, source: "registry",
        recordedOn: recorded.map(day), corrects: corrects.map { OutcomeEventID($0) }
    )
}

func coverage(_ patient: String, _ payer: String, _ start: String, _ end: String?) -> CoveragePeriod {
    CoveragePeriod(
        id: CoveragePeriodID("cov-\(patient)-\(payer)-\(start)"), patientID: PatientID(patient), payerID: PayerID(payer),
        planID: PlanID("plan-\(payer)"), memberID: "M-\(patient)", start: day(start), end: end.map(day)
    )
}

func treated(_ patient: String, _ terms: ContractTerms, infused: String, payer: String) -> TreatedPatient {
    TreatedPatient(
        patientID: PatientID(patient), productID: terms.product, infusionDate: day(infused), contractID: terms.id, payingPayer: PayerID(payer)
    )
}

func payer(_ id: String, _ kind: AccountKind) -> LedgerAccount { LedgerAccount(.payer(PayerID(id)), kind) }
func manufacturer(_ id: String, _ kind: AccountKind) -> LedgerAccount { LedgerAccount(.manufacturer(ManufacturerID(id)), kind) }
func mediator(_ kind: AccountKind) -> LedgerAccount { LedgerAccount(.mediator("curepath"), kind) }

/// Account balances (debits minus credits) after `transactions`.
func balances(_ transactions: [LedgerTransaction]) -> [LedgerAccount: Money] {
    var result: [LedgerAccount: Money] = [:]
    for line in TrialBalance(transactions).lines where line.balance.minorUnits != 0 { result[line.account] = line.balance }
    return result
}

/// A party's net position: the sum of its accounts' balances.
func net(_ party: Party, _ transactions: [LedgerTransaction]) -> Money {
    TrialBalance(transactions).lines.filter { $0.account.party == party }.reduce(Money.zero()) { $0 + $1.balance }
}

/// The transactions of one clause.
func clause(_ name: String, _ transactions: [LedgerTransaction]) -> [LedgerTransaction] {
    transactions.filter { $0.key.slot?.clause == name }
}

/// Settles and checks the invariants every settlement must keep: balanced, unique keys, and
/// a re-run over the result posts nothing.
func settle(
    _ contracts: [ContractTerms], _ patients: [TreatedPatient], coverage: [CoveragePeriod] = [], outcomes: [OutcomeEvent] = [],
    asOf: String, posted: [LedgerTransaction] = [], sourceLocation: SourceLocation = #_sourceLocation
) -> SettlementResult {
    let result = Settlement.run(contracts: contracts, treatedPatients: patients, coverage: coverage, outcomes: outcomes, asOf: day(asOf), posted: posted)
    let ledger = posted + result.transactions
    #expect(TrialBalance(ledger).isBalanced, sourceLocation: sourceLocation)
    #expect(Set(ledger.map(\.key)).count == ledger.count, "posting keys must be unique", sourceLocation: sourceLocation)
    let rerun = Settlement.evaluate(contracts: contracts, treatedPatients: patients, coverage: coverage, outcomes: outcomes, asOf: day(asOf), posted: ledger)
    #expect(rerun.isEmpty, "a re-run posted \(rerun.map(\.key.rawValue))", sourceLocation: sourceLocation)
    return result
}
