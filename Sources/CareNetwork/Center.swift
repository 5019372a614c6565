import Core

/// Marker for center identifiers.
public enum CenterTag {}
public typealias CenterID = Identifier<CenterTag>

/// An authorized treatment center (ATC): where a case's care happens.
///
/// The center's time zone decides which calendar day an event happened on, and its
/// accreditations and certified products decide which cases it may open.
public struct Center: Hashable, Sendable, Codable {
    public var id: CenterID
    public var name: String
    /// Street address (number, street, suite); empty for centers recorded before addresses were kept.
    public var street: String
    public var city: String
    /// Two-letter US state or territory code.
    public var state: String
    /// US ZIP code, `12345` or `12345-6789`; empty for centers recorded before addresses were kept.
    public var postalCode: String
    /// IANA time zone name, e.g. `America/Chicago`.
    public var timeZone: String
    public var accreditations: [Accreditation]
    /// How the center runs the steps before apheresis; the demo network uses it to shape timelines.
    public var workflow: Workflow
    /// The products the center treats (is certified for) on the directory's date: a change
    /// takes effect on a date and never rewrites what the center treated before it.
    public var products: [ProductID]

    public init(
        id: CenterID, name: String, street: String = "", city: String, state: String, postalCode: String = "", timeZone: String,
        accreditations: [Accreditation], workflow: Workflow, products: [ProductID] = []
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
}

/// An accreditation or certification a center holds.
public enum Accreditation: String, Hashable, Sendable, Codable, CaseIterable {
    /// FACT immune effector cell therapy accreditation.
    case factImmuneEffectorCells = "fact-iec"
    /// FACT hematopoietic cell transplantation accreditation.
    case factTransplant = "fact-hct"
    /// A payer's center-of-excellence designation.
    case centerOfExcellence = "coe"
}

/// Whether a center starts benefits, authorization and agreement work together at referral
/// (about 70 days to infusion) or one after another (about 100 days), per the seed focus groups.
public enum Workflow: String, Hashable, Sendable, Codable, CaseIterable {
    case parallel
    case linear
}
