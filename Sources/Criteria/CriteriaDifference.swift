/// One way a payer's criteria differ from the regional standard, listed so a center and a
/// payer can negotiate it away.
///
/// Criteria are lined up by key (`organ.lvef`, `pretest.echo`); thresholds are compared in
/// the direction that matters to a patient — a higher minimum LVEF, a shorter freshness
/// window or a narrower list of diagnoses is stricter.
public struct CriteriaDifference: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// The payer asks for something the standard does not.
        case onlyInPayer = "only-in-payer"
        /// The standard asks for something the payer does not.
        case onlyInStandard = "only-in-standard"
        /// Same criterion, harder to meet under the payer.
        case stricter
        /// Same criterion, easier to meet under the payer.
        case looser
        /// Same criterion, neither simply stricter nor looser (stricter in one part, looser in another, or a different expression).
        case different
    }

    public var key: String
    public var kind: Kind
    /// The payer's requirement in words, when it has one.
    public var payer: String?
    /// The standard's requirement in words, when it has one.
    public var standard: String?
    /// The payer criterion's line in its file, to point at in a negotiation.
    public var payerLine: Int?

    public var description: String {
        "\(key): \(kind.rawValue) — payer: \(payer ?? "none"); standard: \(standard ?? "none")"
    }

    /// Every difference between `payer`'s set and `standard`, in the payer's criterion order
    /// followed by criteria only the standard has. The basis (label or pivotal trial) is
    /// listed first when it differs.
    public static func between(_ payer: CriteriaSet, standard: CriteriaSet) -> [CriteriaDifference] {
        var differences: [CriteriaDifference] = []
        if payer.basis != standard.basis {
            differences.append(.init(key: "basis", kind: .different, payer: payer.basis.rawValue, standard: standard.basis.rawValue))
        }
        if payer.product != standard.product {
            differences.append(.init(key: "product", kind: .different, payer: payer.product.rawValue, standard: standard.product.rawValue))
        }
        for criterion in payer.criteria {
            guard let theirs = standard.criterion(criterion.key) else {
                differences.append(.init(key: criterion.key, kind: .onlyInPayer, payer: criterion.rule.description, payerLine: criterion.line))
                continue
            }
            if let kind = compare(criterion.rule, theirs.rule) {
                differences.append(.init(key: criterion.key, kind: kind, payer: criterion.rule.description, standard: theirs.rule.description, payerLine: criterion.line))
            }
        }
        for criterion in standard.criteria where payer.criterion(criterion.key) == nil {
            differences.append(.init(key: criterion.key, kind: .onlyInStandard, standard: criterion.rule.description))
        }
        return differences
    }

    /// +1 where the payer's side is stricter, -1 looser, 0 the same; combined over the parts of one criterion.
    private static func combine(_ parts: [Int]) -> Kind? {
        let stricter = parts.contains { $0 > 0 }, looser = parts.contains { $0 < 0 }
        switch (stricter, looser) {
        case (false, false): return nil
        case (true, false): return .stricter
        case (false, true): return .looser
        case (true, true): return .different
        }
    }

    /// A bound where a higher value is stricter (`nil` = no bound).
    private static func higherIsStricter<T: Comparable>(_ payer: T?, _ standard: T?) -> Int {
        switch (payer, standard) {
        case (nil, nil): 0
        case (_?, nil): 1
        case (nil, _?): -1
        case let (p?, s?): p > s ? 1 : p < s ? -1 : 0
        }
    }

    /// A bound where a lower value is stricter (`nil` = no bound).
    private static func lowerIsStricter<T: Comparable>(_ payer: T?, _ standard: T?) -> Int {
        switch (payer, standard) {
        case (nil, nil): 0
        case (_?, nil): 1
        case (nil, _?): -1
        case let (p?, s?): p < s ? 1 : p > s ? -1 : 0
        }
    }

    /// Requiring more items is stricter.
    private static func requires(_ payer: [String], _ standard: [String]) -> Int {
        let p = Set(payer), s = Set(standard)
        if p == s { return 0 }
        if p.isSuperset(of: s) { return 1 }
        if p.isSubset(of: s) { return -1 }
        return 2
    }

    private static func compare(_ payer: CriterionRule, _ standard: CriterionRule) -> Kind? {
        switch (payer, standard) {
        case let (.age(pMin, pMax), .age(sMin, sMax)):
            return combine([higherIsStricter(pMin, sMin), lowerIsStricter(pMax, sMax)])
        case let (.ecog(pMax, pWithin), .ecog(sMax, sWithin)):
            return combine([lowerIsStricter(pMax, sMax), lowerIsStricter(pWithin, sWithin)])
        case let (.organ(p), .organ(s)):
            guard p.bound == s.bound else { return .different }
            let value = p.bound == .atLeast ? higherIsStricter(p.value, s.value) : lowerIsStricter(p.value, s.value)
            return combine([value, lowerIsStricter(p.withinDays, s.withinDays)])
        case let (.pretest(_, pWithin), .pretest(_, sWithin)):
            return combine([lowerIsStricter(pWithin, sWithin)])
        case (.exclusion, .exclusion):
            return nil
        case let (.priorLines(p), .priorLines(s)):
            let agents = requires(p.requiredAgents, s.requiredAgents), classes = requires(p.requiredClasses, s.requiredClasses)
            if agents == 2 || classes == 2 { return .different }
            return combine([
                higherIsStricter(p.minimum ?? 0, s.minimum ?? 0), agents, classes,
                lowerIsStricter(p.refractoryOrRelapsedWithinMonths, s.refractoryOrRelapsedWithinMonths),
            ])
        case let (.diagnosis(pCodes, pPrefixes), .diagnosis(sCodes, sPrefixes)):
            let payerWithinStandard = covers(sCodes, sPrefixes, pCodes, pPrefixes)
            let standardWithinPayer = covers(pCodes, pPrefixes, sCodes, sPrefixes)
            switch (payerWithinStandard, standardWithinPayer) {
            case (true, true): return nil
            case (true, false): return .stricter
            case (false, true): return .looser
            case (false, false): return .different
            }
        case let (.expression(_, p), .expression(_, s)):
            let squeeze = { (text: String) in text.filter { !$0.isWhitespace } }
            return squeeze(p.source) == squeeze(s.source) ? nil : .different
        default:
            return .different
        }
    }

    /// Whether every diagnosis the inner list accepts is accepted by the outer one.
    private static func covers(_ outerCodes: [String], _ outerPrefixes: [String], _ innerCodes: [String], _ innerPrefixes: [String]) -> Bool {
        let codes = Set(outerCodes.map(ICD10.normalized)), prefixes = outerPrefixes.map(ICD10.normalized)
        let codesCovered = innerCodes.map(ICD10.normalized).allSatisfy { code in codes.contains(code) || prefixes.contains { code.hasPrefix($0) } }
        let prefixesCovered = innerPrefixes.map(ICD10.normalized).allSatisfy { prefix in prefixes.contains { prefix.hasPrefix($0) } }
        return codesCovered && prefixesCovered
    }
}
