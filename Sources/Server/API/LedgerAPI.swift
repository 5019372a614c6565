import APIContract
import Access
import CareNetwork
import Contracts
import Core
import Foundation
import OpenAPIRuntime
import Storage

extension CurePathAPI {
    func settle(_ input: Operations.Settle.Input) async throws -> Operations.Settle.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let asOf = try CalendarDate.parse(body.asOf, field: "asOf")
        let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: clock())
        guard asOf <= today else { throw ValidationError(field: "asOf", problem: "\(asOf) is in the future; settle as of today (\(today)) or earlier") }
        let requestedBy = RequestIdentity.current.map { "\($0.principal.userID)" }
        let report = try await SettlementService(store: store).settle(asOf: asOf, requestedBy: requestedBy, now: clock())
        return .created(.init(body: .json(.init(
            run: .init(report.run), posted: report.posted.map(Components.Schemas.LedgerTransaction.init),
            flags: report.flags.map(Components.Schemas.SettlementFlag.init)))))
    }

    func listSettlements(_ input: Operations.ListSettlements.Input) async throws -> Operations.ListSettlements.Output {
        .ok(.init(body: .json(.init(items: try await store.ledger.runs(limit: 100).map(Components.Schemas.SettlementRun.init)))))
    }

    func getTrialBalance(_ input: Operations.GetTrialBalance.Input) async throws -> Operations.GetTrialBalance.Output {
        let balance = try await store.ledger.trialBalance()
        return .ok(.init(body: .json(.init(
            lines: balance.lines.map { .init(account: $0.account.code, debits: .init($0.debits), credits: .init($0.credits), balance: .init($0.balance)) },
            totalDebits: balance.totalDebits.values.sorted { $0.currency.rawValue < $1.currency.rawValue }.map(Components.Schemas.Money.init),
            totalCredits: balance.totalCredits.values.sorted { $0.currency.rawValue < $1.currency.rawValue }.map(Components.Schemas.Money.init),
            balanced: balance.isBalanced))))
    }

    func getStatement(_ input: Operations.GetStatement.Input) async throws -> Operations.GetStatement.Output {
        let party = try StatementAccess.readableParty(input.path.party)
        let period = try StatementAccess.period(from: input.query.from, to: input.query.to)
        let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: clock())
        let statements = StatementAccess.statements(
            party: party, period: period, transactions: try await store.ledger.transactions(touching: party), asOf: today)
        let wantsCSV = input.headers.accept.sorted { $0.quality.doubleValue > $1.quality.doubleValue }.first?.contentType == .csv
        if wantsCSV {
            return .ok(.init(body: .csv(HTTPBody(StatementText.csv(statements, asOf: today)))))
        }
        let statement = try StatementAccess.statement(in: input.query.currency, of: statements)
        return .ok(.init(body: .json(.init(statement, currencies: statements.map(\.currency)))))
    }

    func listNetPrices(_ input: Operations.ListNetPrices.Input) async throws -> Operations.ListNetPrices.Output {
        let visible = Set(try await store.contracts.allVersions().filter(isVisibleContract).map(\.id))
        let asOf = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: clock())
        let units = try await SettlementService(store: store).units(asOf: asOf)
        // A payer or a center is shown only the units it paid for or treated, and the best-price
        // figures are computed among those alone: another payer's net price — even as a prior
        // best price — tells whether that payer's patient responded. The mediator and the
        // manufacturer, who report best prices, see them over every unit.
        let own = try await ownUnits()
        let shown = NetPrice.report(units: units.filter { unit in
            visible.contains(unit.contractID) && own.map { $0.contains(UnitKey(contract: unit.contractID, patient: unit.patientID)) } != false
        })
        // A manufacturer sees each unit's price, never whose unit it is.
        let showsPatients = StatementAccess.showsPatients
        return .ok(.init(body: .json(.init(
            units: shown.map { .init(contractId: $0.contractID.rawValue, patientId: showsPatients ? $0.patientID.rawValue : nil, productId: $0.productID.rawValue,
                                     unitPrice: .init($0.unitPrice), netPrice: .init($0.netPrice), tier: $0.tier,
                                     priorBestPrice: $0.priorBestPrice.map(Components.Schemas.Money.init),
                                     setsNewBestPrice: $0.setsNewBestPrice, setOn: $0.setOn.description) },
            bestPrices: NetPrice.bestPrices(shown).map { .init(productId: $0.productID.rawValue, tier: $0.tier, price: .init($0.price), patientId: showsPatients ? $0.patientID.rawValue : nil) }))))
    }

    private struct UnitKey: Hashable {
        var contract: ContractID
        var patient: PatientID
    }

    /// The units a payer paid for or a center treated (by their enrollments); `nil` for the
    /// mediator and a manufacturer, who see every unit of the contracts they may read.
    private func ownUnits() async throws -> Set<UnitKey>? {
        guard let organization = RequestIdentity.current?.principal.organization else { return [] }
        let mine: (TreatedPatient) -> Bool
        switch organization.kind {
        case .mediator, .manufacturer: return nil
        case .payer: mine = { $0.payingPayer == organization.payerID }
        case .center: mine = { $0.centerID != nil && $0.centerID == organization.centerID }
        case .registry, .policy: return []
        }
        return Set(try await store.contracts.treatedPatients().filter(mine).map { UnitKey(contract: $0.contractID, patient: $0.patientID) })
    }
}

