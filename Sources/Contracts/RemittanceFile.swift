import Core
import Foundation
import Outcomes

/// A remittance file: the payments a party made, one row per posting settled, as a payer's
/// accounts-payable system or a bank's remittance advice exports them.
///
///     reference,payer,payee,value_date,posting,amount,currency
///     ACH-20260402-7781,payer:pay-a,manufacturer:mfr-novartis,2026-04-02,zolgensma@1/pat-1/payment.installments/1#1,425000.00,USD
///
/// Rows with the same reference are one payment (they must agree on payer, payee, value date
/// and currency); its amount is the sum of its rows. The file is all or nothing: every problem
/// is reported against its line and column before anything is recorded.
public struct RemittanceFile: Sendable {
    /// One payment of the file and the lines it came from.
    public struct Entry: Sendable {
        public var payment: Payment
        /// The line of each application, in order; the first is the payment's line.
        public var lines: [Int]
    }

    public var entries: [Entry]

    public static let columns = ["reference", "payer", "payee", "value_date", "posting", "amount", "currency"]
    /// A remittance for a month of a large book is a few thousand rows.
    public static let maximumBytes = 5_000_000
    public static let maximumRows = 20_000
    /// No value (a posting key is the longest) needs more.
    public static let maximumValueLength = 200

    /// Reads a remittance file; throws every problem found, each named `line N: column`.
    public static func parse(_ data: Data) throws(ValidationError) -> RemittanceFile {
        guard data.count <= maximumBytes else {
            throw ValidationError(field: "file", problem: "is \(data.count) bytes; a remittance file may be at most \(maximumBytes) bytes — split it", rule: "size-limit")
        }
        if let (line, column) = firstInvalidUTF8(data) {
            throw ValidationError(field: "line \(line), column \(column)", problem: "is not UTF-8 text; save the file as UTF-8 CSV", rule: "encoding")
        }
        let table = try CSVTable.read(data, allowed: columns, required: columns, maximumRows: maximumRows)
        var issues: [ValidationError.Issue] = []
        var order: [String] = []
        var building: [String: Entry] = [:]
        for row in table.rows {
            func fail(_ column: String, _ problem: String, rule: String? = nil) {
                issues.append(.init(field: "line \(row.line): \(column)", problem: problem, rule: rule))
            }
            func text(_ column: String) -> String? {
                guard let value = row[column] else {
                    fail(column, "is required")
                    return nil
                }
                if value.count > maximumValueLength {
                    fail(column, "is longer than \(maximumValueLength) characters")
                    return nil
                }
                if column != "amount", let first = value.first, "=+-@".contains(first) {
                    fail(column, "starts with '\(first)', like a spreadsheet formula; no value in a remittance file does", rule: "formula")
                    return nil
                }
                if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    fail(column, "holds a control character")
                    return nil
                }
                return value
            }
            let reference = text("reference")
            if let reference, let problem = Payment.referenceProblem(reference) { fail("reference", problem, rule: "reference") }
            let payer = text("payer").flatMap { code -> Party? in
                guard let party = Party(code: code) else {
                    fail("payer", "'\(code)' must look like payer:<id>, manufacturer:<id>, center:<id> or mediator:<id>")
                    return nil
                }
                return party
            }
            let payee = text("payee").flatMap { code -> Party? in
                guard let party = Party(code: code) else {
                    fail("payee", "'\(code)' must look like payer:<id>, manufacturer:<id>, center:<id> or mediator:<id>")
                    return nil
                }
                return party
            }
            let date = text("value_date").flatMap { value -> CalendarDate? in
                guard let date = CalendarDate(iso8601: value) else {
                    fail("value_date", "'\(value)' is not a date (YYYY-MM-DD)")
                    return nil
                }
                return date
            }
            let posting = text("posting").flatMap { value -> PostingKey? in
                guard let key = PostingKey(rawValue: value), key.slot != nil else {
                    fail("posting", "'\(value)' is not a posting key; copy it from the statement (contract@version/patient/clause/period#n)")
                    return nil
                }
                return key
            }
            let currency = text("currency").flatMap { value -> String? in
                guard value.count == 3, value.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else {
                    fail("currency", "'\(value)' must be an ISO 4217 code in capitals, such as USD or EUR")
                    return nil
                }
                return value
            }
            let amount = text("amount").flatMap { value -> Money? in
                guard let currency else { return nil }
                switch MoneyText.parse("\(value) \(currency)") {
                case .success(let money) where money.minorUnits > 0: return money
                case .success: fail("amount", "must be more than zero")
                case .failure(.shape): fail("amount", "'\(value)' must be a number such as 425000.00 (no currency sign or thousands separators)")
                case .failure(let failure): fail("amount", failure.problem)
                }
                return nil
            }
            guard let reference, let payer, let payee, let date, let posting, let amount, Payment.referenceProblem(reference) == nil else { continue }
            let group = "\(payer.code)/\(reference)"
            guard var entry = building[group] else {
                order.append(group)
                building[group] = Entry(
                    payment: Payment(reference: reference, payer: payer, payee: payee, valueDate: date, amount: amount,
                                     applications: [PaymentApplication(posting: posting, amount: amount)]),
                    lines: [row.line])
                continue
            }
            let first = entry.lines[0]
            if entry.payment.payee != payee { fail("payee", "is \(payee); line \(first) of payment \(reference) says \(entry.payment.payee)") }
            if entry.payment.valueDate != date { fail("value_date", "is \(date); line \(first) of payment \(reference) says \(entry.payment.valueDate)") }
            if entry.payment.amount.currency != amount.currency {
                fail("currency", "is \(amount.currency.rawValue); line \(first) of payment \(reference) is in \(entry.payment.amount.currency.rawValue) — a payment is in one currency", rule: "currency")
                continue
            }
            entry.payment.amount = entry.payment.amount + amount
            entry.payment.applications.append(PaymentApplication(posting: posting, amount: amount))
            entry.lines.append(row.line)
            building[group] = entry
        }
        if table.rows.isEmpty { issues.append(.init(field: "line 2", problem: "the file names no payments")) }
        guard issues.isEmpty else { throw ValidationError(issues: Array(issues.prefix(500))) }
        return RemittanceFile(entries: order.map { building[$0]! })
    }

    /// A payment's problem as the file's line and column: `applications[2].amount` of the
    /// payment on lines 4, 7 and 9 is `line 9: amount`.
    public func located(_ issue: ValidationError.Issue, ofEntry index: Int) -> ValidationError.Issue {
        let entry = entries[index]
        var line = entry.lines[0]
        var column = issue.field
        if issue.field.hasPrefix("applications["), let close = issue.field.firstIndex(of: "]"),
            let position = Int(issue.field[issue.field.index(issue.field.startIndex, offsetBy: 13)..<close]), entry.lines.indices.contains(position)
        {
            line = entry.lines[position]
            column = String(issue.field[issue.field.index(after: close)...].drop(while: { $0 == "." }))
        }
        // The file's column names where the request's differ.
        let columns = ["valueDate": "value_date", "applications": "posting", "": "posting"]
        return .init(field: "line \(line): \(columns[column] ?? column)", problem: issue.problem, rule: issue.rule)
    }

    /// Line and column (in bytes, from 1) of the first byte that is not UTF-8, if any.
    static func firstInvalidUTF8(_ data: Data) -> (Int, Int)? {
        if String(data: data, encoding: .utf8) != nil { return nil }
        return data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> (Int, Int)? in
            var line = 1, lineStart = 0, index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let length: Int
                switch byte {
                case 0x00...0x7F: length = 1
                case 0xC2...0xDF: length = 2
                case 0xE0...0xEF: length = 3
                case 0xF0...0xF4: length = 4
                default: return (line, index - lineStart + 1)
                }
                guard index + length <= bytes.count, (1..<length).allSatisfy({ (0x80...0xBF).contains(bytes[index + $0]) }) else {
                    return (line, index - lineStart + 1)
                }
                if byte == 0x0A {
                    line += 1
                    lineStart = index + 1
                }
                index += length
            }
            // Overlong and surrogate forms Foundation refuses: name the file's first line.
            return (1, 1)
        }
    }
}
