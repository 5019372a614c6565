import Contracts
import Core
import Hummingbird
import NIOCore

/// A statement as a file to save, from the statement page itself.
///
/// The API serves the same CSV and JSON, but it wants an API token a browser does not hold;
/// the page's session already passed the same access check, so the page hands the file over
/// in the API's exact formats (``StatementText``).
enum LedgerStatementDownload {
    /// Every currency's statement in one CSV, each row naming its currency.
    static func csv(_ statements: [Statement], asOf: CalendarDate) -> Response {
        file(StatementText.csv(statements, asOf: asOf), type: "text/csv; charset=utf-8", name: filename(statements[0], extension: "csv"))
    }

    static func json(_ statement: Statement) throws -> Response {
        file(try StatementText.json(statement), type: "application/json", name: filename(statement, extension: "json"))
    }

    /// `statement-payer-pay-aetna-2026-01-01-to-2026-12-31.csv`: the party and period, so
    /// several downloads do not overwrite each other, in characters every file system takes.
    static func filename(_ statement: Statement, extension suffix: String) -> String {
        var parts = ["statement", statement.party.code]
        if let start = statement.period.start { parts.append("from-\(start)") }
        if let end = statement.period.end { parts.append("to-\(end)") }
        let safe = parts.joined(separator: "-").map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." || $0 == "_" ? $0 : "-" }
        return String(safe) + "." + suffix
    }

    private static func file(_ text: String, type: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