/// A statement as the API, the pages and the command line give it: CSV (one row per
/// entry, for analysts' spreadsheets) or the API's JSON.
public enum StatementText {
    public static func json(_ statement: Statement) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(Components.Schemas.Statement(statement)), as: UTF8.self)
    }

    public static func csv(_ statement: Statement) -> String { csv([statement], asOf: statement.ageing.asOf) }

    /// One row per entry of every currency's statement, then one row per posting with what
    /// was billed, paid and is outstanding and its ageing bucket (`record` tells them apart);
    /// each row names its currency, so no column mixes amounts of two.
    public static func csv(_ statements: [Statement], asOf: CalendarDate) -> String {
        var out = "date,key,account,category,debit,credit,balance,currency,reversal,contract_id,patient_id,memo,record,due_on,billed,paid,outstanding,ageing\n"
        for statement in statements {
            for line in statement.lines {
                let fields = [
                    line.date.description, line.key, line.account.code, line.category.rawValue,
                    line.debit?.decimalText ?? "", line.credit?.decimalText ?? "", line.balance.decimalText,
                    statement.currency.rawValue, line.isReversal ? "true" : "false",
                    line.contractID?.rawValue ?? "", line.patientID?.rawValue ?? "", line.memo, "entry", "", "", "", "", "",
                ]
                out += fields.map(csvField).joined(separator: ",") + "\n"
            }
            for item in statement.items {
                let sign = item.direction == .owes ? "-" : ""
                let fields = [
                    item.postedOn.description, item.posting.rawValue, item.account.code, item.category.rawValue, "", "", "",
                    statement.currency.rawValue, "", item.contractID?.rawValue ?? "", item.patientID?.rawValue ?? "", item.memo, "posting", item.dueOn.description,
                    sign + item.billed.decimalText, sign + item.paid.decimalText, sign + item.outstanding.decimalText,
                    item.outstanding.minorUnits > 0 ? item.ageing(asOf: asOf).rawValue : "",
                ]
                out += fields.map(csvField).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// A CSV field, quoted when it must be, and never a formula: a memo or key a spreadsheet
    /// would run (`=`, `+`, `-`, `@` first) is prefixed with a quote mark (OWASP's CSV
    /// injection advice). Amounts are written by ``Money/decimalText`` and left as numbers.
    public static func csvField(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+@\t\r".contains(first) || (first == "-" && Double(text) == nil) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Components.Schemas.SettlementRun {
    init(_ run: SettlementRun) {
        self.init(id: run.id, asOf: run.asOf.description, startedAt: run.startedAt, transactionsPosted: run.transactionsPosted,
                  flags: run.flags, requestedBy: run.requestedBy)
    }
}

extension Components.Schemas.SettlementFlag {
    init(_ flag: Contracts.SettlementFlag) {
        self.init(kind: flag.kind.rawValue, contractId: flag.contractID?.rawValue, patientId: flag.patientID.rawValue,
                  measureId: flag.measureID?.rawValue, date: flag.date?.description, message: flag.message)
    }
}

extension Components.Schemas.LedgerTransaction {
    init(_ transaction: Contracts.LedgerTransaction) {
        let citation = transaction.citation
        self.init(
            key: transaction.key.rawValue, date: transaction.date.description, effectiveOn: transaction.effectiveOn.description,
            category: transaction.category.rawValue,
            entries: transaction.entries.map { .init(account: $0.account.code, side: .init(rawValue: $0.side.rawValue)!, amount: .init($0.amount)) },
            memo: transaction.memo, reverses: transaction.reverses.map(\.rawValue),
            contractId: citation?.contractID.rawValue, contractVersion: citation?.contractVersion, patientId: citation?.patientID.rawValue,
            clause: citation?.clause, measure: citation?.measure.map { "\($0.measureID): \($0.status.rawValue)" },
            evidence: citation?.eventIDs.map(\.rawValue))
    }
}

extension Components.Schemas.Statement {
    init(_ statement: Contracts.Statement, currencies: [Currency]? = nil) {
        func amounts(_ balances: [AccountKind: Money]) -> [String: Components.Schemas.Money] {
            Dictionary(uniqueKeysWithValues: balances.map { ($0.key.rawValue, Components.Schemas.Money($0.value)) })
        }
        self.init(
            party: statement.party.code, from: statement.period.start?.description, to: statement.period.end?.description,
            currency: statement.currency.rawValue, opening: .init(additionalProperties: amounts(statement.opening)),
            lines: statement.lines.map { line in
                .init(date: line.date.description, key: line.key, account: line.account.code, category: line.category.rawValue,
                      debit: line.debit.map(Components.Schemas.Money.init), credit: line.credit.map(Components.Schemas.Money.init),
                      balance: .init(line.balance), memo: line.memo, reversal: line.isReversal,
                      contractId: line.contractID?.rawValue, patientId: line.patientID?.rawValue)
            },
            closing: .init(additionalProperties: amounts(statement.closing)),
            currencies: (currencies ?? [statement.currency]).map(\.rawValue),
            items: statement.items.map { item in
                .init(posting: item.posting.rawValue, account: item.account.code, direction: .init(rawValue: item.direction.rawValue)!,
                      category: item.category.rawValue, dueOn: item.dueOn.description, billed: .init(item.billed), cancelled: .init(item.cancelled),
                      paid: .init(item.paid), outstanding: .init(item.outstanding),
                      ageing: .init(rawValue: item.ageing(asOf: statement.ageing.asOf).rawValue)!,
                      contractId: item.contractID?.rawValue, patientId: item.patientID?.rawValue)
            },
            ageing: .init(
                asOf: statement.ageing.asOf.description,
                owes: .init(additionalProperties: Dictionary(uniqueKeysWithValues: statement.ageing.owes.map { ($0.key.rawValue, Components.Schemas.Money($0.value)) })),
                owed: .init(additionalProperties: Dictionary(uniqueKeysWithValues: statement.ageing.owed.map { ($0.key.rawValue, Components.Schemas.Money($0.value)) }))))
    }
}
