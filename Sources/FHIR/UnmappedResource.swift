/// A bundle entry the import did not turn into a fact, and why.
///
/// Nothing is dropped silently: a coordinator must see that the EHR sent an LDH in µkat/L or
/// an eGFR instead of a creatinine clearance, or a criterion will read "unknown" with no
/// explanation. Entries the import never reads (Encounter, Claim) are listed too.
public struct UnmappedResource: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The entry's position in `Bundle.entry`.
    public var entryIndex: Int
    public var resourceType: String
    public var resourceID: String?
    /// The codes seen, as FHIR tokens `system|code`.
    public var codes: [String]
    /// Why, in words (`LOINC 2345-7 is not a code CurePath maps`).
    public var reason: String

    public init(entryIndex: Int, resourceType: String, resourceID: String? = nil, codes: [String] = [], reason: String) {
        self.entryIndex = entryIndex
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.codes = codes
        self.reason = reason
    }

    public var description: String {
        "entry[\(entryIndex)] \(resourceType)" + (resourceID.map { "/\($0)" } ?? "") + ": \(reason)"
    }
}
