// Privacy-preserving record linkage for the outcomes registry.
//
// A center never sends names: it sends keyed tokens (exact match, compatible with the
// Open Link Token T1–T5 rules) and Bloom-filter encodings (CLKs, compatible with clkhash)
// for fuzzy match. This module is pure computation; files, CLI and storage live at the edges.

/// One person's identifiers as a source holds them, before normalization.
///
/// Fields stay raw strings because every source formats them differently and the token
/// rules must see exactly what the reference implementation sees; normalization happens
/// once, in ``Normalization``, so the token and the CLK paths cannot disagree about it.
public struct IdentifierRecord: Sendable, Hashable, Codable {
    public var givenName: String?
    public var familyName: String?
    public var birthDate: String?
    public var sex: String?
    public var postalCode: String?
    public var phone: String?
    public var email: String?
    public var memberID: String?
    public var ssn: String?

    public init(
        givenName: String? = nil, familyName: String? = nil, birthDate: String? = nil, sex: String? = nil,
        postalCode: String? = nil, phone: String? = nil, email: String? = nil, memberID: String? = nil,
        ssn: String? = nil
    ) {
        self.givenName = givenName
        self.familyName = familyName
        self.birthDate = birthDate
        self.sex = sex
        self.postalCode = postalCode
        self.phone = phone
        self.email = email
        self.memberID = memberID
        self.ssn = ssn
    }
}
