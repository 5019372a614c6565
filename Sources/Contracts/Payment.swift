import Core

/// How much of one posting a payment settles.
public struct PaymentApplication: Hashable, Sendable, Codable {
    /// The settlement posting paid (an upfront payment, an installment, a refund…).
    public var posting: PostingKey
    public var amount: Money

    public init(posting: PostingKey, amount: Money) {
        self.posting = posting
        self.amount = amount
    }
}

/// Money that actually moved from one party to another, and the postings it settles.
///
/// The settlement engine posts what contracts say is owed; a payment records that some of it
/// was paid — a payer's upfront payment or installment to the manufacturer, a manufacturer's
/// refund or rebate to a payer, a payer's payment to a center, the mediator passing a reserve
/// or a pool's money on. ``transaction(in:)`` is the one rule for whether a payment may be
/// recorded and what it posts: it is used by the API, the remittance file, the page and the
/// command line alike.
public struct Payment: Hashable, Sendable {
    /// The remittance number (a bank transfer's id): the payment's idempotency key.
    public var reference: String
    /// Who paid.
    public var payer: Party
    /// Who was paid.
    public var payee: Party
    /// The day the money moved (the bank's value date).
    public var valueDate: CalendarDate
    /// The whole amount, in the payment's one currency.
    public var amount: Money
    /// The postings paid and how much of each; their amounts add up to ``amount``.
    public var applications: [PaymentApplication]

    public init(reference: String, payer: Party, payee: Party, valueDate: CalendarDate, amount: Money, applications: [PaymentApplication]) {
        self.reference = reference
        self.payer = payer
        self.payee = payee
        self.valueDate = valueDate
        self.amount = amount
        self.applications = applications
    }

    /// The payment's key in the ledger, `payment:payer:pay-a/ACH-1`: a reference is unique per
    /// payer, since two banks may issue the same remittance number.
    public var postingKey: PostingKey { .payment(reference: "\(payer.code)/\(reference)") }

    /// The longest reference kept: bank remittance numbers are well under it.
    public static let maximumReferenceLength = 64
    /// The most postings one payment may settle; a remittance for a large book is split.
    public static let maximumApplications = 1_000

    /// Why a reference is not acceptable, or `nil`. Letters, digits and `-_./` only: a
    /// reference starting with `=`, `+`, `-` or `@` would be a formula in a spreadsheet that
    /// opens a statement, and spaces or colons would make keys ambiguous.
    public static func referenceProblem(_ reference: String) -> String? {
        if reference.isEmpty { return "is required: the remittance number of the transfer" }
        if reference.utf8.count > maximumReferenceLength { return "is longer than \(maximumReferenceLength) characters" }
        func isLetterOrDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        guard let first = reference.utf8.first, isLetterOrDigit(first),
            reference.utf8.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") })
        else { return "must start with a letter or digit and hold only letters, digits, '-', '_', '.' and '/'" }
        return nil
    }

    /// The balanced transaction that records this payment, given the ledger it settles
    /// (at least every posting touching the payer); refused with every problem, each naming
    /// its field, when the payment cannot be recorded.
    ///
    /// A payment must: have a reference, a positive amount in one currency, and a payer other
    /// than the payee; name each posting once; apply positive amounts in its own currency
    /// adding up to its amount; and apply to each posting no more than is outstanding on it —
    /// both what the payer still owes on it and what the payee is still owed. A posting the
    /// payer owes nothing on, or the payee is owed nothing on, is refused as "not one of the
    /// payer's postings", the same words whether it does not exist or belongs to others, so
    /// an error tells nothing about anyone else's ledger.
    ///
    /// Recording cash moves each obligation to cash: the payer's account the posting credited
    /// (its payable, or the pool or reserve the mediator owes from) is debited and its cash
    /// credited; the payee's cash is debited and the account the posting debited (its
    /// receivable, reserve, pool or fees) credited. The trial balance still balances.
    public func transaction(in ledger: some Sequence<LedgerTransaction>) throws(ValidationError) -> LedgerTransaction {
        try transaction(against: OpenItems(ledger))
    }

