/// One row of an OMOP table as the text of its cells; a column never set is NULL (an empty
/// field in the CSV).
///
/// Cells are set by column name rather than position so a mapping reads like the CDM
/// documentation, and naming a column the table does not have stops the program at once:
/// a misspelt column would otherwise be a silently empty field in every row.
public struct OMOPRow: Hashable, Sendable {
    public let table: OMOPTable
    private var values: [String: String] = [:]

    public init(_ table: OMOPTable) { self.table = table }

    public subscript(column: String) -> String? {
        get { values[column] }
        set {
            precondition(table.columns.contains(column), "\(table.name) has no column \(column)")
            values[column] = newValue
        }
    }

    /// Sets an integer cell (a key or a concept ID).
    public subscript(number column: String) -> Int? {
        get { values[column].flatMap { Int($0) } }
        set { self[column] = newValue.map(String.init) }
    }

    /// The cells in the table's column order, NULL as "".
    public var fields: [String] { table.columns.map { values[$0] ?? "" } }
}
