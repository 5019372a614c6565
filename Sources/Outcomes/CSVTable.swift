import Core
import Foundation

/// A small CSV file read whole into rows keyed by its header: the shape of token files, CLK
/// files and identifier lists, where every column is known in advance.
///
/// Unlike outcome files these are read at once (they are bounded by the caller), and every
/// problem is collected with its line so a partner fixes the file in one pass.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        public var line: Int
        /// Non-empty values by lower-cased column name, trimmed.
        public var values: [String: String]

        public subscript(_ column: String) -> String? { values[column] }
    }

    public var columns: [String]
    public var rows: [Row]

    /// Reads `bytes`, refusing unknown or missing columns and malformed records; issue fields
    /// are `line N: column`.
    public static func read(_ bytes: some ContiguousBytes, allowed: [String], required: [String], maximumRows: Int = 1_000_000) throws(ValidationError) -> CSVTable {
        var issues: [ValidationError.Issue] = []
        var columns: [String]?
        var rows: [Row] = []
        bytes.withUnsafeBytes { buffer in
            var reader = CSVReader(bytes: buffer)
            while let next = reader.next(), issues.count < 100 {
                switch next {
                case .failure(.malformed(let line, let problem)):
                    issues.append(.init(field: "line \(line)", problem: problem))
                case .success(let record):
                    guard let header = columns else {
                        let names = record.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                        for name in names where !allowed.contains(name) {
                            issues.append(.init(field: "line \(record.line): \(name)", problem: "is not a column here; the columns are \(allowed.joined(separator: ", "))"))
                        }
                        for name in required where !names.contains(name) {
                            issues.append(.init(field: "line \(record.line): \(name)", problem: "column is missing from the header"))
                        }
                        if Set(names).count != names.count { issues.append(.init(field: "line \(record.line)", problem: "names a column twice")) }
                        columns = names
                        continue
                    }
                    guard record.fields.count == header.count else {
                        issues.append(.init(field: "line \(record.line)", problem: "has \(record.fields.count) fields; the header has \(header.count)"))
                        continue
                    }
                    guard rows.count < maximumRows else {
                        issues.append(.init(field: "line \(record.line)", problem: "is past the limit of \(maximumRows) rows; split the file"))
                        return
                    }
                    var values: [String: String] = [:]
                    for (name, field) in zip(header, record.fields) {
                        let value = field.trimmingCharacters(in: .whitespaces)
                        if !value.isEmpty { values[name] = value }
                    }
                    rows.append(Row(line: record.line, values: values))
                }
            }
        }
        if columns == nil { issues.append(.init(field: "line 1", problem: "the file is empty; the first line must name the columns")) }
        guard issues.isEmpty, let columns else { throw ValidationError(issues: issues) }
        return CSVTable(columns: columns, rows: rows)
    }
}
