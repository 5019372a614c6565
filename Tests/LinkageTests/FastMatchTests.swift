import Core
import Foundation
import Testing

@testable import Linkage

/// The fast matching path (packed CLKs, integer blocks, tasks) against plain definitions and
/// against anonlink's own answers.
@Suite("Fast matching path")
struct FastMatchTests {
    /// The population tests' 500 + 500 people, encoded with the registry schema, blocked with the
    /// registry's keys.
    static func encoded() throws -> (population: SyntheticPopulation, left: [BitArray], right: [BitArray], leftKeys: [[String]], rightKeys: [[String]]) {
        let population = try PopulationMeasure.make()
        let encoder = BloomEncoder(schema: try LinkageSchema(json: Data(RegistrySchema.json.utf8)), secret: LinkageKey(utf8: "fast path"))
        func encode(_ records: [IdentifierRecord]) throws -> ([BitArray], [[String]]) {
            let rows = records.map(RegistrySchema.row)
            return (try rows.map { try encoder.encode($0) }, rows.map(RegistryBlocking.keys))
        }
        let (left, leftKeys) = try encode(population.b)
        let (right, rightKeys) = try encode(population.a)
        return (population, left, right, leftKeys, rightKeys)
    }

    /// The definition, with none of the machinery: every pair sharing a key, `Dice.similarity`,
    /// sorted by score then indices, linked when both records are free.
    static func naive(left: [BitArray], right: [BitArray], leftKeys: [[String]], rightKeys: [[String]], threshold: Double) -> (candidates: Set<MatchPair>, pairs: [MatchPair], comparisons: Int) {
        var candidates = Set<MatchPair>()
        var comparisons = 0
        for i in left.indices {
            for j in right.indices {
                let shared = Set(leftKeys[i]).intersection(rightKeys[j]).count
                guard shared > 0 else { continue }
                comparisons += shared
                let s = Dice.similarity(left[i], right[j])
                if s >= threshold { candidates.insert(MatchPair(left: i, right: j, score: s)) }
            }
        }
        let ordered = candidates.sorted { ($0.score, -$0.left, -$0.right) > ($1.score, -$1.left, -$1.right) }
        var usedLeft = Set<Int>(), usedRight = Set<Int>()
        var pairs: [MatchPair] = []
        for p in ordered where !usedLeft.contains(p.left) && !usedRight.contains(p.right) {
            usedLeft.insert(p.left)
            usedRight.insert(p.right)
            pairs.append(p)
        }
        return (candidates, pairs, comparisons)
    }

    static func blockingKeys(_ keys: [[String]]) -> BlockingKeys {
        var out = BlockingKeys()
        for k in keys { out.append(text: k) }
        return out
    }

    @Test("packed, blocked, parallel matching finds exactly the naive all-pairs reference's candidates and pairs")
    func sameAsNaive() async throws {
        let (_, left, right, leftKeys, rightKeys) = try Self.encoded()
        for threshold in [0.8, 0.6] {
            let reference = Self.naive(left: left, right: right, leftKeys: leftKeys, rightKeys: rightKeys, threshold: threshold)
            #expect(reference.pairs.count > 300)
            let packedLeft = try PackedCLKs(left, bitCount: 1024), packedRight = try PackedCLKs(right, bitCount: 1024)
            let blocks = try BlockIndex(left: Self.blockingKeys(leftKeys), right: Self.blockingKeys(rightKeys))
            #expect(blocks.comparisons == reference.comparisons)
            for tasks in [1, 3] {
                let candidates = try await ParallelMatcher.compare(left: packedLeft, right: packedRight, blocks: blocks, threshold: threshold, tasks: tasks)
                #expect(Set(candidates.items.map { MatchPair(left: Int($0.left), right: Int($0.right), score: $0.score) }) == reference.candidates)
                let result = candidates.solved()
                #expect(result.pairs == reference.pairs, "threshold \(threshold), \(tasks) tasks")
                #expect(result.comparisons == reference.comparisons)
            }
            // The string-keyed entry point runs the same path.
            let viaMatcher = try Matcher.match(
                left: zip(left, leftKeys).map { MatchCandidate(clk: $0, blockingKeys: $1) },
                right: zip(right, rightKeys).map { MatchCandidate(clk: $0, blockingKeys: $1) }, threshold: threshold)
            #expect(viaMatcher.pairs == reference.pairs)
        }
    }

