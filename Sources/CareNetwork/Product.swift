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
    public var modality: Modality
    /// Wholesale acquisition (list) price of one dose.
    public var listPrice: Money
    /// The journey template its cases follow.
    public var journeyTemplate: String
    /// Typical days from apheresis to product release.
    public var typicalManufacturingDays: Int
    public var indications: String

    public init(
        id: ProductID, name: String, genericName: String, manufacturer: String, modality: Modality,
        listPrice: Money, journeyTemplate: String, typicalManufacturingDays: Int, indications: String
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
    }
}

public enum Modality: String, Hashable, Sendable, Codable, CaseIterable {
    case carT = "car-t"
    case geneTherapy = "gene-therapy"
}
