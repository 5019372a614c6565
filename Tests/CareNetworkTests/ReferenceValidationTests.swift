import CareNetwork
import Core
import Testing

/// What an operator is told when a center, payer, plan or product is entered wrong: every
/// problem at once, each naming its field.
@Suite("Reference data validation")
struct ReferenceValidationTests {
    static let center = Center.Draft(
        id: "ctr-lakeside", name: "Lakeside Cancer Center", street: "1 Shore Drive", city: "Chicago", state: "IL", postalCode: "60601",
        timeZone: "America/Chicago", accreditations: ["fact-iec", "coe"], workflow: "parallel", products: ["prd-kymriah"])

    static let product = Product.Draft(
        id: "prd-zolgensma", name: "Zolgensma", genericName: "onasemnogene abeparvovec", manufacturer: "Novartis Gene Therapies",
        modality: "in-vivo-gene-therapy", journeyTemplate: "gene-therapy", typicalManufacturingDays: 0, indications: "SMA under 2 years",
        ndc: "71894-120-01", hcpcs: "J3399")

    /// The fields a refusal names; `[]` when nothing was refused.
    static func fields(_ body: () throws -> Void) -> [String] {
        do { try body(); return [] } catch let error as ValidationError { return error.issues.map(\.field) } catch { return ["not a ValidationError: \(error)"] }
    }

    @Test("a good center validates, trimmed and typed")
    func goodCenter() throws {
        var draft = Self.center
        draft.name = "  Lakeside Cancer Center "
        draft.state = "il"
        let center = try draft.validated { $0 == "prd-kymriah" }
        #expect(center.name == "Lakeside Cancer Center")
        #expect(center.state == "IL")
        #expect(center.accreditations == [.factImmuneEffectorCells, .centerOfExcellence])
        #expect(center.products == ["prd-kymriah"])
        #expect(try center.draft.validated { _ in true } == center)
    }

    @Test("every bad field of a center is named at once")
    func badCenter() {
        let draft = Center.Draft(
            id: "ctr lakeside", name: " ", street: "", city: "Chicago", state: "ZZ", postalCode: "6060", timeZone: "Central Time",
            accreditations: ["fact-iec", "jcaho", "fact-iec"], workflow: "fast", products: ["prd-unknown", "bad id"])
        let fields = Self.fields { _ = try draft.validated { _ in false } }
        #expect(fields == ["id", "name", "street", "state", "postalCode", "timeZone", "accreditations[1]", "accreditations[2]", "workflow", "products[0]", "products[1]"])
    }

    @Test("ZIP codes and time zones have their real shapes", arguments: [
        ("60601-1234", "America/Chicago", true), ("60601", "Pacific/Honolulu", true), ("606011234", "America/Chicago", false),
        ("60601", "America/Springfield", false), ("6060A", "UTC", false), ("60601-12", "America/Phoenix", false),
    ])
    func addressShapes(zip: String, zone: String, valid: Bool) {
        var draft = Self.center
        draft.postalCode = zip
        draft.timeZone = zone
        #expect(Self.fields { _ = try draft.validated { _ in true } }.isEmpty == valid)
    }

    @Test("text that a spreadsheet would run as a formula is refused", arguments: ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)"])
    func formulaRefused(name: String) {
        #expect(Self.fields { _ = try Payer.Draft(id: "pay-x", name: name, kind: "commercial", state: nil).validated() } == ["name"])
    }

    @Test("a Medicaid payer needs its state; other payers may leave it out")
    func payerState() throws {
        #expect(Self.fields { _ = try Payer.Draft(id: "pay-il-medicaid", name: "Illinois Medicaid", kind: "medicaid", state: nil).validated() } == ["state"])
        #expect(Self.fields { _ = try Payer.Draft(id: "pay-x", name: "X", kind: "medicaid", state: "XX").validated() } == ["state"])
        #expect(Self.fields { _ = try Payer.Draft(id: "pay-x", name: "X", kind: "insurer", state: nil).validated() } == ["kind"])
        let payer = try Payer.Draft(id: "pay-acme", name: "Acme Health", kind: "commercial", state: nil).validated()
        #expect(payer.kind == .commercial && payer.state == nil)
    }

    @Test("a plan's type fits its payer, and a Medicaid plan names the program's state")
    func planRules() throws {
        let medicaid = Payer(id: "pay-il-medicaid", name: "Illinois Medicaid", kind: .medicaid, state: "IL")
        let commercial = Payer(id: "pay-acme", name: "Acme", kind: .commercial)
        func plan(_ type: String, _ state: String?, payer: Payer?) -> [String] {
            Self.fields { _ = try Plan.Draft(id: "plan-x", payerID: payer?.id.rawValue ?? "pay-none", name: "X", type: type, state: state).validated(payer: payer) }
        }
        #expect(plan("medicaid", "IL", payer: medicaid).isEmpty)
        #expect(plan("chip", "IL", payer: medicaid).isEmpty)
        #expect(plan("commercial", nil, payer: medicaid) == ["type"])
        #expect(plan("medicaid", nil, payer: medicaid) == ["state"])
        #expect(plan("medicaid", "TX", payer: medicaid) == ["state"])
        #expect(plan("medicaid", nil, payer: commercial) == ["state"])
        #expect(plan("medicaid", "TX", payer: commercial).isEmpty)
        #expect(plan("medicare-advantage", nil, payer: commercial).isEmpty)
        #expect(plan("commercial", nil, payer: nil) == ["payerId"])
        #expect(plan("hmo", nil, payer: commercial) == ["type"])
    }

