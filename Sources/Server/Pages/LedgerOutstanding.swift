import Contracts
import Core
import Foundation
import Storage

/// Installments per contract: billed so far, still to come, and cancelled by failure or
/// death — what the manufacturer can still expect and the payers still owe.
///
/// Only the settlement engine knows which future installments still stand, so the page asks
/// it, the way the net-price report does. That means replaying every treated patient, which
/// is quick for a real book of contracts but not for a benchmark's million patients: above
/// ``patientLimit`` the page says so instead of stalling.
struct LedgerOutstanding {
    struct Row {
        var contract: String
        var units: Int
        var billed: String
        var outstanding: String
        var cancelled: String
    }

    static let patientLimit = 20_000

    var rows: [Row]
    var total: String
    var asOf: String
    /// Why there are no rows, when there are none.
    var note: String?
    /// Stored, not computed: templates read values through reflection, which sees only stored ones.
    var hasRows: Bool

    init(units: [UnitSettlement], asOf: CalendarDate, currency: Currency = .usd) {
        self.asOf = asOf.description
        var sums: [ContractID: (units: Int, billed: Int64, outstanding: Int64, cancelled: Int64)] = [:]
        var total: Int64 = 0
        // One currency per table: a contract priced in another is left out rather than added.
        for unit in units where unit.unitPrice.currency == currency {
            var sum = sums[unit.contractID] ?? (0, 0, 0, 0)
            sum.units += 1
            sum.billed += unit.billed.minorUnits
            sum.outstanding += unit.outstandingInstallments.minorUnits
            sum.cancelled += unit.cancelledInstallments.minorUnits
            total += unit.outstandingInstallments.minorUnits
            sums[unit.contractID] = sum
        }
        func money(_ minorUnits: Int64) -> String { Money(minorUnits: minorUnits, currency: currency).description }
        rows = sums.sorted { $0.key.rawValue < $1.key.rawValue }.map {
            Row(contract: $0.key.rawValue, units: $0.value.units, billed: money($0.value.billed), outstanding: money($0.value.outstanding),
                cancelled: money($0.value.cancelled))
        }
        self.total = money(total)
        hasRows = !rows.isEmpty
        note = rows.isEmpty ? "No treated patients are enrolled under a contract yet." : nil
    }

    private init(note: String, asOf: CalendarDate) {
        rows = []
        hasRows = false
        total = Money.zero().description
        self.asOf = asOf.description
        self.note = note
    }

    /// The engine's view as of `asOf`, given the postings already made.
    static func load(from store: Store, asOf: CalendarDate) async throws -> LedgerOutstanding {
        let count = try await store.contracts.treatedPatientCount()
        guard count <= patientLimit else {
            return LedgerOutstanding(
                note: "\(count) treated patients are too many to replay on a page; the net-price report (GET /api/v1/ledger/net-prices) gives the figures per unit.",
                asOf: asOf)
        }
        guard count > 0 else { return LedgerOutstanding(units: [], asOf: asOf) }
        return LedgerOutstanding(units: try await SettlementService(store: store).units(asOf: asOf), asOf: asOf)
    }
}
