/// A typed identifier: a string that can only be used where an identifier of the same
/// entity is expected, so a `CaseID` is never passed where a `PatientID` belongs.
///
/// Identifiers are opaque, stable strings (`case-000123`, `ctr-mdacc`); they are what the
/// API, the database and the custody log exchange, and carry no personal information.
public struct Identifier<Entity>: RawRepresentable, Hashable, Comparable, Codable, Sendable,
    CustomStringConvertible, ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Checks the shape every identifier shares: 1–64 characters of letters, digits, `-`, `_` or `.`.
    /// - Parameter field: the input field named in the error.
    public static func validated(_ raw: String, field: String) throws(ValidationError) -> Self {
        let allowed = raw.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
        guard !raw.isEmpty, raw.utf8.count <= 64, allowed else {
            throw ValidationError(
                field: field,
                problem: "must be 1 to 64 letters, digits, '-', '_' or '.', got \"\(raw.prefix(80))\""
            )
        }
        return Self(rawValue: raw)
    }
}
