import Access
import CareNetwork
import Core
import Foundation
import SQLKit

/// Centers, payers, plans, products, patients and their coverage.
public protocol ReferenceRepository: Sendable {
    /// The directory as it stood on `date` (list prices, the products each center treated).
    func directory(on date: CalendarDate) async throws -> Directory
    /// A product's list prices, oldest first; `nil` when there is no such product.
    func priceHistory(of product: ProductID) async throws -> PriceHistory?
    /// The lists of products a center has treated, each from the day it took effect.
    func productHistory(of center: CenterID) async throws -> EffectiveHistory<[ProductID]>
    func insert(_ directory: Directory) async throws
    func insert(patients: [Patient], identifiers: [PersonalIdentifiers], coverage: [CoveragePeriod]) async throws
    func patient(_ id: PatientID) async throws -> Patient?
    func coveragePeriods(of patient: PatientID) async throws -> [CoveragePeriod]
    /// Every coverage period, by patient then start date (for settlement runs).
    func allCoveragePeriods() async throws -> [CoveragePeriod]
    /// Protected health information: callers must have a reason, and (from the access
    /// control work on) every call is audited.
    func identifiers(of patient: PatientID) async throws -> PersonalIdentifiers?
    /// The member ID of a coverage period, opened from its sealed row: a personal identifier
    /// like ``identifiers(of:)``, read only on the audited path (`Store.openIdentifiers`).
    func memberID(of coverage: CoveragePeriodID) async throws -> String?
    func patientCount() async throws -> Int
    /// Registers one patient (and their identifiers, apart). Returns `false` when the same
    /// patient was already registered; a different patient under the ID is a conflict.
    func register(_ patient: Patient, identifiers: PersonalIdentifiers?, registeredBy: OrganizationID?) async throws -> Bool
    /// Adds a coverage period; `false` when the same period was already recorded.
    func add(_ coverage: CoveragePeriod) async throws -> Bool
    /// Re-seals every identifier and member ID row not sealed with the current key; returns how many.
    func resealIdentifiers() async throws -> Int
}

/// ``ReferenceRepository`` over SQL, the same on SQLite and PostgreSQL.
public struct SQLReferenceRepository: ReferenceRepository {
    let database: Database
    let keys: IdentityKeyring

    public init(database: Database, identityKeys: IdentityKeyring = .development) {
        self.database = database
        self.keys = identityKeys
    }

    public func directory(on date: CalendarDate) async throws -> Directory {
        try await database.withConnection { db in try await Self.directory(on: date, in: db) }
    }

    /// The directory as it stood on `date`: each product at the list price in effect then
    /// (its first price, for a date before it), each center with the products it treated then.
    static func directory(on date: CalendarDate, in db: any SQLDatabase) async throws -> Directory {
        let prices = try await priceHistories(in: db)
        let productLists = try await productHistories(in: db)
        let centers = try await db.select().column("*").from("centers").orderBy("id").all().map { row in
            let id = CenterID(try row.string("id"))
            return Center(
                id: id, name: try row.string("name"), street: try row.string("street"), city: try row.string("city"),
                state: try row.string("state"), postalCode: try row.string("postal_code"), timeZone: try row.string("time_zone"),
                accreditations: try row.string("accreditations").split(separator: ",").compactMap { Accreditation(rawValue: String($0)) },
                workflow: try row.enumeration("workflow", as: Workflow.self),
                products: productLists[id]?.change(on: date)?.value ?? []
            )
        }
        let payers = try await db.select().column("*").from("payers").orderBy("id").all().map { row in
            Payer(id: PayerID(try row.string("id")), name: try row.string("name"), kind: try row.enumeration("kind", as: PayerKind.self), state: try row.optionalString("state"))
        }
        let plans = try await db.select().column("*").from("plans").orderBy("id").all().map { row in
            Plan(
                id: PlanID(try row.string("id")), payerID: PayerID(try row.string("payer_id")), name: try row.string("name"),
                type: try row.enumeration("type", as: PlanType.self), state: try row.optionalString("state"))
        }
        let products = try await db.select().column("*").from("products").orderBy("id").all().map { row in
            let id = ProductID(try row.string("id"))
            guard let history = prices[id], let price = history.change(on: date) ?? history.changes.first else {
                throw StorageError.corrupt("product '\(id)' has no list price")
            }
            return Product(
                id: id, name: try row.string("name"), genericName: try row.string("generic_name"),
                manufacturer: try row.string("manufacturer"), modality: try row.enumeration("modality", as: Modality.self),
                listPrice: price.value, journeyTemplate: try row.string("journey_template"), typicalManufacturingDays: try row.int("manufacturing_days"),
                indications: try row.string("indications"), ndc: try row.optionalString("ndc"), hcpcs: try row.optionalString("hcpcs")
            )
        }
        return Directory(centers: centers, payers: payers, plans: plans, products: products)
    }

