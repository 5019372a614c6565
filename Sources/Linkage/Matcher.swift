import Core

/// One record offered for matching: its CLK and the blocking keys that decide what it is compared with.
public struct MatchCandidate: Sendable {
    public var clk: BitArray
    /// Records are compared only when they share at least one key. Several keys per record (say birth
    /// year, and the first letters of the family name) let a typo in one field still meet its match.
    public var blockingKeys: [String]
    public init(clk: BitArray, blockingKeys: [String]) {
        self.clk = clk
        self.blockingKeys = blockingKeys
    }
}

/// A linked pair: indices into the left and right inputs, and their Dice score.
public struct MatchPair: Sendable, Hashable {
    public var left: Int
    public var right: Int
    public var score: Double

    public init(left: Int, right: Int, score: Double) {
        self.left = left
        self.right = right
        self.score = score
    }
}

/// What matching produced, and what it cost.
public struct MatchResult: Sendable {
    public var pairs: [MatchPair]
    /// Dice coefficients computed: one per left record per right record per block they share, the
    /// cost blocking exists to cut. A pair sharing two keys counts twice, as anonlink counts it
    /// (``BlockIndex/comparisons``).
    public var comparisons: Int
    /// Distinct pairs whose Dice reached the threshold, before the one-to-one solve.
    public var candidates: Int = 0
}

/// Blocking, thresholding and greedy one-to-one assignment.
///
/// Greedy best-first (the solver anonlink uses by default) rather than optimal assignment: at a
/// threshold well above the non-match scores the two agree, and greedy is linear after sorting.
/// Records are packed and blocked as ``ParallelMatcher`` does (on this thread), so this small-batch
/// entry point and the million-record benchmark share one implementation.
public enum Matcher {
    public static func match(left: [MatchCandidate], right: [MatchCandidate], threshold: Double) throws(ValidationError) -> MatchResult {
        guard threshold > 0, threshold <= 1 else {
            throw ValidationError(field: "threshold", problem: "must be in (0, 1], got \(threshold)")
        }
        guard let bits = left.first?.clk.count ?? right.first?.clk.count else { return MatchResult(pairs: [], comparisons: 0) }
        func pack(_ side: [MatchCandidate], _ name: String) throws(ValidationError) -> PackedCLKs {
            var packed = try PackedCLKs(bitCount: bits)
            packed.reserveCapacity(side.count)
            for (i, c) in side.enumerated() { try packed.append(c.clk, field: "\(name)[\(i)].clk") }
            return packed
        }
        let packedLeft = try pack(left, "left"), packedRight = try pack(right, "right")
        // Keys interned to dense integers rather than hashed: exact, whatever the strings are.
        var ids: [String: UInt64] = [:]
        func keys(_ side: [MatchCandidate]) -> BlockingKeys {
            var keys = BlockingKeys()
            for c in side {
                keys.append(c.blockingKeys.map { key in
                    if let id = ids[key] { return id }
                    let id = UInt64(ids.count)
                    ids[key] = id
                    return id
                })
            }
            return keys
        }
        let blocks = try BlockIndex(left: keys(left), right: keys(right))
        return try ParallelMatcher.matchSerially(left: packedLeft, right: packedRight, blocks: blocks, threshold: threshold)
    }
}

/// The CurePath CLK schema for identifiers: what the registry asks partners to encode.
///
/// Bigrams of given name (nickname-canonical), family name, postal code; positional unigrams of the
/// birth date so a swapped day and month still shares the year's digits; sex as a small exact feature.
public enum RegistrySchema {
    public static let json = """
        {"version": 3,
         "clkConfig": {"l": 1024, "kdf": {"type": "HKDF", "hash": "SHA256",
           "salt": "Q3VyZVBhdGggcmVnaXN0cnkgQ0xLIHNhbHQ=", "info": "Y3VyZXBhdGgtY2xr", "keySize": 64}},
         "features": [
          {"identifier": "givenName", "format": {"type": "string", "encoding": "utf-8"},
           "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 20}, "hash": {"type": "doubleHash"}}},
          {"identifier": "familyName", "format": {"type": "string", "encoding": "utf-8"},
           "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 20}, "hash": {"type": "doubleHash"}}},
          {"identifier": "birthDate", "format": {"type": "string", "encoding": "utf-8"},
           "hashing": {"comparison": {"type": "ngram", "n": 1, "positional": true}, "strategy": {"bitsPerToken": 15}, "hash": {"type": "doubleHash"}}},
          {"identifier": "sex", "format": {"type": "string", "encoding": "utf-8"},
           "hashing": {"comparison": {"type": "exact"}, "strategy": {"bitsPerFeature": 20}, "hash": {"type": "doubleHash"}}},
          {"identifier": "postalCode", "format": {"type": "string", "encoding": "utf-8"},
           "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 10}, "hash": {"type": "doubleHash"}}}
         ]}
        """

    /// The row the registry schema expects, from a record: normalized, missing fields empty (they set no bits).
    public static func row(_ record: IdentifierRecord) -> [String] {
        let n = NormalizedIdentifiers(record)
        return [
            Normalization.canonicalGivenName(record.givenName) ?? "",
            n.familyName?.uppercased() ?? "",
            n.birthDate.map { String($0.description.filter(\.isNumber)) } ?? "",
            n.sex.map { String($0.prefix(1)) } ?? "",
            n.postalCode ?? "",
        ]
    }
}

extension Matcher {
    /// The Dice threshold CurePath links at with ``RegistrySchema``; chosen on the synthetic population
    /// (docs/linkage.md) where precision stays near 1 while typos and swapped dates still link.
    public static let defaultThreshold = 0.8
}
