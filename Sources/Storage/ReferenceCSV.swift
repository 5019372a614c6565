import CareNetwork
import Contracts
import Core
import Foundation
import Outcomes

/// The kinds of reference record an operator administers, one kind to a CSV file.
public enum ReferenceKind: String, CaseIterable, Sendable {
    case centers, payers, plans, products

    /// The file's columns (docs/REFERENCE_DATA.md), in the order the documentation lists
    /// them; the header may list them in any order, and leave out the optional ones.
    public var columns: (all: [String], required: [String]) {
        switch self {
        case .centers:
            (["id", "name", "street", "city", "state", "postal_code", "time_zone", "accreditations", "workflow", "products", "effective_from"],
             ["id", "name", "street", "city", "state", "postal_code", "time_zone", "workflow"])
        case .payers: (["id", "name", "kind", "state"], ["id", "name", "kind"])
        case .plans: (["id", "payer_id", "name", "type", "state"], ["id", "payer_id", "name", "type"])
        case .products:
            (["id", "name", "generic_name", "manufacturer", "modality", "list_price", "effective_from", "journey_template",
              "typical_manufacturing_days", "indications", "ndc", "hcpcs"],
             ["id", "name", "generic_name", "manufacturer", "modality", "list_price", "journey_template", "typical_manufacturing_days"])
        }
    }
}

/// Reading reference CSV files: bounded in bytes and rows, UTF-8 only, every problem
/// reported with its line, column and field, and nothing written unless every row is good.
public enum ReferenceCSV {
    /// Far above a national network (a few thousand centers or plans), far below what could slow the server.
    public static let maximumBytes = 4 * 1_048_576
    public static let maximumRows = 20_000
    /// Problems reported at most; the first hundred are enough to fix a file.
    static let maximumIssues = 100

    /// The position of the first byte that is not UTF-8, as a problem naming its line.
    static func checkUTF8(_ bytes: [UInt8]) throws(ValidationError) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: return
            case .error: throw ValidationError(field: "line \(line)", problem: "is not UTF-8 text; save the file as UTF-8 CSV")
            }
        }
    }

    /// `line 4, column 6 (postal_code)` for a field a domain check named (`postalCode`,
    /// `products[2]`, `listPrice.currency`).
    static func place(line: Int, field: String, columns: [String]) -> String {
        let stem = field.prefix { $0 != "[" && $0 != "." }
        var column = ""
        for character in stem {
            if character.isUppercase { column += "_" + character.lowercased() } else { column.append(character) }
        }
        guard let index = columns.firstIndex(of: column) else { return "line \(line)" + (column.isEmpty ? "" : " (\(column))") }
        return "line \(line), column \(index + 1) (\(column))"
    }

    /// A multi-valued cell: `fact-iec;coe`.
    static func list(_ cell: String?) -> [String] {
        (cell ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

extension ReferenceChanges {
    /// Adds every row of a CSV file of `kind` (a header line, then one record a line); returns
    /// the IDs added. Any problem in any row refuses the file with every problem found, each
    /// naming its line, column and field; the caller's transaction then writes nothing.
    public mutating func importCSV(_ bytes: [UInt8], kind: ReferenceKind) async throws -> [String] {
        guard bytes.count <= ReferenceCSV.maximumBytes else {
            throw ValidationError(field: "file", problem: "is larger than the \(ReferenceCSV.maximumBytes / 1_048_576) MB limit; split it")
        }
        try ReferenceCSV.checkUTF8(bytes)
        let (all, required) = kind.columns
        let table = try CSVTable.read(bytes, allowed: all, required: required, maximumRows: ReferenceCSV.maximumRows)
        var issues: [ValidationError.Issue] = []
        var added: [String] = []
        for row in table.rows {
            guard issues.count < ReferenceCSV.maximumIssues else { break }
            do {
                added.append(try await add(row, kind: kind))
            } catch let error as ValidationError {
                issues += error.issues.map { .init(field: ReferenceCSV.place(line: row.line, field: $0.field, columns: table.columns), problem: $0.problem, rule: $0.rule) }
            } catch StorageError.conflict {
                issues.append(.init(field: ReferenceCSV.place(line: row.line, field: "id", columns: table.columns), problem: "'\(row["id"] ?? "")' is already used"))
            }
        }
        guard issues.isEmpty else { throw ValidationError(issues: Array(issues.prefix(ReferenceCSV.maximumIssues))) }
        return added
    }

    private mutating func add(_ row: CSVTable.Row, kind: ReferenceKind) async throws -> String {
        let date = { (column: String, field: String) throws(ValidationError) -> CalendarDate? in
            try row[column].map { text throws(ValidationError) in try CalendarDate.parse(text, field: field) }
        }
        switch kind {
        case .centers:
            let draft = Center.Draft(
                id: row["id"] ?? "", name: row["name"] ?? "", street: row["street"] ?? "", city: row["city"] ?? "", state: row["state"] ?? "",
                postalCode: row["postal_code"] ?? "", timeZone: row["time_zone"] ?? "", accreditations: ReferenceCSV.list(row["accreditations"]),
                workflow: row["workflow"] ?? "", products: ReferenceCSV.list(row["products"]))
            return try await add(draft, productsFrom: try date("effective_from", "effectiveFrom")).id.rawValue
        case .payers:
            return try await add(Payer.Draft(id: row["id"] ?? "", name: row["name"] ?? "", kind: row["kind"] ?? "", state: row["state"])).id.rawValue
        case .plans:
            let draft = Plan.Draft(id: row["id"] ?? "", payerID: row["payer_id"] ?? "", name: row["name"] ?? "", type: row["type"] ?? "", state: row["state"])
            return try await add(draft).id.rawValue
        case .products:
            let days = row["typical_manufacturing_days"]
            guard days.map({ Int($0) != nil }) ?? true else {
                throw ValidationError(field: "typicalManufacturingDays", problem: "must be a whole number of days, got \"\(days!.prefix(20))\"")
            }
            let draft = Product.Draft(
                id: row["id"] ?? "", name: row["name"] ?? "", genericName: row["generic_name"] ?? "", manufacturer: row["manufacturer"] ?? "",
                modality: row["modality"] ?? "", journeyTemplate: row["journey_template"] ?? "", typicalManufacturingDays: days.flatMap { Int($0) },
                indications: row["indications"] ?? "", ndc: row["ndc"], hcpcs: row["hcpcs"])
            let price = try MoneyText.parse(row["list_price"] ?? "", field: "listPrice")
            return try await add(draft, listPrice: price, priceFrom: try date("effective_from", "effectiveFrom")).id.rawValue
        }
    }
}