    public func priceHistory(of product: ProductID) async throws -> PriceHistory? {
        try await database.withConnection { db in try await Self.priceHistories(of: product, in: db)[product] }
    }

    public func productHistory(of center: CenterID) async throws -> EffectiveHistory<[ProductID]> {
        try await database.withConnection { db in try await Self.productHistories(of: center, in: db)[center] ?? EffectiveHistory() }
    }

    /// Every product's list prices (or one product's), by product.
    static func priceHistories(of product: ProductID? = nil, in db: any SQLDatabase) async throws -> [ProductID: PriceHistory] {
        var query = db.select().column("*").from("product_prices")
        if let product { query = query.where("product_id", .equal, product.rawValue) }
        let rows = try await query.all().map { row in
            (ProductID(try row.string("product_id")),
             ListPrice(Money(minorUnits: try row.int64("minor_units"), currency: Currency(rawValue: try row.string("currency"))),
                       effectiveFrom: try row.date("effective_from")))
        }
        return Dictionary(grouping: rows, by: \.0).mapValues { PriceHistory($0.map(\.1)) }
    }

    /// Every center's product lists (or one center's), by center.
    static func productHistories(of center: CenterID? = nil, in db: any SQLDatabase) async throws -> [CenterID: EffectiveHistory<[ProductID]>] {
        var query = db.select().column("*").from("center_products")
        if let center { query = query.where("center_id", .equal, center.rawValue) }
        let rows = try await query.all().map { row in
            (CenterID(try row.string("center_id")),
             EffectiveHistory<[ProductID]>.Change(
                try row.string("products").split(separator: ",").map { ProductID(String($0)) }, effectiveFrom: try row.date("effective_from")))
        }
        return Dictionary(grouping: rows, by: \.0).mapValues { EffectiveHistory($0.map(\.1)) }
    }

    public func insert(_ directory: Directory) async throws {
        try await database.transaction { db in try await Self.insert(directory, into: db) }
    }

    /// Writes a whole directory (the demo, an import) with each list price and product list
    /// as the first of its history, effective from ``Schema/priceHistoryStart``.
    static func insert(_ directory: Directory, into db: any SQLDatabase) async throws {
        try await insertChunked(db, into: "centers", columns: centerColumns, items: directory.centers, row: centerRow)
        let start = CalendarDate(iso8601: Schema.priceHistoryStart)!
        try await insertChunked(
            db, into: "center_products", columns: ["center_id", "effective_from", "products"],
            items: directory.centers.filter { !$0.products.isEmpty }
        ) { c in [SQLBind(c.id.rawValue), SQLBind(start.description), SQLBind(c.products.map(\.rawValue).joined(separator: ","))] }
        try await insertChunked(db, into: "payers", columns: payerColumns, items: directory.payers, row: payerRow)
        try await insertChunked(db, into: "plans", columns: planColumns, items: directory.plans, row: planRow)
        try await insertChunked(db, into: "products", columns: productColumns, items: directory.products, row: productRow)
        try await insertChunked(db, into: "product_prices", columns: priceColumns, items: directory.products) { p in
            priceRow(p.id, ListPrice(p.listPrice, effectiveFrom: start))
        }
    }

    public func insert(patients: [Patient], identifiers: [PersonalIdentifiers], coverage: [CoveragePeriod]) async throws {
        try await database.transaction { db in
            try await Self.insert(patients: patients, identifiers: identifiers, coverage: coverage, keys: keys, into: db)
        }
    }

