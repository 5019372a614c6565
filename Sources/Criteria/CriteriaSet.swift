import Core
import CareNetwork

public enum CriteriaSetTag {}
/// Identifies a criteria set across its versions.
public typealias CriteriaSetID = Identifier<CriteriaSetTag>

/// One payer's computable prior-authorization criteria for one product and indication,
/// in one version — format `curepath.criteria/v1`, documented in `docs/CRITERIA.md`.
///
/// Versioned and dated because a PA is judged by the criteria in effect when it was filed,
/// and because the difference between a payer's set and the regional standard is what a
/// center and payer negotiate; both need the exact set that applied.
public struct CriteriaSet: Hashable, Sendable {
    public var id: CriteriaSetID
    public var version: Int
    public var owner: CriteriaOwner
    public var product: ProductID
    /// Free text naming the indication (`relapsed or refractory large B-cell lymphoma`).
    public var indication: String
    public var basis: CriteriaBasis
    /// First day the set applies.
    public var effectiveFrom: CalendarDate
    /// Last day the set applies; `nil` while it is current.
    public var effectiveTo: CalendarDate?
    public var title: String?
    /// In the order the file gives them, which is also the order results are shown in.
    public var criteria: [Criterion]

    public init(
        id: CriteriaSetID, version: Int, owner: CriteriaOwner, product: ProductID, indication: String, basis: CriteriaBasis,
        effectiveFrom: CalendarDate, effectiveTo: CalendarDate? = nil, title: String? = nil, criteria: [Criterion]
    ) {
        self.id = id
        self.version = version
        self.owner = owner
        self.product = product
        self.indication = indication
        self.basis = basis
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.title = title
        self.criteria = criteria
    }

    public func isInEffect(on date: CalendarDate) -> Bool {
        date >= effectiveFrom && (effectiveTo.map { date <= $0 } ?? true)
    }

    /// The criterion with `key`, if the set has one.
    public func criterion(_ key: String) -> Criterion? { criteria.first { $0.key == key } }
}

/// Whose criteria these are: one payer's, or the regional standard payers and centers agreed.
///
/// Encoded as the text a file uses: the payer id or `regional-standard`.
public enum CriteriaOwner: Hashable, Sendable, Codable, CustomStringConvertible {
    case payer(PayerID)
    case regionalStandard

    /// The word a file uses for the regional standard in place of a payer id.
    public static let regionalStandardName = "regional-standard"

    public var description: String {
        switch self {
        case .payer(let id): id.rawValue
        case .regionalStandard: CriteriaOwner.regionalStandardName
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = text == CriteriaOwner.regionalStandardName ? .regionalStandard : .payer(PayerID(text))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// What the criteria were drawn from; pivotal-trial criteria are usually stricter than the
/// label, and which one a payer uses is the first thing a center argues about.
public enum CriteriaBasis: String, Hashable, Sendable, Codable, CaseIterable {
    case label
    case pivotalTrial = "pivotal-trial"
}

extension CriteriaSet {
    /// Whether any criterion needs the patient's age, and so the birth date. The birth date is
    /// a personal identifier kept apart from clinical facts; callers read it (audited) only
    /// for sets that need it.
    public var readsAge: Bool {
        criteria.contains { criterion in
            switch criterion.rule {
            case .age: true
            case .expression(_, let expression): expression.facts.contains(.age)
            default: false
            }
        }
    }
}
