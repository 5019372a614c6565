import Core

/// One line of a ledger transaction: an amount debited or credited to one account.
public struct LedgerEntry: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Debits add to an account's balance, credits take from it.
    public enum Side: String, Hashable, Sendable, Codable {
        case debit
        case credit
    }

    public var account: LedgerAccount
    public var side: Side
    /// Always positive; the side gives the direction. ``LedgerTransaction`` refuses anything else.
    public var amount: Money

    public init(account: LedgerAccount, side: Side, amount: Money) {
        self.account = account
        self.side = side
        self.amount = amount
    }

    public static func debit(_ account: LedgerAccount, _ amount: Money) -> LedgerEntry {
        LedgerEntry(account: account, side: .debit, amount: amount)
    }

    public static func credit(_ account: LedgerAccount, _ amount: Money) -> LedgerEntry {
        LedgerEntry(account: account, side: .credit, amount: amount)
    }

    /// Debit positive, credit negative: the entry's effect on the account's balance.
    public var signedMinorUnits: Int64 { side == .debit ? amount.minorUnits : -amount.minorUnits }

    /// The same amount on the other side: the entry that undoes this one.
    public var reversed: LedgerEntry { LedgerEntry(account: account, side: side == .debit ? .credit : .debit, amount: amount) }

    public var description: String { "\(side == .debit ? "Dr" : "Cr") \(account) \(amount)" }
}
