import CareNetwork
import Core
import Journey
import SQLiteNIO

/// Reads case summaries as one `|`-joined text per row, built by the database itself.
///
/// For a network report over 100,000 cases, creating a Swift value for every column of
/// every row (and decoding it through SQLKit's `Decodable` path) was most of the time; one
/// column per row, split here without allocating, is several times faster. Identifiers
/// cannot contain `|`, so the join is unambiguous. SQLite reads its rows directly from
/// sqlite-nio; PostgreSQL uses the same expression through SQLKit.
enum SummaryReader {
    static let selectList = """
        id || '|' || center_id || '|' || payer_id || '|' || product_id || '|' || referral_date || '|' || status \
        || '|' || coalesce(loss_reason, '') || '|' || coalesce(closed_on, '') || '|' || current_stages || '|' || intervals
        """

    /// `nil` when the database is not SQLite (the caller then uses SQLKit).
    static func summaries(_ filter: JourneyFilter, in database: Database) async throws -> [CaseSummary]? {
        var sql = "SELECT \(selectList) AS summary FROM cases WHERE 1 = 1"
        var binds: [SQLiteData] = []
        func add(_ column: String, _ op: String, _ value: String?) {
            guard let value else { return }
            sql += " AND \(column) \(op) ?"
            binds.append(.text(value))
        }
        add("center_id", "=", filter.centerID?.rawValue)
        add("payer_id", "=", filter.payerID?.rawValue)
        add("product_id", "=", filter.productID?.rawValue)
        add("referral_date", ">=", filter.referred.start?.description)
        add("referral_date", "<=", filter.referred.end?.description)
        let query = sql
        let parameters = binds
        return try await database.withSQLiteConnection { connection in
            let rows = try await connection.query(query, parameters)
            var result: [CaseSummary] = []
            result.reserveCapacity(rows.count)
            for row in rows {
                guard case .text(let line)? = row.columns.first?.data else { throw StorageError.corrupt("case summary is not text") }
                result.append(try summary(line))
            }
            return result
        }
    }

    static func summary(_ line: String) throws -> CaseSummary {
        let fields = line.utf8.split(separator: UInt8(ascii: "|"), maxSplits: 9, omittingEmptySubsequences: false)
        guard fields.count == 10 else { throw StorageError.corrupt("case summary '\(line.prefix(80))'") }
        func text(_ index: Int) -> String { String(Substring(fields[index])) }
        func date(_ index: Int) throws -> CalendarDate {
            guard let date = CalendarDate(iso8601: Substring(fields[index])) else {
                throw StorageError.corrupt("date '\(text(index))' in case summary")
            }
            return date
        }
        guard let status = CaseStatus(rawValue: text(5)) else { throw StorageError.corrupt("status '\(text(5))'") }
        let stages = fields[8]
        return CaseSummary(
            caseID: CaseID(text(0)), centerID: CenterID(text(1)), payerID: PayerID(text(2)), productID: ProductID(text(3)),
            referralDate: try date(4), status: status,
            lossReason: fields[6].isEmpty ? nil : LossReason(rawValue: text(6)),
            closedOn: fields[7].isEmpty ? nil : try date(7),
            currentStages: stages.isEmpty ? [] : Substring(stages).split(separator: ",").map { StageKey(rawValue: String($0)) },
            intervals: try SummaryEncoding.decode(Substring(fields[9]))
        )
    }
}
