import Core

/// Which left records meet which right records: for every blocking key both sources use, the
/// left members and the right members, as record indices in ascending order.
///
/// Comparison is block by block, every left member against every right member, as anonlink's
/// `find_candidate_pairs` does with a blocking function. Members are stored contiguously (a counting
/// sort, not a dictionary of arrays), so a block is two slices of record indices that
/// ``ParallelMatcher`` reads in order. A key only one source uses is dropped: it compares nothing.
public struct BlockIndex: Sendable {
    /// Block `b`'s left members are `leftMembers[leftStarts[b] ..< leftStarts[b + 1]]`.
    public private(set) var leftStarts: [Int]
    public private(set) var leftMembers: [UInt32]
    public private(set) var rightStarts: [Int]
    public private(set) var rightMembers: [UInt32]

    public var blockCount: Int { leftStarts.count - 1 }

    /// Dice comparisons matching over this index makes: Σ over blocks of |left members| × |right
    /// members|. A pair sharing two keys is compared in both blocks, as anonlink compares it, so the
    /// count means the same on both sides of `curepath bench link`.
    public let comparisons: Int

    /// Comparisons block `b` takes.
    public func cost(of b: Int) -> Int {
        (leftStarts[b + 1] - leftStarts[b]) * (rightStarts[b + 1] - rightStarts[b])
    }

    /// Record indices must fit in UInt32 (4 billion records a side), which halves the index's memory.
    public init(left: BlockingKeys, right: BlockingKeys) throws(ValidationError) {
        guard left.count <= Int(UInt32.max), right.count <= Int(UInt32.max) else {
            throw ValidationError(field: "records", problem: "at most \(UInt32.max) records a side can be indexed")
        }
        guard left.keys.count < Int(Int32.max) else {
            throw ValidationError(field: "left.keys", problem: "at most \(Int32.max - 1) blocking keys can be indexed")
        }
        // Dense ids for the left keys, in order of first use, so the layout does not depend on hashing.
        var ids = KeyTable(capacity: left.keys.count)
        let leftIDs = left.keys.map { ids.id(of: $0) }
        let rightIDs = right.keys.map { ids.existingID(of: $0) }
        var leftCounts = [Int](repeating: 0, count: ids.count)
        var rightCounts = [Int](repeating: 0, count: ids.count)
        for id in leftIDs { leftCounts[Int(id)] += 1 }
        for id in rightIDs where id >= 0 { rightCounts[Int(id)] += 1 }
        // Keep the keys both sides use, renumbered densely in the same order.
        var dense = [Int32](repeating: -1, count: ids.count)
        var kept = 0
        for id in 0..<ids.count where leftCounts[id] > 0 && rightCounts[id] > 0 {
            dense[id] = Int32(kept)
            kept += 1
        }
        leftStarts = [Int](repeating: 0, count: kept + 1)
        rightStarts = [Int](repeating: 0, count: kept + 1)
        for id in 0..<ids.count where dense[id] >= 0 {
            leftStarts[Int(dense[id]) + 1] = leftCounts[id]
            rightStarts[Int(dense[id]) + 1] = rightCounts[id]
        }
        for b in 0..<kept {
            leftStarts[b + 1] += leftStarts[b]
            rightStarts[b + 1] += rightStarts[b]
        }
        leftMembers = Self.members(keys: left, ids: leftIDs, dense: dense, starts: leftStarts)
        rightMembers = Self.members(keys: right, ids: rightIDs, dense: dense, starts: rightStarts)
        var comparisons = 0
        for b in 0..<kept { comparisons += (leftStarts[b + 1] - leftStarts[b]) * (rightStarts[b + 1] - rightStarts[b]) }
        self.comparisons = comparisons
    }

    /// Scatters record indices into their blocks; records are visited in order, so each block's
    /// members come out ascending, which anonlink's tie-breaking relies on.
    private static func members(keys: BlockingKeys, ids: [Int32], dense: [Int32], starts: [Int]) -> [UInt32] {
        var next = Array(starts.dropLast())
        var members = [UInt32](repeating: 0, count: starts.last ?? 0)
        for r in 0..<keys.count {
            for k in keys.starts[r]..<keys.starts[r + 1] {
                let id = ids[k]
                guard id >= 0 else { continue }
                let b = Int(dense[Int(id)])
                guard b >= 0 else { continue }
                members[next[b]] = UInt32(r)
                next[b] += 1
            }
        }
        return members
    }

    /// Blocking key → dense id, open addressing with linear probing: the index is built from a few
    /// million keys, where a `Dictionary` spends most of the build hashing and resizing.
    private struct KeyTable {
        private var keys: [UInt64]
        private var ids: [Int32]
        private let shift: UInt64
        private(set) var count = 0

        /// Room for `capacity` distinct keys at most half full.
        init(capacity: Int) {
            var bits = 4
            while 1 << bits < 2 * max(1, capacity) { bits += 1 }
            keys = [UInt64](repeating: 0, count: 1 << bits)
            ids = [Int32](repeating: -1, count: 1 << bits)
            shift = UInt64(64 - bits)
        }

        // Fibonacci hashing: the top bits of the product spread clustered keys over the table.
        private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

        /// The key's id, a new one (the next integer) if it has none.
        mutating func id(of key: UInt64) -> Int32 {
            var i = slot(key)
            while ids[i] >= 0 {
                if keys[i] == key { return ids[i] }
                i = (i + 1) & (ids.count - 1)
            }
            keys[i] = key
            ids[i] = Int32(count)
            count += 1
            return ids[i]
        }

        /// The key's id, or -1 when it has none.
        func existingID(of key: UInt64) -> Int32 {
            var i = slot(key)
            while ids[i] >= 0 {
                if keys[i] == key { return ids[i] }
                i = (i + 1) & (ids.count - 1)
            }
            return -1
        }
    }
}