    static func insert(
        patients: [Patient], identifiers: [PersonalIdentifiers], coverage: [CoveragePeriod], keys: IdentityKeyring, into db: any SQLDatabase
    ) async throws {
        try await insertChunked(db, into: "patients", columns: ["id", "birth_year", "sex"], items: patients) { p in
            [SQLBind(p.id.rawValue), SQLBind(p.birthYear), SQLBind(p.sex.rawValue)]
        }
        let sealed: [[any SQLExpression]] = try identifiers.map { i in
            let (keyID, box) = try keys.seal(i)
            return [SQLBind(i.patientID.rawValue), SQLBind(keyID), SQLBind(box)]
        }
        try await insertChunked(db, into: "patient_identifiers", columns: ["patient_id", "key_id", "sealed"], rows: sealed)
        try await insertChunked(
            db, into: "coverage_periods", columns: ["id", "patient_id", "payer_id", "plan_id", "start_date", "end_date"], items: coverage
        ) { c in
            [SQLBind(c.id.rawValue), SQLBind(c.patientID.rawValue), SQLBind(c.payerID.rawValue), SQLBind(c.planID.rawValue),
             SQLBind(c.start.description), bind(c.end)]
        }
        let members: [[any SQLExpression]] = try coverage.compactMap { c in
            guard let memberID = c.memberID else { return nil }
            let (keyID, box) = try keys.seal(memberID: memberID, of: c.id)
            return [SQLBind(c.id.rawValue), SQLBind(keyID), SQLBind(box)]
        }
        try await insertChunked(db, into: "coverage_members", columns: ["coverage_id", "key_id", "sealed"], rows: members)
    }

    public func patient(_ id: PatientID) async throws -> Patient? {
        try await database.withConnection { db in
            try await db.select().column("*").from("patients").where("id", .equal, id.rawValue).first().map { row in
                Patient(id: id, birthYear: try row.int("birth_year"), sex: try row.enumeration("sex", as: Sex.self))
            }
        }
    }

    public func coveragePeriods(of patient: PatientID) async throws -> [CoveragePeriod] {
        try await database.withConnection { db in
            try await db.select().column("*").from("coverage_periods").where("patient_id", .equal, patient.rawValue)
                .orderBy("start_date").all().map(Self.coveragePeriod)
        }
    }

    public func allCoveragePeriods() async throws -> [CoveragePeriod] {
        try await database.withConnection { db in
            try await db.select().column("*").from("coverage_periods").orderBy("patient_id").orderBy("start_date").all().map(Self.coveragePeriod)
        }
    }

    /// The coverage periods of the patients whose IDs fall in the range.
    static func coveragePeriods(from first: String, through last: String, in db: any SQLDatabase) async throws -> [CoveragePeriod] {
        try await db.select().column("*").from("coverage_periods")
            .where("patient_id", .greaterThanOrEqual, first).where("patient_id", .lessThanOrEqual, last).all().map(coveragePeriod)
    }

    /// ``coveragePeriods(from:through:in:)`` for a settlement on SQLite (``TextRows``).
    static func coveragePeriods(from first: String, through last: String, in handle: SQLiteHandle) async throws -> [CoveragePeriod] {
        try await TextRows.select(
            ["id", "patient_id", "payer_id", "plan_id", "start_date", "end_date"],
            "coverage_periods WHERE patient_id >= ? AND patient_id <= ?", [first, last], in: handle, as: coveragePeriod)
    }

    /// A coverage period without its member ID, which is sealed apart (``memberID(of:)``).
    static func coveragePeriod(_ row: any SQLRow) throws -> CoveragePeriod {
        CoveragePeriod(
            id: CoveragePeriodID(try row.string("id")), patientID: PatientID(try row.string("patient_id")), payerID: PayerID(try row.string("payer_id")),
            planID: PlanID(try row.string("plan_id")), memberID: nil,
            start: try row.date("start_date"), end: try row.optionalDate("end_date")
        )
    }

    public func memberID(of coverage: CoveragePeriodID) async throws -> String? {
        try await database.withConnection { db in
            try await db.select().column("*").from("coverage_members").where("coverage_id", .equal, coverage.rawValue).first().map { row in
                try keys.openMemberID(try row.string("sealed"), keyID: try row.string("key_id"), of: coverage)
            }
        }
    }

    public func identifiers(of patient: PatientID) async throws -> PersonalIdentifiers? {
        try await database.withConnection { db in
            try await db.select().column("*").from("patient_identifiers").where("patient_id", .equal, patient.rawValue).first().map { row in
                try keys.open(try row.string("sealed"), keyID: try row.string("key_id"), patientID: patient)
            }
        }
    }

