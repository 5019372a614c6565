import Core

/// Two sources of identifier records about an overlapping set of people, with the truth known:
/// source A, and source B holding some of A's people with the errors real registries see (typos,
/// nicknames, swapped day and month, married names, missing fields, other formats) plus people
/// A does not have.
///
/// Exists so linkage quality (precision and recall) and linkage speed can be measured without
/// real identifiers: the population tests (500 people) and `curepath bench link` (a million a
/// side) draw from the same generator. Deterministic (Core's `SeededGenerator`): each part of the
/// population draws from its own derived stream, so the same seed and sizes give the same records.
public struct SyntheticPopulation: Sendable {
    /// Names people are drawn from.
    public struct Vocabulary: Sendable {
        public var given: [String]
        public var family: [String]
        /// Formal given name → a nickname a source may record instead.
        public var nicknames: [String: String]
        /// Whether earlier names are commoner (a name at rank r of n is drawn with density ∝ 1/√r,
        /// roughly the long tail of real surname frequencies) rather than all equally likely.
        public var skewed: Bool

        public init(given: [String], family: [String], nicknames: [String: String], skewed: Bool) {
            self.given = given
            self.family = family
            self.nicknames = nicknames
            self.skewed = skewed
        }

        func pick(_ names: [String], _ g: inout SeededGenerator) -> String {
            guard skewed else { return SyntheticPopulation.pick(names, &g) }
            let u = SyntheticPopulation.uniform(&g)
            return names[min(names.count - 1, Int(Double(names.count) * u * u))]
        }
    }

    /// Source A.
    public var a: [IdentifierRecord]
    /// Source B, shuffled so a record's position says nothing about its match.
    public var b: [IdentifierRecord]
    /// For each record of B, the index in A of the same person, or `nil` for someone A does not hold.
    public var truth: [Int?]
    /// People in both sources: the matches a perfect linkage finds.
    public var sharedCount: Int

    /// `sourceA` people; B holds the first `shared` of them (with errors) and `onlyInB` others.
    public init(
        seed: UInt64, sourceA: Int, shared: Int, onlyInB: Int, vocabulary: Vocabulary
    ) throws(ValidationError) {
        guard sourceA >= 0 else { throw ValidationError(field: "sourceA", problem: "must not be negative") }
        guard shared >= 0, shared <= sourceA else {
            throw ValidationError(field: "shared", problem: "must be between 0 and sourceA (\(sourceA)), got \(shared)")
        }
        guard onlyInB >= 0 else { throw ValidationError(field: "onlyInB", problem: "must not be negative") }
        guard !vocabulary.given.isEmpty, !vocabulary.family.isEmpty else {
            throw ValidationError(field: "vocabulary", problem: "needs at least one given and one family name")
        }
        let root = SeededGenerator(seed: seed)
        // Streams of the parts are `stride` apart so no two records share one; 10,000 for the
        // documented 500-person population, whose measured quality depends on these exact draws.
        let stride = UInt64(max(10_000, sourceA, onlyInB))
        a = (0..<sourceA).map { i in
            var g = root.derived(UInt64(i))
            return Self.person(vocabulary, &g)
        }
        var unshuffled: [IdentifierRecord] = []
        unshuffled.reserveCapacity(shared + onlyInB)
        for i in 0..<shared {
            var g = root.derived(stride + UInt64(i))
            unshuffled.append(Self.corrupt(a[i], vocabulary, &g))
        }
        for i in 0..<onlyInB {
            var g = root.derived(2 * stride + UInt64(i))
            unshuffled.append(Self.person(vocabulary, &g))
        }
        var g = root.derived(3 * stride)
        var order = Array(unshuffled.indices)
        for i in Swift.stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(g.next() % UInt64(i + 1))) }
        b = order.map { unshuffled[$0] }
        truth = order.map { $0 < shared ? $0 : nil }
        sharedCount = shared
    }

    static func pick<T>(_ a: [T], _ g: inout SeededGenerator) -> T { a[Int(g.next() % UInt64(a.count))] }
    static func uniform(_ g: inout SeededGenerator) -> Double { Double(g.next() >> 11) / Double(1 << 53) }
    static func chance(_ p: Double, _ g: inout SeededGenerator) -> Bool { uniform(&g) < p }

    /// `n` in decimal with leading zeros to `width` digits.
    static func padded(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func person(_ v: Vocabulary, _ g: inout SeededGenerator) -> IdentifierRecord {
        let y = 1940 + Int(g.next() % 70), m = 1 + Int(g.next() % 12), d = 1 + Int(g.next() % 28)
        return IdentifierRecord(
            givenName: v.pick(v.given, &g), familyName: v.pick(v.family, &g),
            birthDate: "\(padded(y, 4))-\(padded(m, 2))-\(padded(d, 2))", sex: chance(0.5, &g) ? "F" : "M",
            postalCode: padded(10000 + Int(g.next() % 89000), 5))
    }

    static func typo(_ s: String, _ g: inout SeededGenerator) -> String {
        var c = Array(s)
        guard c.count > 2 else { return s }
        let i = 1 + Int(g.next() % UInt64(c.count - 1))
        switch g.next() % 3 {
        case 0: c[i] = pick(Array("abcdefghijklmnopqrstuvwxyz"), &g)
        case 1: c.remove(at: i)
        default: c.swapAt(i - 1, i)
        }
        return String(c)
    }

    /// The same person as another source records them. Rates: family-name typo 10 %, given-name
    /// typo 8 %, nickname 8 %, day and month swapped 8 % (where that is still a date), married name
    /// for 15 % of women, sex missing 5 %, postal code missing 10 % or moved 10 %, birth date missing
    /// 3 %, family name upper-cased 30 %, birth date as MM/DD/YYYY 30 %.
    static func corrupt(_ r: IdentifierRecord, _ v: Vocabulary, _ g: inout SeededGenerator) -> IdentifierRecord {
        var r = r
        if chance(0.10, &g), let family = r.familyName { r.familyName = typo(family, &g) }
        if chance(0.08, &g), let given = r.givenName { r.givenName = typo(given, &g) }
        if chance(0.08, &g), let given = r.givenName, let nick = v.nicknames[given] { r.givenName = nick }
        if chance(0.08, &g), let date = r.birthDate {
            let p = date.split(separator: "-")
            if p.count == 3, let day = Int(p[2]), day <= 12 { r.birthDate = "\(p[0])-\(p[2])-\(p[1])" }
        }
        if r.sex == "F", chance(0.15, &g) { r.familyName = v.pick(v.family, &g) }  // married name
        if chance(0.05, &g) { r.sex = nil }
        if chance(0.10, &g) { r.postalCode = nil }
        if chance(0.10, &g) { r.postalCode = padded(10000 + Int(g.next() % 89000), 5) }  // moved
        if chance(0.03, &g) { r.birthDate = nil }
        if chance(0.3, &g), let family = r.familyName { r.familyName = family.uppercased() }
        if chance(0.3, &g), let date = r.birthDate {  // another source, another date format
            let p = date.split(separator: "-")
            if p.count == 3 { r.birthDate = "\(p[1])/\(p[2])/\(p[0])" }
        }
        return r
    }
}
