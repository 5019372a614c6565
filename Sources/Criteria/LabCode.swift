/// The laboratory and organ-function measurements criteria may name.
///
/// A fixed vocabulary, not free text, so that a criteria file or an expression naming
/// `labs.lvfe` is refused when it is read instead of evaluating to "unknown" for every
/// patient for ever. The codes are CurePath's own short names; the FHIR import maps LOINC
/// codes onto them.
public struct LabCode: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creatinine clearance, mL/min.
    public static let creatinineClearance = LabCode(rawValue: "creatinineClearance")
    /// Left-ventricular ejection fraction, %.
    public static let lvef = LabCode(rawValue: "lvef")
    /// Total bilirubin, mg/dL.
    public static let bilirubin = LabCode(rawValue: "bilirubin")
    /// Oxygen saturation on room air, %.
    public static let spo2 = LabCode(rawValue: "spo2")

    /// Every code a fact or a criterion may use, with its unit.
    public static let known: [LabCode: String] = [
        .creatinineClearance: "mL/min", .lvef: "%", .bilirubin: "mg/dL", .spo2: "%",
        LabCode(rawValue: "ldh"): "U/L", LabCode(rawValue: "alt"): "U/L", LabCode(rawValue: "ast"): "U/L",
        LabCode(rawValue: "anc"): "10^9/L", LabCode(rawValue: "platelets"): "10^9/L",
        LabCode(rawValue: "hemoglobin"): "g/dL", LabCode(rawValue: "creatinine"): "mg/dL",
        LabCode(rawValue: "albumin"): "g/dL",
    ]

    /// The four organ-function measurements the criteria format names directly.
    public static let organFunction: [LabCode] = [.creatinineClearance, .lvef, .bilirubin, .spo2]

    public var isKnown: Bool { LabCode.known[self] != nil }
    public var unit: String { LabCode.known[self] ?? "" }
    public static var knownNames: [String] { known.keys.map(\.rawValue).sorted() }

    public var description: String { rawValue }
    public static func < (lhs: LabCode, rhs: LabCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