    @Test("one shared key for everyone is the full cross product, and still the naive answer")
    func noBlocking() async throws {
        let (_, left, right, _, _) = try Self.encoded()
        let l = Array(left.prefix(120)), r = Array(right.prefix(150))
        let everyone = { (n: Int) in [[String]](repeating: ["all"], count: n) }
        let reference = Self.naive(left: l, right: r, leftKeys: everyone(l.count), rightKeys: everyone(r.count), threshold: 0.7)
        let result = try await ParallelMatcher.match(
            left: try PackedCLKs(l, bitCount: 1024), right: try PackedCLKs(r, bitCount: 1024),
            blocks: try BlockIndex(left: Self.blockingKeys(everyone(l.count)), right: Self.blockingKeys(everyone(r.count))), threshold: 0.7, tasks: 2)
        #expect(result.comparisons == 120 * 150)
        #expect(result.pairs == reference.pairs)
    }

    @Test("the registry's blocking keys keep nearly every true pair while cutting the cross product")
    func blockingFindsMatches() throws {
        let population = try SyntheticPopulation(seed: 11, sourceA: 3_000, shared: 2_000, onlyInB: 1_000, vocabulary: .large)
        let leftKeys = population.b.map { RegistryBlocking.keys(RegistrySchema.row($0)) }
        let rightKeys = population.a.map { RegistryBlocking.keys(RegistrySchema.row($0)) }
        let blocks = try BlockIndex(left: Self.blockingKeys(leftKeys), right: Self.blockingKeys(rightKeys))
        var together = 0
        for (b, a) in population.truth.enumerated() {
            guard let a else { continue }
            if !Set(leftKeys[b]).isDisjoint(with: rightKeys[a]) { together += 1 }
        }
        let recall = Double(together) / Double(population.sharedCount)
        print("blocking: \(together) of \(population.sharedCount) true pairs share a block; \(blocks.comparisons) comparisons of \(3_000 * 3_000)")
        #expect(recall >= 0.97)
        #expect(blocks.comparisons < 3_000 * 3_000 / 50)
        // Each member list is ascending: anonlink's tie-breaking assumes record order within a block.
        for b in 0..<blocks.blockCount {
            let members = blocks.leftMembers[blocks.leftStarts[b]..<blocks.leftStarts[b + 1]]
            #expect(zip(members, members.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    @Test("greedy solve: best score first, ties by left then right index, each record once")
    func greedyTies() throws {
        // Three pairs at one score compete for records 0: ascending (left, right) takes (0, 0) and
        // nothing else among them; any other order would link two pairs.
        let tied = [
            MatchPair(left: 1, right: 0, score: 0.9), MatchPair(left: 0, right: 1, score: 0.9), MatchPair(left: 0, right: 0, score: 0.9),
            MatchPair(left: 1, right: 1, score: 0.85), MatchPair(left: 0, right: 0, score: 0.9),  // a repeat, as from a second block
        ]
        #expect(try GreedySolver.solve(tied) == [MatchPair(left: 0, right: 0, score: 0.9), MatchPair(left: 1, right: 1, score: 0.85)])
        // 2·3/(4+8) and 2·4/(8+8) are the same double: a tie, decided by index, not by the fraction.
        let a = DiceKernel.score(intersection: 3, 4, 8), b = DiceKernel.score(intersection: 4, 8, 8)
        #expect(a == b)
        #expect(try GreedySolver.solve([MatchPair(left: 2, right: 0, score: a), MatchPair(left: 1, right: 0, score: b)]).map(\.left) == [1])
        #expect(throws: ValidationError.self) { try GreedySolver.solve([MatchPair(left: -1, right: 0, score: 0.9)]) }
    }

    @Test("the popcount bound is anonlink's: it skips only pairs that cannot reach the threshold")
    func popcountBound() {
        // At 0.8 the bound is a/2 exactly (1/0.8 − 1 = 0.25).
        #expect(DiceKernel.maxPopcountDifference(100, threshold: 0.8) == 50)
        #expect(DiceKernel.maxPopcountDifference(101, threshold: 0.8) == 50)
        #expect(DiceKernel.maxPopcountDifference(7, threshold: 1) == 0)
        // The best a pair differing by more can score is below the threshold.
        for a: UInt32 in [10, 101, 260] {
            let d = DiceKernel.maxPopcountDifference(a, threshold: 0.8)
            #expect(DiceKernel.score(intersection: Int(a), a, a + d + 1) < 0.8)
            #expect(DiceKernel.score(intersection: Int(a), a, a + d) >= 0.8)
        }
    }

    @Test("the integer threshold test keeps exactly the pairs whose double score reaches the threshold")
    func minimumIntersections() {
        for threshold in [0.8, 0.6, 0.75, 1.0 / 3, 0.9999, 1] {
            let bounds = DiceKernel.minimumIntersections(threshold: threshold, maxSum: 2 * 1024)
            for sum in 1...(2 * 1024) {
                for inter in 0...(sum / 2) {
                    let kept = DiceKernel.score(intersection: inter, UInt32(sum / 2), UInt32(sum - sum / 2)) >= threshold
                    if (inter >= bounds[sum]) != kept {
                        Issue.record("threshold \(threshold), |A|+|B| = \(sum), |A∩B| = \(inter): bound \(bounds[sum])")
                        return
                    }
                }
            }
        }
    }

    @Test("precomputed HMAC-SHA1 and HMAC-MD5 equal Python's hmac module for short, long and block-sized keys and messages")
    func hmac() {
        func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
        func check(_ key: [UInt8], _ message: [UInt8], sha1: String, md5: String) {
            let s = message.withUnsafeBytes { m in PrecomputedHMAC<SHA1Hash>(key: key).authenticate(m) { hex($0) } }
            let m = message.withUnsafeBytes { m in PrecomputedHMAC<MD5Hash>(key: key).authenticate(m) { hex($0) } }
            #expect(s == sha1, "SHA-1, key \(key.count) bytes, message \(message.count) bytes")
            #expect(m == md5, "MD5, key \(key.count) bytes, message \(message.count) bytes")
        }
        // Vectors from Python's hmac module (RFC 2202's cases, and messages around the 55/56/64-byte padding edges).
        check(Array(repeating: 0x0b, count: 20), Array("Hi There".utf8), sha1: "b617318655057264e28bc0b6fb378c8ef146be00", md5: "5ccec34ea9656392457fa1ac27f08fbc")
        check(Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), sha1: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", md5: "750c783e6ab0b503eaa86e310a5db738")
        check(Array(repeating: 0xaa, count: 20), Array(repeating: 0xdd, count: 50), sha1: "125d7342b9ac11cd91a39af48aa17b4f63f175d3", md5: "2ab8b9a9f7d3894d15ad8383b97044b2")
        check(Array(repeating: 0xaa, count: 80), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
              sha1: "aa4ae5e15272d00e95705637ce8a3b55ed402112", md5: "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd")
        check(Array(repeating: 0xaa, count: 80), Array("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".utf8),
              sha1: "e8e99d0f45237d786d6bbaa7965c7808bbff1a91", md5: "6f630fad67cda0ee1fb1f562db3aa53e")
        let key = (0..<64).map { UInt8(($0 * 31 + 7) % 256) }
        let expected: [Int: (String, String)] = [
            0: ("3ac7447b9c470033e1408151143ef4b9530a5534", "1dd67a8fd3a9908cf824243af6198624"),
            55: ("3a2e6aa7ccc8631d2eaf123f7f1d4c51c0892559", "d2c979ce94ff1e2123c733319d8f99ed"),
            56: ("ba1d70cb9bce59b85053275a2c8aaf07046ab3d8", "16b5a58d6bbe327e85a42424ca1329ca"),
            63: ("a4025721ea16a6e5bee8a741ab1d2c1108c80d15", "2164387f1fda0366c0a5c3832f2e56ec"),
            64: ("e9a06b154f350a034b309eb992bfb6f220db6ee9", "7d1ccf0b977a3d368178fab48ac7a0bf"),
            119: ("a00f36124d2a2033975d13ad5381f8612d81979b", "e18645313a45144072596d0be2ecdacf"),
            120: ("1f1c96ca6043eaabf54a48c4f63a1b5eabddd4f9", "244b5a17ee2ea375df8ac7565a80c0aa"),
        ]
        for (length, (sha1, md5)) in expected {
            check(key, (0..<length).map { UInt8(($0 * 13) % 256) }, sha1: sha1, md5: md5)
        }
    }

    @Test("packed CLKs round-trip clkhash's bytes and keep popcounts")
    func packing() throws {
        var clk = BitArray(count: 1024)
        for i in [0, 7, 63, 64, 500, 1023] { clk[i] = true }
        let packed = try PackedCLKs([clk, BitArray(count: 1024)], bitCount: 1024)
        #expect(packed.popcounts == [6, 0])
        #expect(packed[0] == clk)
        #expect(Array(packed.clkhashBytes.prefix(128)) == clk.bytes)
        #expect(try PackedCLKs(clkhashBytes: packed.clkhashBytes, bitCount: 1024).words == packed.words)
        #expect(throws: ValidationError.self) { try PackedCLKs([BitArray(count: 512)], bitCount: 1024) }
        // Matcher names the record whose CLK has the wrong length, as before the fast path.
        let short = MatchCandidate(clk: BitArray(count: 512), blockingKeys: ["k"]), full = MatchCandidate(clk: clk, blockingKeys: ["k"])
        #expect(throws: ValidationError(field: "right[1].clk", problem: "has 512 bits, expected 1024")) {
            try Matcher.match(left: [full], right: [full, short], threshold: 0.8)
        }
        #expect(throws: ValidationError.self) { try PackedCLKs(clkhashBytes: [1, 2, 3], bitCount: 1024) }
    }
}

/// anonlink 0.15.3's own answers (scripts/linkage/generate_match_golden.py): the Swift path must
/// find the same candidates, in the same order, and link the same pairs.
@Suite("Golden matches from anonlink")
struct AnonlinkGoldenTests {
    @Test("candidates, their order and the greedy matches equal anonlink's on inputs full of ties")
    func goldenMatches() async throws {
        let url = try #require(Bundle.module.url(forResource: "anonlink-match", withExtension: "json", subdirectory: "Golden"))
        let golden = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try #require(golden["cases"] as? [[String: Any]])
        #expect(cases.count == 3)
        for c in cases {
            let name = try #require(c["name"] as? String)
            let bits = try #require(c["bits"] as? Int)
            let threshold = try #require(c["threshold"] as? Double)
            func clks(_ key: String) throws -> PackedCLKs {
                try PackedCLKs(try #require(c[key] as? [String]).map { try BitArray(base64: $0) }, bitCount: bits)
            }
            func keys(_ key: String) throws -> BlockingKeys {
                var out = BlockingKeys()
                for k in try #require(c[key] as? [[Int]]) { out.append(k.map(UInt64.init)) }
                return out
            }
            let expectedCandidates = try #require(c["candidates"] as? [[Any]]).map { row in
                MatchPair(left: row[1] as? Int ?? -1, right: row[2] as? Int ?? -1, score: Double(row[0] as? String ?? "") ?? .nan)
            }
            let expectedPairs = try #require(c["pairs"] as? [[Int]]).map { [$0[0], $0[1]] }
            let blocks = try BlockIndex(left: keys("leftKeys"), right: keys("rightKeys"))
            #expect(blocks.comparisons == c["comparisons"] as? Int, "\(name)")

            let found = try await ParallelMatcher.compare(left: clks("left"), right: clks("right"), blocks: blocks, threshold: threshold, tasks: 2)
            var items = found.items
            items.sort()
            var unique: [MatchPair] = []
            for item in items where unique.last.map({ $0.left != Int(item.left) || $0.right != Int(item.right) }) ?? true {
                unique.append(MatchPair(left: Int(item.left), right: Int(item.right), score: item.score))
            }
            #expect(unique == expectedCandidates, "\(name): candidates in anonlink's order")

            let linked = found.solved().pairs.map { [$0.left, $0.right] }.sorted { $0.lexicographicallyPrecedes($1) }
            #expect(linked == expectedPairs, "\(name): greedy matches")
            // The solver alone, fed anonlink's candidate list.
            let solved = try GreedySolver.solve(expectedCandidates).map { [$0.left, $0.right] }.sorted { $0.lexicographicallyPrecedes($1) }
            #expect(solved == expectedPairs, "\(name): solver on anonlink's candidates")
        }
    }
}