    @Test("an in vivo gene therapy may take 0 manufacturing days; a product made from the patient's cells may not")
    func manufacturingDays() throws {
        let price = Money(dollars: 2_125_000)
        let zolgensma = try Self.product.validated(listPrice: price) { $0 == "gene-therapy" }
        #expect(zolgensma.modality == .inVivoGeneTherapy && zolgensma.typicalManufacturingDays == 0)
        var carT = Self.product
        carT.modality = "car-t"
        #expect(Self.fields { _ = try carT.validated(listPrice: price) { _ in true } } == ["typicalManufacturingDays"])
        carT.typicalManufacturingDays = 366
        #expect(Self.fields { _ = try carT.validated(listPrice: price) { _ in true } } == ["typicalManufacturingDays"])
        carT.typicalManufacturingDays = 17
        #expect(try carT.validated(listPrice: price) { _ in true }.modality == .carT)
    }

    @Test("the stored kinds keep their raw values; in vivo is new")
    func modalityRawValues() {
        #expect(Modality(rawValue: "car-t") == .carT)
        #expect(Modality(rawValue: "gene-therapy") == .exVivoGeneTherapy)
        #expect(Modality(rawValue: "in-vivo-gene-therapy") == .inVivoGeneTherapy)
        #expect(!Modality.inVivoGeneTherapy.isMadeFromPatientCells)
    }

    @Test("every bad field of a product is named at once")
    func badProduct() {
        let draft = Product.Draft(
            id: "", name: "Zolgensma", genericName: "", manufacturer: "Novartis", modality: "in vivo", journeyTemplate: "aav",
            typicalManufacturingDays: nil, indications: "", ndc: "123-45", hcpcs: "J33999")
        let fields = Self.fields { _ = try draft.validated(listPrice: Money(minorUnits: 0, currency: Currency(rawValue: "usd"))) { _ in false } }
        #expect(fields == ["id", "genericName", "modality", "journeyTemplate", "typicalManufacturingDays", "ndc", "hcpcs", "listPrice.currency", "listPrice"])
    }

    @Test("NDC and HCPCS codes are checked for their published shapes", arguments: [
        ("0078-0846-19", true), ("71894-120-01", true), ("71894-0120-1", true), ("71894-0120-01", true), ("71894012001", true),
        ("7189-4120-011", false), ("71894-120-1", false), ("ABCDE-120-01", false), ("", false),
    ])
    func ndc(code: String, valid: Bool) {
        #expect(ProductCodes.isNDC(code) == valid)
    }

    @Test("HCPCS: a letter and four digits, or five CPT characters", arguments: [
        ("Q2041", true), ("J3399", true), ("38225", true), ("0537T", true), ("Q204", false), ("QQ041", false), ("0537X", false),
    ])
    func hcpcs(code: String, valid: Bool) {
        #expect(ProductCodes.isHCPCS(code) == valid)
    }

    @Test("a list price is read as of a date, and a new one never rewrites the past")
    func priceHistory() throws {
        let day = { (text: String) in CalendarDate(iso8601: text)! }
        var history = PriceHistory([ListPrice(Money(dollars: 2_125_000), effectiveFrom: day("2019-05-24"))])
        history = try history.adding(price: ListPrice(Money(dollars: 2_300_000), effectiveFrom: day("2026-01-01")), today: day("2025-12-01"))
        #expect(history.change(on: day("2025-12-31"))?.value == Money(dollars: 2_125_000))
        #expect(history.change(on: day("2026-01-01"))?.value == Money(dollars: 2_300_000))
        #expect(history.change(on: day("2019-05-23")) == nil)
        // Backdated, before the latest, in another currency, or not more than zero: refused with the field.
        func refused(_ price: ListPrice, today: String) -> [String] {
            Self.fields { _ = try history.adding(price: price, today: day(today)) }
        }
        #expect(refused(ListPrice(Money(dollars: 2_400_000), effectiveFrom: day("2026-02-01")), today: "2026-03-01") == ["effectiveFrom"])
        #expect(refused(ListPrice(Money(dollars: 2_400_000), effectiveFrom: day("2026-01-01")), today: "2025-12-01") == ["effectiveFrom"])
        #expect(refused(ListPrice(Money(dollars: 2_400_000, currency: Currency(rawValue: "EUR")), effectiveFrom: day("2026-06-01")), today: "2026-03-01") == ["amount.currency"])
        #expect(refused(ListPrice(Money(minorUnits: -1), effectiveFrom: day("2026-06-01")), today: "2026-03-01") == ["amount"])
        #expect(history.changes.count == 2)
    }
}
