import Core

public enum ProductTag {}
public typealias ProductID = Identifier<ProductTag>

/// A cell or gene therapy product a case may lead to.
public struct Product: Hashable, Sendable, Codable {
    public var id: ProductID
    /// Brand name, e.g. Kymriah.
    public var name: String
    /// Non-proprietary name, e.g. tisagenlecleucel.
    public var genericName: String
    public var manufacturer: String
    /// CAR-T, ex vivo or in vivo gene therapy: decides the journey and follow-up it needs.
    public var modality: Modality
    /// Wholesale acquisition (list) price of one dose on the directory's date
    /// (``PriceHistory``): a price change never rewrites what an earlier date reads.
    public var listPrice: Money
    /// The journey template its cases follow.
    public var journeyTemplate: String
    /// Typical days from apheresis to product release; 0 for an in vivo gene therapy, which
    /// is made ahead in lots rather than from the patient's own cells.
    public var typicalManufacturingDays: Int
    public var indications: String
    /// National Drug Code, as the label prints it (``ProductCodes``); `nil` where none exists.
    public var ndc: String?
    /// HCPCS code billed for the product (`Q2041`); `nil` where none is assigned yet.
    public var hcpcs: String?

    public init(
        id: ProductID, name: String, genericName: String, manufacturer: String, modality: Modality,
        listPrice: Money, journeyTemplate: String, typicalManufacturingDays: Int, indications: String,
        ndc: String? = nil, hcpcs: String? = nil
    ) {
        self.id = id
        self.name = name
        self.genericName = genericName
        self.manufacturer = manufacturer
        self.modality = modality
        self.listPrice = listPrice
        self.journeyTemplate = journeyTemplate
        self.typicalManufacturingDays = typicalManufacturingDays
        self.indications = indications
        self.ndc = ndc
        self.hcpcs = hcpcs
    }
}

/// What kind of therapy a product is. The raw values are what the API, CSV files and the
/// database store; `gene-therapy` predates the in vivo kind and keeps meaning ex vivo.
public enum Modality: String, Hashable, Sendable, Codable, CaseIterable {
    /// The patient's T cells, collected by apheresis and engineered to a chimeric antigen receptor.
    case carT = "car-t"
    /// The patient's stem cells, collected after mobilization, modified and returned after
    /// myeloablative conditioning (Casgevy, Lyfgenia, Zynteglo).
    case exVivoGeneTherapy = "gene-therapy"
    /// A vector infused once, with no apheresis or manufacturing for the patient
    /// (onasemnogene, etoranacogene, valoctocogene).
    case inVivoGeneTherapy = "in-vivo-gene-therapy"

    /// Whether each dose is made from the patient's own cells, so a case waits for manufacturing.
    public var isMadeFromPatientCells: Bool { self != .inVivoGeneTherapy }
}
