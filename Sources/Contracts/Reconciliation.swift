import Core

/// Turns what each posting slot should hold into the postings that make the ledger hold it.
///
/// For each slot, the net of what is already posted is compared with the target, account by
/// account. Equal: nothing is posted, which is why a re-run is idempotent. Different: the net
/// posted is reversed and the target posted anew, each under the slot's next sequence number,
/// which is why a late or corrected outcome posts only correcting entries and never edits.
enum Reconciliation {
    static func postings(
        targets: [SettlementTarget], posted: [LedgerTransaction], asOf: CalendarDate, results: [MeasureResult]
    ) -> [LedgerTransaction] {
        var output: [LedgerTransaction] = []
        append(targets: targets, posted: posted[...], asOf: asOf, results: results, to: &output)
        return output
    }

    /// Appends the postings to `output`, so a settlement of a million patients builds one array.
    static func append(
        targets: [SettlementTarget], posted: ArraySlice<LedgerTransaction>, asOf: CalendarDate, results: [MeasureResult],
        to output: inout [LedgerTransaction]
    ) {
        struct PostedSlot {
            var net: [LedgerAccount: Int64] = [:]
            var lastSequence = 0
            var live: [PostingKey] = []
            var last: LedgerTransaction?
            var currency = Currency.usd
        }
        // Nothing posted yet for this patient (a first settlement): every target is posted as is.
        if posted.isEmpty {
            for target in targets {
                output.append(make(
                    key: .settlement(target.slot, sequence: 1), date: target.effectiveOn, effectiveOn: target.effectiveOn,
                    category: target.category, entries: target.entries, citation: target.citation, reverses: [], memo: target.memo
                ))
            }
            return
        }
        // A re-run with nothing new: the ledger holds each target once, in the same order.
        if posted.count == targets.count, zip(posted, targets).allSatisfy({ transaction, target in
            transaction.key == .settlement(target.slot, sequence: 1) && transaction.entries == target.entries
        }) {
            return
        }
        var postedSlots: [PostingSlot: PostedSlot] = [:]
        postedSlots.reserveCapacity(posted.count)
        for transaction in posted.sorted(by: { sequence($0.key) < sequence($1.key) }) {
            guard case .settlement(let slot, let sequence) = transaction.key else { continue }
            var state = postedSlots[slot] ?? PostedSlot()
            for entry in transaction.entries { state.net[entry.account, default: 0] += entry.signedMinorUnits }
            state.lastSequence = max(state.lastSequence, sequence)
            if transaction.isReversal { state.live = [] } else { state.live.append(transaction.key) }
            state.last = transaction
            state.currency = transaction.entries[0].amount.currency
            postedSlots[slot] = state
        }

        var handled: Set<PostingSlot> = []
        for target in targets {
            handled.insert(target.slot)
            let existing = postedSlots[target.slot]
            // The usual case: one posting, never corrected, with exactly the entries wanted.
            if let existing, existing.live.count == 1, existing.lastSequence == 1, existing.last?.entries == target.entries { continue }
            let wanted = net(target.entries)
            let have = existing.map { nonZero($0.net) } ?? [:]
            guard have != wanted else { continue }
            var sequence = existing?.lastSequence ?? 0
            if !have.isEmpty, let existing {
                sequence += 1
                output.append(reversal(
                    of: existing.live, in: target.slot, sequence: sequence, net: have, currency: existing.currency, asOf: asOf,
                    category: target.category,
                    citation: target.citation, because: .corrected(target.memo)
                ))
            }
            sequence += 1
            output.append(make(
                key: .settlement(target.slot, sequence: sequence), date: existing == nil ? target.effectiveOn : asOf,
                effectiveOn: target.effectiveOn, category: target.category, entries: target.entries, citation: target.citation,
                reverses: [], memo: target.memo
            ))
        }
        // Slots posted before that should now hold nothing: the clause no longer applies.
        let resultByMeasure = Dictionary(results.map { ($0.measureID, $0) }, uniquingKeysWith: { first, _ in first })
        let leftover = postedSlots.filter { !handled.contains($0.key) }.sorted { $0.key < $1.key }
        for (slot, state) in leftover {
            let have = nonZero(state.net)
            guard !have.isEmpty, let last = state.last else { continue }
            var citation = last.citation
            if let measureID = citation?.measure?.measureID, let current = resultByMeasure[measureID] {
                citation?.measure = current
                citation?.eventIDs = current.evidence
            }
            let why = citation?.measure.map { "\($0.measureID) is now \($0.status.rawValue): \($0.explanation)" }
                ?? "the clause no longer applies as of \(asOf.iso)"
            output.append(reversal(
                of: state.live, in: slot, sequence: state.lastSequence + 1, net: have, currency: state.currency, asOf: asOf,
                category: last.category,
                citation: citation, because: .text("reversed: \(why)")
            ))
        }
    }

    private static func sequence(_ key: PostingKey) -> Int {
        if case .settlement(_, let sequence) = key { return sequence }
        return 0
    }

    private static func net(_ entries: [LedgerEntry]) -> [LedgerAccount: Int64] {
        var net: [LedgerAccount: Int64] = [:]
        for entry in entries { net[entry.account, default: 0] += entry.signedMinorUnits }
        return nonZero(net)
    }

    private static func nonZero(_ net: [LedgerAccount: Int64]) -> [LedgerAccount: Int64] {
        net.filter { $0.value != 0 }
    }

    private static func reversal(
        of keys: [PostingKey], in slot: PostingSlot, sequence: Int, net: [LedgerAccount: Int64], currency: Currency, asOf: CalendarDate,
        category: PostingCategory, citation: Citation?, because reason: PostingMemo
    ) -> LedgerTransaction {
        // Every entry of a slot is in the contract's currency.
        let entries = net.sorted { $0.key < $1.key }.map { account, balance in
            LedgerEntry(account: account, side: balance > 0 ? .credit : .debit, amount: Money(minorUnits: Int64(balance.magnitude), currency: currency))
        }
        return make(
            key: .settlement(slot, sequence: sequence), date: asOf, effectiveOn: asOf, category: category, entries: entries,
            citation: citation, reverses: keys.isEmpty ? [.settlement(slot, sequence: sequence - 1)] : keys, memo: reason
        )
    }

    private static func make(
        key: PostingKey, date: CalendarDate, effectiveOn: CalendarDate, category: PostingCategory, entries: [LedgerEntry],
        citation: Citation?, reverses: [PostingKey], memo: PostingMemo
    ) -> LedgerTransaction {
        do {
            return try LedgerTransaction(
                key: key, date: date, effectiveOn: effectiveOn, category: category, entries: entries, citation: citation,
                reverses: reverses, memo: memo
            )
        } catch {
            // The engine builds every posting from balanced parts; this is a defect, not bad input.
            preconditionFailure("settlement built an unbalanced posting: \(error)")
        }
    }
}
