import CareNetwork
import Contracts
import Core
import Foundation
import Outcomes

/// How a posting's `body` column holds what its other columns do not.
///
/// A settlement stores millions of postings, and their size was most of its cost: the first
/// form (`LedgerTransaction`'s `Codable` JSON, about 580 bytes) repeated the key, dates and
/// category that have columns of their own, spelled out every entry as an object, and repeated
/// the contract, version, patient and clause already in the key and the measure's evidence
/// again as the citation's event IDs. The stored form (since the settlement at a million
/// patients, docs/PERFORMANCE.md) keeps only the rest, about 150 bytes for most postings:
///
///     {"s":2,"n":[["payer:pay-6:receivable",224000000],["manufacturer:mfr-bench:payable",-224000000]],
///      "c":{"p":"prd-ti","m":{…measure result…}},"memo":"refund of 80%: …"}
///
/// - `n`: the entries in order, each `[account, signed minor units]` (debit positive), with a
///   third element for a currency other than USD. The same entries are rows of
///   `ledger_entries` (for balances by the database); the body keeps them so one row read
///   is one whole posting.
/// - `c`: the citation, when there is one: `p` the product; `id`, `v`, `pt`, `cl` the contract,
///   version, patient and clause only where they differ from the key's slot (never, for what
///   the engine posts); `m` the measure result, as `MeasureResult`'s JSON; `ev` the event IDs
///   only where they differ from the measure result's evidence (or there is no measure
///   result); `t` the tier.
/// - `r`: the keys a reversal undoes.
///
/// The posting read back is equal to the one written: the citation is resolved from the key
/// and the measure result, so the API, statements and pages show exactly what they did.
/// Bodies written in the first form (any body without `"s":2`) still read as before.
enum LedgerJSON {
    /// The stored form of `transaction`, for the `body` column.
    static func encode(_ transaction: LedgerTransaction) -> String {
        var out = ""
        out.reserveCapacity(160)
        out += "{\"s\":2,\"n\":["
        for (index, entry) in transaction.entries.enumerated() {
            if index > 0 { out += "," }
            out += "["
            string(entry.account.code, into: &out)
            out += ","
            out += String(entry.signedMinorUnits)
            if entry.amount.currency != .usd {
                out += ","
                string(entry.amount.currency.rawValue, into: &out)
            }
            out += "]"
        }
        out += "]"
        if let citation = transaction.citation {
            let slot = transaction.key.slot
            out += ",\"c\":{\"p\":"
            string(citation.productID.rawValue, into: &out)
            if citation.contractID != slot?.contractID {
                out += ",\"id\":"
                string(citation.contractID.rawValue, into: &out)
            }
            if citation.contractVersion != slot?.contractVersion { out += ",\"v\":\(citation.contractVersion)" }
            if citation.patientID != slot?.patientID {
                out += ",\"pt\":"
                string(citation.patientID.rawValue, into: &out)
            }
            if citation.clause != slot?.clause {
                out += ",\"cl\":"
                string(citation.clause, into: &out)
            }
            if let measure = citation.measure {
                out += ",\"m\":{\"measureID\":"
                string(measure.measureID.rawValue, into: &out)
                out += ",\"status\":\"\(measure.status.rawValue)\",\"basis\":\"\(measure.basis.rawValue)\""
                if let decided = measure.decidedOn { out += ",\"decidedOn\":\"\(decided)\"" }
                if let failure = measure.failureDate { out += ",\"failureDate\":\"\(failure)\"" }
                out += ",\"windowEnd\":\"\(measure.windowEnd)\",\"evidence\":"
                strings(measure.evidence.map(\.rawValue), into: &out)
                out += ",\"explanation\":"
                string(measure.explanation, into: &out)
                out += "}"
            }
            if citation.eventIDs != (citation.measure?.evidence ?? []) {
                out += ",\"ev\":"
                strings(citation.eventIDs.map(\.rawValue), into: &out)
            }
            if let tier = citation.tier {
                out += ",\"t\":"
                string(tier, into: &out)
            }
            out += "}"
        }
        if !transaction.reverses.isEmpty {
            out += ",\"r\":"
            strings(transaction.reverses.map(\.rawValue), into: &out)
        }
        out += ",\"memo\":"
        string(transaction.memo, into: &out)
        out += "}"
        return out
    }

