import Core

extension Statement {
    /// The statement as a party that may not see patients receives it (a manufacturer): the
    /// same balances, with each day's postings summed per account, category, contract clause
    /// and side, and no patient ID, posting key or per-unit memo on any line.
    ///
    /// A posting key and a memo name the patient, and even a number ("patient 1 of 14") would
    /// let the lines of one unit be followed from payment to refund; summed lines still
    /// reconcile to the same opening and closing balances.
    public func withoutPatients() -> Statement {
        struct Group: Hashable {
            var date: CalendarDate
            var account: LedgerAccount
            var category: PostingCategory
            var contractID: ContractID?
            var contractVersion: Int?
            var clause: String?
            var isReversal: Bool
            var isDebit: Bool
        }
        var order: [Group] = []
        var sums: [Group: (minorUnits: Int64, postings: Int)] = [:]
        for line in lines {
            let group = Group(date: line.date, account: line.account, category: line.category, contractID: line.contractID,
                              contractVersion: line.contractVersion, clause: line.clause, isReversal: line.isReversal, isDebit: line.debit != nil)
            if sums[group] == nil { order.append(group) }
            let amount = (line.debit ?? line.credit)?.minorUnits ?? 0
            sums[group, default: (0, 0)].minorUnits += amount
            sums[group, default: (0, 0)].postings += line.postings
        }
        var running = opening.mapValues(\.minorUnits)
        var copy = self
        // Each item is one posting of one unit; the ageing keeps their sums.
        copy.items = []
        copy.lines = order.map { group in
            let (minorUnits, postings) = sums[group]!
            let amount = Money(minorUnits: minorUnits, currency: currency)
            running[group.account.kind, default: 0] += group.isDebit ? minorUnits : -minorUnits
            let contract = group.contractID.map { "\($0)@\(group.contractVersion ?? 0)" } ?? "-"
            let what = group.clause ?? group.category.rawValue
            return Line(
                date: group.date, key: "\(group.date)/\(contract)/\(what)/\(group.isDebit ? "debit" : "credit")\(group.isReversal ? "/reversal" : "")",
                account: group.account, category: group.category, debit: group.isDebit ? amount : nil, credit: group.isDebit ? nil : amount,
                balance: Money(minorUnits: running[group.account.kind]!, currency: currency),
                memo: "\(postings) \(postings == 1 ? "posting" : "postings")\(group.isReversal ? " reversed" : ""): \(what)",
                contractID: group.contractID, contractVersion: group.contractVersion, clause: group.clause, patientID: nil,
                isReversal: group.isReversal, postings: postings)
        }
        return copy
    }
}
