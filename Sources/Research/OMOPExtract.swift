/// The rows of one research export, table by table, ready to be written as CSV files.
///
/// Every table is present, empty or not, so a site loads the same eight files every time.
public struct OMOPExtract: Sendable {
    private var tables: [OMOPTable: [OMOPRow]]

    init(tables: [OMOPTable: [OMOPRow]]) {
        var all = tables
        for table in OMOPTable.allCases where all[table] == nil { all[table] = [] }
        self.tables = all
    }

    public func rows(_ table: OMOPTable) -> [OMOPRow] { tables[table] ?? [] }

    /// The table as a CSV file: a header of the CDM column names, then one record per row.
    public func csv(_ table: OMOPTable) -> String {
        var text = CSVText.record(table.columns)
        for row in rows(table) { text += CSVText.record(row.fields) }
        return text
    }
}
