import Core

/// The key of a stage within a journey template, e.g. `prior_authorization`.
public struct StageKey: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    /// Whether `text` may be a stage key: 1–64 lowercase letters, digits and `_`, starting
    /// with a letter. Keys are written unquoted into the stored case summary (comma- and
    /// semicolon-separated) and into metric names (`wait:<key>`), so nothing else is allowed.
    public static func isValid(_ text: String) -> Bool {
        guard let first = text.utf8.first, (0x61...0x7A).contains(first), text.utf8.count <= 64 else { return false }
        return text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// One step of a journey template: its name, what it must wait for, and whether a case may
/// skip it.
public struct Stage: Hashable, Sendable, Codable {
    public var key: StageKey
    /// Name for people, e.g. "Prior authorization".
    public var name: String
    public var dependencies: [Dependency]
    /// Whether the stage may be cancelled as not needed (Medicare fee-for-service needs no
    /// prior authorization for CAR-T, for instance) without ending the case.
    public var skippable: Bool
    /// Whether the stage is controlled by the center and payer (and so can be streamlined)
    /// or by the manufacturer and the patient's biology (manufacturing, lymphodepletion).
    public var controllable: Bool

    public init(key: StageKey, name: String, dependencies: [Dependency] = [], skippable: Bool = false, controllable: Bool = true) {
        self.key = key
        self.name = name
        self.dependencies = dependencies
        self.skippable = skippable
        self.controllable = controllable
    }
}

/// A rule that one stage waits for another.
public struct Dependency: Hashable, Sendable, Codable {
    /// How a stage waits for its predecessor.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// May start only once the predecessor has completed (or been cancelled as not needed).
        case finishToStart = "finish-to-start"
        /// May start once the predecessor has started: the two run in parallel.
        case startToStart = "start-to-start"
    }

    public var predecessor: StageKey
    public var kind: Kind
    /// Whether the center may start anyway, at its own financial risk, by recording an
    /// at-risk override with a reason (apheresis before authorization, for instance).
    public var overridable: Bool

    public init(_ predecessor: StageKey, _ kind: Kind, overridable: Bool = false) {
        self.predecessor = predecessor
        self.kind = kind
        self.overridable = overridable
    }
}
