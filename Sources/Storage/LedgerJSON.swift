import Contracts
import Core
import Outcomes

/// Writes a ledger posting as the same JSON `LedgerTransaction`'s `Codable` conformance
/// writes (and reads back), without `JSONEncoder`.
///
/// A settlement stores millions of postings, and `JSONEncoder`'s generic machinery was a
/// quarter of a settlement run's time (docs/PERFORMANCE.md). Reading stays with
/// `JSONDecoder`, so the stored form is checked against the one decoder there is; a test
/// decodes both writers' output of every posting kind and compares.
enum LedgerJSON {
    static func encode(_ transaction: LedgerTransaction) -> String {
        var out = ""
        out.reserveCapacity(512)
        out += "{\"key\":"
        string(transaction.key.rawValue, into: &out)
        out += ",\"date\":\"\(transaction.date)\",\"effectiveOn\":\"\(transaction.effectiveOn)\",\"category\":\"\(transaction.category.rawValue)\",\"entries\":["
        for (index, entry) in transaction.entries.enumerated() {
            if index > 0 { out += "," }
            out += "{\"account\":"
            string(entry.account.code, into: &out)
            out += ",\"side\":\"\(entry.side.rawValue)\",\"amount\":{\"minorUnits\":\(entry.amount.minorUnits),\"currency\":"
            string(entry.amount.currency.rawValue, into: &out)
            out += "}}"
        }
        out += "]"
        if let citation = transaction.citation {
            out += ",\"citation\":{\"contractID\":"
            string(citation.contractID.rawValue, into: &out)
            out += ",\"contractVersion\":\(citation.contractVersion),\"productID\":"
            string(citation.productID.rawValue, into: &out)
            out += ",\"patientID\":"
            string(citation.patientID.rawValue, into: &out)
            out += ",\"clause\":"
            string(citation.clause, into: &out)
            if let measure = citation.measure {
                out += ",\"measure\":{\"measureID\":"
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
            out += ",\"eventIDs\":"
            strings(citation.eventIDs.map(\.rawValue), into: &out)
            if let tier = citation.tier {
                out += ",\"tier\":"
                string(tier, into: &out)
            }
            out += "}"
        }
        if !transaction.reverses.isEmpty {
            out += ",\"reverses\":"
            strings(transaction.reverses.map(\.rawValue), into: &out)
        }
        out += ",\"memo\":"
        string(transaction.memo, into: &out)
        out += "}"
        return out
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