    public func patientCount() async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("patients").first()?.int("n") ?? 0
        }
    }

    public func register(_ patient: Patient, identifiers: PersonalIdentifiers?, registeredBy: OrganizationID?) async throws -> Bool {
        try await database.transaction { db in
            if let row = try await db.select().column("*").from("patients").where("id", .equal, patient.id.rawValue).first() {
                let existing = Patient(id: patient.id, birthYear: try row.int("birth_year"), sex: try row.enumeration("sex", as: Sex.self))
                guard existing == patient else { throw StorageError.conflict("patient '\(patient.id)' already exists with different details") }
                return false
            }
            try await db.insert(into: "patients").columns("id", "birth_year", "sex")
                .values(SQLBind(patient.id.rawValue), SQLBind(patient.birthYear), SQLBind(patient.sex.rawValue)).run()
            if let i = identifiers {
                let (keyID, box) = try keys.seal(i)
                try await db.insert(into: "patient_identifiers").columns("patient_id", "key_id", "sealed")
                    .values(SQLBind(patient.id.rawValue), SQLBind(keyID), SQLBind(box)).run()
            }
            if let registeredBy {
                try await db.insert(into: "patient_registrations").columns("patient_id", "organization_id")
                    .values(SQLBind(patient.id.rawValue), SQLBind(registeredBy.rawValue)).run()
            }
            return true
        }
    }

    public func add(_ coverage: CoveragePeriod) async throws -> Bool {
        try await database.transaction { db in
            if let row = try await db.select().column("*").from("coverage_periods").where("id", .equal, coverage.id.rawValue).first() {
                var existing = try Self.coveragePeriod(row)
                // Compared inside storage only: the sealed member ID is opened, never returned.
                existing.memberID = try await db.select().column("*").from("coverage_members").where("coverage_id", .equal, coverage.id.rawValue)
                    .first().map { try keys.openMemberID(try $0.string("sealed"), keyID: try $0.string("key_id"), of: coverage.id) }
                guard existing == coverage else { throw StorageError.idTaken(coverage.id.rawValue) }
                return false
            }
            try await db.insert(into: "coverage_periods")
                .columns("id", "patient_id", "payer_id", "plan_id", "start_date", "end_date")
                .values(SQLBind(coverage.id.rawValue), SQLBind(coverage.patientID.rawValue), SQLBind(coverage.payerID.rawValue),
                        SQLBind(coverage.planID.rawValue), SQLBind(coverage.start.description), bind(coverage.end))
                .run()
            if let memberID = coverage.memberID {
                let (keyID, box) = try keys.seal(memberID: memberID, of: coverage.id)
                try await db.insert(into: "coverage_members").columns("coverage_id", "key_id", "sealed")
                    .values(SQLBind(coverage.id.rawValue), SQLBind(keyID), SQLBind(box)).run()
            }
            return true
        }
    }

    public func resealIdentifiers() async throws -> Int {
        try await database.transaction { [keys] db in
            let rows = try await db.select().column("*").from("patient_identifiers").where("key_id", .notEqual, keys.currentID).all()
            for row in rows {
                let patient = PatientID(try row.string("patient_id"))
                let identifiers = try keys.open(try row.string("sealed"), keyID: try row.string("key_id"), patientID: patient)
                let (keyID, box) = try keys.seal(identifiers)
                try await db.update("patient_identifiers").set("key_id", to: keyID).set("sealed", to: box)
                    .where("patient_id", .equal, patient.rawValue).run()
            }
            let members = try await db.select().column("*").from("coverage_members").where("key_id", .notEqual, keys.currentID).all()
            for row in members {
                let coverage = CoveragePeriodID(try row.string("coverage_id"))
                let memberID = try keys.openMemberID(try row.string("sealed"), keyID: try row.string("key_id"), of: coverage)
                let (keyID, box) = try keys.seal(memberID: memberID, of: coverage)
                try await db.update("coverage_members").set("key_id", to: keyID).set("sealed", to: box)
                    .where("coverage_id", .equal, coverage.rawValue).run()
            }
            return rows.count + members.count
        }
    }
}

extension ReferenceRepository {
    /// The directory as it stands today (UTC): current list prices and product lists.
    public func directory() async throws -> Directory {
        try await directory(on: CalendarDate.today(in: TimeZone(identifier: "UTC")!))
    }

    /// Registers a patient on nobody's behalf (imports, the command line): only the
    /// organizations a case or coverage links to the patient will see them.
    public func register(_ patient: Patient, identifiers: PersonalIdentifiers?) async throws -> Bool {
        try await register(patient, identifiers: identifiers, registeredBy: nil)
    }
}
