import Core
import Foundation

extension Center {
    /// A center as an operator enters it — a form, a CSV row, command-line flags — every field
    /// as text, until ``validated(productExists:)`` checks it.
    public struct Draft: Sendable {
        public var id: String
        public var name: String
        public var street: String
        public var city: String
        public var state: String
        public var postalCode: String
        public var timeZone: String
        public var accreditations: [String]
        public var workflow: String
        public var products: [String]

        public init(
            id: String, name: String, street: String, city: String, state: String, postalCode: String, timeZone: String,
            accreditations: [String], workflow: String, products: [String]
        ) {
            self.id = id
            self.name = name
            self.street = street
            self.city = city
            self.state = state
            self.postalCode = postalCode
            self.timeZone = timeZone
            self.accreditations = accreditations
            self.workflow = workflow
            self.products = products
        }

        /// The center, or every problem with the draft, each naming its field. `productExists`
        /// says whether the directory has a product; a center treats only products it knows.
        public func validated(productExists: (ProductID) -> Bool) throws(ValidationError) -> Center {
            var checks = FieldChecks()
            let id: CenterID = checks.identifier(id, field: "id")
            let name = checks.required(name, field: "name")
            let street = checks.required(street, field: "street")
            let city = checks.required(city, field: "city", maximum: 100)
            let state = checks.state(state, field: "state") ?? ""
            let postalCode = checks.required(postalCode, field: "postalCode", maximum: 10)
            if !postalCode.isEmpty, !Center.isZIPCode(postalCode) {
                checks.fail("postalCode", "must be a US ZIP code, 12345 or 12345-6789, got \"\(postalCode)\"")
            }
            let timeZone = checks.required(timeZone, field: "timeZone", maximum: 64)
            if !timeZone.isEmpty, !Center.isTimeZone(timeZone) {
                checks.fail("timeZone", "must be an IANA time zone name such as America/Chicago, got \"\(timeZone)\"")
            }
            var accreditations: [Accreditation] = []
            for (index, raw) in self.accreditations.enumerated() {
                guard let accreditation = checks.choice(raw, field: "accreditations[\(index)]", as: Accreditation.self) else { continue }
                if accreditations.contains(accreditation) {
                    checks.fail("accreditations[\(index)]", "names \(accreditation.rawValue) twice")
                } else {
                    accreditations.append(accreditation)
                }
            }
            let workflow = checks.choice(workflow, field: "workflow", as: Workflow.self) ?? .linear
            var products: [ProductID] = []
            for (index, raw) in self.products.enumerated() {
                let field = "products[\(index)]"
                let product: ProductID = checks.identifier(raw, field: field)
                if products.contains(product) {
                    checks.fail(field, "names \(product) twice")
                } else if checks.issues.last?.field != field, !productExists(product) {
                    checks.fail(field, "no product '\(product)'; add the product first")
                } else {
                    products.append(product)
                }
            }
            try checks.finish()
            return Center(
                id: id, name: name, street: street, city: city, state: state, postalCode: postalCode, timeZone: timeZone,
                accreditations: accreditations, workflow: workflow, products: products)
        }
    }

    /// The draft that validates to this center, for editing it.
    public var draft: Draft {
        Draft(
            id: id.rawValue, name: name, street: street, city: city, state: state, postalCode: postalCode, timeZone: timeZone,
            accreditations: accreditations.map(\.rawValue), workflow: workflow.rawValue, products: products.map(\.rawValue))
    }

    /// `12345` or `12345-6789`.
    static func isZIPCode(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false).map(\.utf8)
        let digits = groups.allSatisfy { $0.allSatisfy { (0x30...0x39).contains($0) } }
        return digits && (groups.map(\.count) == [5] || groups.map(\.count) == [5, 4])
    }

    /// The time zone names this system's time zone database knows, `America/Chicago` and the like.
    private static let timeZones = Set(TimeZone.knownTimeZoneIdentifiers)

    /// Whether `name` is an IANA time zone the calendar can use to decide "today at the center".
    static func isTimeZone(_ name: String) -> Bool { timeZones.contains(name) }
}
