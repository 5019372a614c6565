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
/// - `a`: for a recorded payment, the postings it settles, each `[key, minor units]` with a
///   third element for a currency other than USD (``PaymentApplication``).
///
/// The posting read back is equal to the one written: the citation is resolved from the key
/// and the measure result, so the API, statements and pages show exactly what they did.
/// Bodies written in the first form (any body without `"s":2`) still read as before.
enum LedgerJSON {
    /// The stored form of `transaction`, for the `body` column.
    static func encode(_ transaction: LedgerTransaction) -> String {
        // Written as bytes: appending to a `String` piece by piece was most of this function's
        // time, and a settlement encodes millions of bodies.
        var out = JSONBytes()
        out += "{\"s\":2,\"n\":["
        for (index, entry) in transaction.entries.enumerated() {
            if index > 0 { out += "," }
            out += "["
            out.string(entry.account.code)
            out += ","
            out.integer(entry.signedMinorUnits)
            if entry.amount.currency != .usd {
                out += ","
                out.string(entry.amount.currency.rawValue)
            }
            out += "]"
        }
        out += "]"
        if let citation = transaction.citation {
            let slot = transaction.key.slot
            out += ",\"c\":{\"p\":"
            out.string(citation.productID.rawValue)
            if citation.contractID != slot?.contractID {
                out += ",\"id\":"
                out.string(citation.contractID.rawValue)
            }
            if citation.contractVersion != slot?.contractVersion {
                out += ",\"v\":"
                out.integer(Int64(citation.contractVersion))
            }
            if citation.patientID != slot?.patientID {
                out += ",\"pt\":"
                out.string(citation.patientID.rawValue)
            }
            if citation.clause != slot?.clause {
                out += ",\"cl\":"
                out.string(citation.clause)
            }
            if let measure = citation.measure {
                out += ",\"m\":{\"measureID\":"
                out.string(measure.measureID.rawValue)
                out += ",\"status\":"
                out.string(measure.status.rawValue)
                out += ",\"basis\":"
                out.string(measure.basis.rawValue)
                if let decided = measure.decidedOn {
                    out += ",\"decidedOn\":"
                    out.string(decided.description)
                }
                if let failure = measure.failureDate {
                    out += ",\"failureDate\":"
                    out.string(failure.description)
                }
                out += ",\"windowEnd\":"
                out.string(measure.windowEnd.description)
                out += ",\"evidence\":"
                out.strings(measure.evidence.map(\.rawValue))
                out += ",\"explanation\":"
                out.string(measure.explanation)
                out += "}"
            }
            if citation.eventIDs != (citation.measure?.evidence ?? []) {
                out += ",\"ev\":"
                out.strings(citation.eventIDs.map(\.rawValue))
            }
            if let tier = citation.tier {
                out += ",\"t\":"
                out.string(tier)
            }
            out += "}"
        }
        if !transaction.reverses.isEmpty {
            out += ",\"r\":"
            out.strings(transaction.reverses.map(\.rawValue))
        }
        if !transaction.settles.isEmpty {
            out += ",\"a\":["
            for (index, application) in transaction.settles.enumerated() {
                if index > 0 { out += "," }
                out += "["
                out.string(application.posting.rawValue)
                out += ","
                out.integer(application.amount.minorUnits)
                if application.amount.currency != .usd {
                    out += ","
                    out.string(application.amount.currency.rawValue)
                }
                out += "]"
            }
            out += "]"
        }
        out += ",\"memo\":"
        out.string(transaction.memo)
        out += "}"
        return out.text
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
            memo: stored.memo,
            settles: try (stored.a ?? []).map { application in
                guard let posting = PostingKey(rawValue: application.account) else {
                    throw StorageError.corrupt("payment '\(key)' settles '\(application.account)'")
                }
                return PaymentApplication(posting: posting, amount: Money(minorUnits: application.signed, currency: application.currency))
            })
    }

    private struct Stored: Decodable {
        var n: [Entry]
        var c: StoredCitation?
        var r: [String]?
        /// A payment's applications: the same shape as an entry, a posting key in place of the account.
        var a: [Entry]?
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
}

/// JSON written as UTF-8 bytes, for ``LedgerJSON``.
private struct JSONBytes {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// JSON written as it stands: punctuation and keys.
    static func += (out: inout JSONBytes, literal: StaticString) {
        literal.withUTF8Buffer { out.bytes.append(contentsOf: $0) }
    }

    mutating func integer(_ value: Int64) {
        // A short number is a small string: no allocation.
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func strings(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        let plain = value.utf8.withContiguousStorageIfAvailable { text in
            // Nearly every value needs no escape: one scan, then one copy.
            guard !text.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
            bytes.append(contentsOf: text)
            return true
        }
        if plain == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