    /// ``transaction(in:)`` against the ledger's open items already computed: what a batch of
    /// payments (a remittance file) checks each payment against, kept current with
    /// ``OpenItems/include(_:)``, so a file of n rows costs n checks, not n ledgers.
    public func transaction(against items: OpenItems) throws(ValidationError) -> LedgerTransaction {
        var issues: [ValidationError.Issue] = []
        if let problem = Self.referenceProblem(reference) { issues.append(.init(field: "reference", problem: problem, rule: "reference")) }
        if payer == payee { issues.append(.init(field: "payee", problem: "is the payer; a payment moves money between two parties", rule: "parties")) }
        if amount.minorUnits <= 0 { issues.append(.init(field: "amount", problem: "must be more than zero", rule: "amount")) }
        if applications.isEmpty {
            issues.append(.init(field: "applications", problem: "must name at least one posting the payment settles", rule: "required"))
        }
        if applications.count > Self.maximumApplications {
            issues.append(.init(field: "applications", problem: "names \(applications.count) postings; at most \(Self.maximumApplications) per payment"))
            throw ValidationError(issues: issues)
        }
        var seen: Set<PostingKey> = []
        var total: Int64 = 0
        var entries: [LedgerEntry] = []
        for (index, application) in applications.enumerated() {
            let field = "applications[\(index)]"
            guard seen.insert(application.posting).inserted else {
                issues.append(.init(field: "\(field).posting", problem: "names posting \(application.posting) a second time; give each posting once", rule: "unique"))
                continue
            }
            if application.amount.currency != amount.currency {
                issues.append(.init(
                    field: "\(field).amount", problem: "is in \(application.amount.currency.rawValue), the payment in \(amount.currency.rawValue); a payment is in one currency",
                    rule: "currency"))
                continue
            }
            guard application.amount.minorUnits > 0 else {
                issues.append(.init(field: "\(field).amount", problem: "must be more than zero", rule: "amount"))
                continue
            }
            total += application.amount.minorUnits
            guard let owed = items.item(application.posting, party: payer, direction: .owes),
                let due = items.item(application.posting, party: payee, direction: .owed)
            else {
                issues.append(.init(
                    field: "\(field).posting",
                    problem: "is not a posting \(payer) owes \(payee) on; name a posting from \(payer)'s statement", rule: "parties"))
                continue
            }
            guard owed.billed.currency == amount.currency else {
                issues.append(.init(
                    field: "\(field).amount",
                    problem: "is in \(amount.currency.rawValue); posting \(application.posting) is in \(owed.billed.currency.rawValue) and is paid in it (amounts are never converted)",
                    rule: "currency"))
                continue
            }
            let outstanding = min(owed.outstanding.minorUnits, due.outstanding.minorUnits)
            guard application.amount.minorUnits <= outstanding else {
                let left = Money(minorUnits: max(0, outstanding), currency: amount.currency)
                issues.append(.init(
                    field: "\(field).amount",
                    problem: "is \(application.amount), more than the \(left) outstanding on posting \(application.posting)", rule: "overpayment"))
                continue
            }
            entries.append(.debit(owed.account, application.amount))
            entries.append(.credit(due.account, application.amount))
        }
        if issues.isEmpty, total != amount.minorUnits {
            issues.append(.init(
                field: "amount", problem: "is \(amount), but the postings it settles add up to \(Money(minorUnits: total, currency: amount.currency))",
                rule: "applications"))
        }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        entries.append(.credit(LedgerAccount(payer, .cash), amount))
        entries.append(.debit(LedgerAccount(payee, .cash), amount))
        do {
            return try LedgerTransaction(
                key: postingKey, date: valueDate, category: .payment, entries: entries, citation: nil,
                memo: "payment \(reference) from \(payer) to \(payee): \(applications.count) \(applications.count == 1 ? "posting" : "postings")",
                settles: applications)
        } catch {
            // Every line above has its matching line; this is a defect, not bad input.
            preconditionFailure("a payment built an unbalanced transaction: \(error)")
        }
    }

    /// Whether `recorded` — the posting already under this payment's reference — records this
    /// same payment, so a payment sent twice is recorded once; any other payment under a used
    /// reference is a conflict.
    public func isRecorded(as recorded: LedgerTransaction) -> Bool {
        recorded.key == postingKey && recorded.date == valueDate && recorded.settles == applications
            && recorded.entries.contains(.credit(LedgerAccount(payer, .cash), amount))
            && recorded.entries.contains(.debit(LedgerAccount(payee, .cash), amount))
    }
}
