import Core

extension Product {
    /// A product as an operator enters it, until ``validated(journeyTemplateExists:)`` checks
    /// it. The list price is given when the product is added; later prices are added to its
    /// ``PriceHistory`` with their own effective dates, never by editing the product.
    public struct Draft: Sendable {
        public var id: String
        public var name: String
        public var genericName: String
        public var manufacturer: String
        public var modality: String
        public var journeyTemplate: String
        public var typicalManufacturingDays: Int?
        public var indications: String
        public var ndc: String?
        public var hcpcs: String?

        public init(
            id: String, name: String, genericName: String, manufacturer: String, modality: String, journeyTemplate: String,
            typicalManufacturingDays: Int?, indications: String, ndc: String?, hcpcs: String?
        ) {
            self.id = id
            self.name = name
            self.genericName = genericName
            self.manufacturer = manufacturer
            self.modality = modality
            self.journeyTemplate = journeyTemplate
            self.typicalManufacturingDays = typicalManufacturingDays
            self.indications = indications
            self.ndc = ndc
            self.hcpcs = hcpcs
        }

        /// The longest manufacturing time accepted: a year is far above any product's.
        public static let maximumManufacturingDays = 365

        /// The product priced at `listPrice`, or every problem with the draft, each naming its
        /// field. `journeyTemplateExists` is the one test of a template name the edges share.
        public func validated(listPrice: Money, journeyTemplateExists: (String) -> Bool) throws(ValidationError) -> Product {
            var checks = FieldChecks()
            let id: ProductID = checks.identifier(id, field: "id")
            let name = checks.required(name, field: "name")
            let genericName = checks.required(genericName, field: "genericName")
            let manufacturer = checks.required(manufacturer, field: "manufacturer")
            let kind = checks.choice(modality, field: "modality", as: Modality.self)
            let template = checks.required(journeyTemplate, field: "journeyTemplate", maximum: 64)
            if !template.isEmpty, !journeyTemplateExists(template) {
                checks.fail("journeyTemplate", "no journey template '\(template)'")
            }
            let days = typicalManufacturingDays ?? -1
            if typicalManufacturingDays == nil {
                checks.fail("typicalManufacturingDays", "is required")
            } else if let kind, !((kind.isMadeFromPatientCells ? 1 : 0)...Self.maximumManufacturingDays).contains(days) {
                checks.fail(
                    "typicalManufacturingDays",
                    kind.isMadeFromPatientCells
                        ? "must be 1 to \(Self.maximumManufacturingDays) days for a product made from the patient's cells, got \(days)"
                        : "must be 0 to \(Self.maximumManufacturingDays) days, got \(days)")
            }
            let indications = checks.text(indications, field: "indications", maximum: 500, optional: true) ?? ""
            let ndc = checks.text(ndc, field: "ndc", maximum: 13, optional: true)
            if let ndc, !ProductCodes.isNDC(ndc) {
                checks.fail("ndc", "must be a National Drug Code: 4-4-2, 5-3-2, 5-4-1 or 5-4-2 digits (hyphens optional for 11 digits), got \"\(ndc)\"")
            }
            let hcpcs = checks.text(hcpcs, field: "hcpcs", maximum: 5, optional: true)?.uppercased()
            if let hcpcs, !ProductCodes.isHCPCS(hcpcs) {
                checks.fail("hcpcs", "must be a HCPCS code: a letter and four digits (Q2041) or five CPT characters (38225), got \"\(hcpcs)\"")
            }
            checks.price(listPrice, field: "listPrice")
            try checks.finish()
            return Product(
                id: id, name: name, genericName: genericName, manufacturer: manufacturer, modality: kind ?? .carT, listPrice: listPrice,
                journeyTemplate: template, typicalManufacturingDays: days, indications: indications, ndc: ndc, hcpcs: hcpcs)
        }
    }

    public var draft: Draft {
        Draft(
            id: id.rawValue, name: name, genericName: genericName, manufacturer: manufacturer, modality: modality.rawValue,
            journeyTemplate: journeyTemplate, typicalManufacturingDays: typicalManufacturingDays, indications: indications, ndc: ndc, hcpcs: hcpcs)
    }
}