    /// The posting stored as `body` with its columns; either stored form.
    static func decode(key: String, date: String, effectiveOn: String, category: String, body: String, using decoder: JSONDecoder) throws
        -> LedgerTransaction
    {
        let data = Data(body.utf8)
        guard body.utf8.starts(with: "{\"s\":2,".utf8) else {
            // The first form: the whole posting, as `LedgerTransaction` encodes itself.
            return try decoder.decode(LedgerTransaction.self, from: data)
        }
        guard let postingKey = PostingKey(rawValue: key) else { throw StorageError.corrupt("posting key '\(key)'") }
        guard let day = CalendarDate(iso8601: date), let effective = CalendarDate(iso8601: effectiveOn) else {
            throw StorageError.corrupt("posting '\(key)' dated '\(date)', effective '\(effectiveOn)'")
        }
        guard let kind = PostingCategory(rawValue: category) else { throw StorageError.corrupt("posting '\(key)' category '\(category)'") }
        let stored = try decoder.decode(Stored.self, from: data)
        let slot = postingKey.slot
        let citation = try stored.c.map { c -> Citation in
            let contractID = c.id.map { ContractID($0) } ?? slot?.contractID
            let patientID = c.pt.map { PatientID($0) } ?? slot?.patientID
            guard let contractID, let version = c.v ?? slot?.contractVersion, let patientID, let clause = c.cl ?? slot?.clause
            else { throw StorageError.corrupt("posting '\(key)' has a citation without its contract, patient or clause") }
            return Citation(
                contractID: contractID, contractVersion: version, productID: ProductID(c.p), patientID: patientID, clause: clause,
                measure: c.m, eventIDs: c.ev.map { $0.map { OutcomeEventID($0) } } ?? c.m?.evidence ?? [], tier: c.t)
        }
        let entries = try stored.n.map { entry -> LedgerEntry in
            guard let account = LedgerAccount(code: entry.account) else { throw StorageError.corrupt("posting '\(key)' account '\(entry.account)'") }
            // Zero is refused by the balancing initializer; Int64.min has no positive amount.
            guard entry.signed != .min else { throw StorageError.corrupt("posting '\(key)' amount") }
            let amount = Money(minorUnits: entry.signed < 0 ? -entry.signed : entry.signed, currency: entry.currency)
            return entry.signed < 0 ? .credit(account, amount) : .debit(account, amount)
        }
        return try LedgerTransaction(
            key: postingKey, date: day, effectiveOn: effective, category: kind, entries: entries, citation: citation,
            reverses: try (stored.r ?? []).map { text in
                guard let reversed = PostingKey(rawValue: text) else { throw StorageError.corrupt("posting '\(key)' reverses '\(text)'") }
                return reversed
            },
            memo: stored.memo)
    }

    private struct Stored: Decodable {
        var n: [Entry]
        var c: StoredCitation?
        var r: [String]?
        var memo: String
    }

    private struct StoredCitation: Decodable {
        var p: String
        var id: String?
        var v: Int?
        var pt: String?
        var cl: String?
        var m: MeasureResult?
        var ev: [String]?
        var t: String?
    }

    private struct Entry: Decodable {
        var account: String
        var signed: Int64
        var currency: Currency

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            account = try container.decode(String.self)
            signed = try container.decode(Int64.self)
            currency = container.isAtEnd ? .usd : Currency(rawValue: try container.decode(String.self))
        }
    }

    private static func strings(_ values: [String], into out: inout String) {
        out += "["
        for (index, value) in values.enumerated() {
            if index > 0 { out += "," }
            string(value, into: &out)
        }
        out += "]"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    private static func string(_ value: String, into out: inout String) {
        out += "\""
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
