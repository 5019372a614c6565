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
    public var city: String
    /// Two-letter US state or territory code.
    public var state: String
    /// IANA time zone name, e.g. `America/Chicago`.
    public var timeZone: String
    public var accreditations: [Accreditation]
    /// How the center runs the steps before apheresis; the demo network uses it to shape timelines.
    public var workflow: Workflow

    public init(
        id: CenterID, name: String, city: String, state: String, timeZone: String,
        accreditations: [Accreditation], workflow: Workflow
    ) {
        self.id = id
        self.name = name
        self.city = city
        self.state = state
        self.timeZone = timeZone
        self.accreditations = accreditations
        self.workflow = workflow
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
