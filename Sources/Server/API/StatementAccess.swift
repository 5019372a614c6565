import Access
import Contracts
import Core

/// Who may read which party's ledger statement, and how a statement request names its party
/// and period. The API and the statement page both ask here, so the rule that a payer sees
/// only its own statement cannot be relaxed in one place and kept in the other.
enum StatementAccess {
    /// The party named by `code`, when the caller may read its statement: the mediator reads
    /// every party's, any other organization only its own. Anyone else's is "not found"
    /// rather than "forbidden", so a caller cannot probe which parties hold accounts.
    static func readableParty(_ code: String) throws -> Party {
        guard let party = Party(code: code) else {
            throw ValidationError(field: "party", problem: "must look like payer:<id>, manufacturer:<id>, center:<id> or mediator:<id>")
        }
        guard let organization = RequestIdentity.current?.principal.organization,
            organization.kind == .mediator || CurePathAPI.party(of: organization) == party
        else { throw NotFoundError(entity: "statement", id: party.code) }
        return party
    }

    /// Whether the caller's organization sees patients, and so their IDs in ledger documents:
    /// the mediator, a center and a payer do (each within its own scope, which is all their
    /// statements and net prices cover); a manufacturer — aggregates only — does not.
    static var showsPatients: Bool {
        RequestIdentity.current.map { AccessPolicy.caseScope(of: $0.principal) != .none } ?? false
    }

    /// The statement as the caller may read it: per posting for those who see patients,
    /// else summed without patients (``Statement/withoutPatients()``).
    static func shown(_ statement: Statement) -> Statement {
        showsPatients ? statement : statement.withoutPatients()
    }

    /// The party's statements, one per currency, as the caller may read them.
    static func statements(party: Party, period: Core.DateInterval, transactions: [LedgerTransaction], asOf: CalendarDate) -> [Statement] {
        Statement.perCurrency(party: party, period: period, transactions: transactions, asOf: asOf).map(shown)
    }

    /// The statement in `code` (default: the first, US dollars when the party has any); a
    /// currency the party has no entries in is refused with the ones it has.
    static func statement(in code: String?, of statements: [Statement]) throws(ValidationError) -> Statement {
        guard let code else { return statements[0] }
        guard let statement = statements.first(where: { $0.currency.rawValue == code }) else {
            throw ValidationError(
                field: "currency", problem: "the party has no entries in \(code); its statements are in \(statements.map(\.currency.rawValue).joined(separator: ", "))")
        }
        return statement
    }

    /// The statement period from the optional `from` and `to` dates (open ends run to the
    /// ledger's ends); a period that ends before it starts is refused.
    static func period(from rawFrom: String?, to rawTo: String?) throws(ValidationError) -> Core.DateInterval {
        let from = try Parse.date(rawFrom, field: "from")
        let to = try Parse.date(rawTo, field: "to")
        if let from, let to, to < from { throw ValidationError(field: "to", problem: "\(to) is before from \(from)") }
        return Core.DateInterval(start: from, end: to)
    }
}
