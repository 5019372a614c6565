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
}

public struct MatchResult: Sendable {
    public var pairs: [MatchPair]
    /// Distinct pairs whose Dice was computed: the cost blocking exists to cut.
    public var comparisons: Int
}

/// Blocking, thresholding and greedy one-to-one assignment.
///
/// Greedy best-first (the solver anonlink uses by default) rather than optimal assignment: at a
/// threshold well above the non-match scores the two agree, and greedy is linear after sorting.
public enum Matcher {
    public static func match(left: [MatchCandidate], right: [MatchCandidate], threshold: Double) throws(ValidationError) -> MatchResult {
        guard threshold > 0, threshold <= 1 else {
            throw ValidationError(field: "threshold", problem: "must be in (0, 1], got \(threshold)")
        }
        if let l = left.first?.clk.count {
            for (i, c) in left.enumerated() where c.clk.count != l {
                throw ValidationError(field: "left[\(i)].clk", problem: "has \(c.clk.count) bits, expected \(l)")
            }
            for (i, c) in right.enumerated() where c.clk.count != l {
                throw ValidationError(field: "right[\(i)].clk", problem: "has \(c.clk.count) bits, expected \(l)")
            }
        }
        var index: [String: [Int]] = [:]
        for (j, c) in right.enumerated() {
            for key in Set(c.blockingKeys) { index[key, default: []].append(j) }
        }
        var candidates: [MatchPair] = []
        var comparisons = 0
        var seen = Set<Int>()
        for (i, c) in left.enumerated() {
            seen.removeAll(keepingCapacity: true)
            for key in Set(c.blockingKeys) {
                for j in index[key] ?? [] where seen.insert(j).inserted {
                    comparisons += 1
                    let s = Dice.similarity(c.clk, right[j].clk)
                    if s >= threshold { candidates.append(MatchPair(left: i, right: j, score: s)) }
                }
            }
        }
        // Ties broken by index so the result does not depend on hash-table order.
        candidates.sort { ($0.score, -$0.left, -$0.right) > ($1.score, -$1.left, -$1.right) }
        var usedLeft = Set<Int>(), usedRight = Set<Int>()
        var pairs: [MatchPair] = []
        for p in candidates where !usedLeft.contains(p.left) && !usedRight.contains(p.right) {
            usedLeft.insert(p.left)
            usedRight.insert(p.right)
            pairs.append(p)
        }
        return MatchResult(pairs: pairs, comparisons: comparisons)
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
