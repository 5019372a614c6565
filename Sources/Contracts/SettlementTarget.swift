import Core

/// What one posting slot should hold as of a settlement date, before comparison with the ledger.
struct SettlementTarget {
    var slot: PostingSlot
    var effectiveOn: CalendarDate
    var category: PostingCategory
    var entries: [LedgerEntry]
    var citation: Citation
    var memo: PostingMemo
}
