import Core
import CareNetwork

/// An organization that holds accounts in the mediator's ledger.
///
/// The ledger is the mediator's book of who owes whom under every contract it runs; each
/// party has its own accounts so that a statement for one payer is just its accounts' lines.
public enum Party: Hashable, Comparable, Sendable, CustomStringConvertible {
    case manufacturer(ManufacturerID)
    case payer(PayerID)
    case mediator(MediatorID)
    case center(CenterID)

    /// `payer:pay-aetna`, the form keys, files and the database use.
    public var code: String {
        switch self {
        case .manufacturer(let id): "manufacturer:\(id)"
        case .payer(let id): "payer:\(id)"
        case .mediator(let id): "mediator:\(id)"
        case .center(let id): "center:\(id)"
        }
    }

    public init?(code: String) {
        guard let colon = code.firstIndex(of: ":") else { return nil }
        let id = String(code[code.index(after: colon)...])
        guard !id.isEmpty else { return nil }
        switch code[..<colon] {
        case "manufacturer": self = .manufacturer(ManufacturerID(id))
        case "payer": self = .payer(PayerID(id))
        case "mediator": self = .mediator(MediatorID(id))
        case "center": self = .center(CenterID(id))
        default: return nil
        }
    }

    public var description: String { code }

    public static func < (lhs: Party, rhs: Party) -> Bool { (lhs.order, lhs.id) < (rhs.order, rhs.id) }

    /// Kinds of party in the order of their codes, so sorting needs no string building.
    private var order: Int {
        switch self {
        case .center: 0
        case .manufacturer: 1
        case .mediator: 2
        case .payer: 3
        }
    }

    private var id: String {
        switch self {
        case .manufacturer(let id): id.rawValue
        case .payer(let id): id.rawValue
        case .mediator(let id): id.rawValue
        case .center(let id): id.rawValue
        }
    }
}

/// The kinds of account each party has.
///
/// Balances read debit minus credit: a positive balance is value the party is owed or holds,
/// a negative one value it owes.
public enum AccountKind: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    /// Owed to the party (the manufacturer's price, a payer's refund).
    case receivable
    /// Owed by the party (a payer's installment, the manufacturer's rebate).
    case payable
    /// Held by the mediator against future refunds (warranty reserve).
    case reserve
    /// Money that actually moved, from recorded payments.
    case cash
    /// The mediator's fees for running contracts.
    case fees
    /// The mediator's risk pool, under the `mediatorPool` portability rule.
    case pool

    public static func < (lhs: AccountKind, rhs: AccountKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One party's account of one kind.
public struct LedgerAccount: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var party: Party
    public var kind: AccountKind

    public init(_ party: Party, _ kind: AccountKind) {
        self.party = party
        self.kind = kind
    }

    /// `payer:pay-aetna:receivable`.
    public var code: String { "\(party.code):\(kind.rawValue)" }

    public init?(code: String) {
        guard let colon = code.lastIndex(of: ":"), let kind = AccountKind(rawValue: String(code[code.index(after: colon)...])),
            let party = Party(code: String(code[..<colon]))
        else { return nil }
        self.init(party, kind)
    }

    public var description: String { code }

    public static func < (lhs: LedgerAccount, rhs: LedgerAccount) -> Bool { (lhs.party, lhs.kind) < (rhs.party, rhs.kind) }
}

extension LedgerAccount: Codable {
    public init(from decoder: any Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        guard let account = LedgerAccount(code: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an account code: \(code)"))
        }
        self = account
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
