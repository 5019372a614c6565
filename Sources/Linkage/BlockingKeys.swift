import Core

/// The blocking keys of every record of one source, as integers in one flat buffer.
///
/// A million records with three keys each as a million small arrays of strings costs more to
/// index than to compare; as integers in one buffer the index is a counting sort. Integers are
/// also what a peer in another language can read back unchanged, so both sides of a benchmark
/// block on exactly the same keys.
public struct BlockingKeys: Sendable, Equatable {
    /// Record `r`'s keys are `keys[starts[r] ..< starts[r + 1]]`.
    public private(set) var keys: [UInt64]
    public private(set) var starts: [Int]

    public init() {
        keys = []
        starts = [0]
    }

    /// From a flat buffer and record boundaries as ``keys`` and ``starts`` hold them (read back from a file).
    public init(keys: [UInt64], starts: [Int], field: String = "blockingKeys") throws(ValidationError) {
        guard starts.first == 0, starts.last == keys.count else {
            throw ValidationError(field: "\(field).starts", problem: "must begin at 0 and end at the number of keys (\(keys.count))")
        }
        for i in 1..<starts.count where starts[i] < starts[i - 1] {
            throw ValidationError(field: "\(field).starts[\(i)]", problem: "is smaller than the record before it")
        }
        self.keys = keys
        self.starts = starts
    }

    public var count: Int { starts.count - 1 }

    public subscript(record: Int) -> ArraySlice<UInt64> { keys[starts[record]..<starts[record + 1]] }

    /// Adds the next record's keys; a key listed twice counts once (a record is in a block or not).
    public mutating func append(_ recordKeys: some Sequence<UInt64>) {
        let start = keys.count
        for key in recordKeys where !keys[start...].contains(key) { keys.append(key) }
        starts.append(keys.count)
    }

    /// Adds the next record's keys given as text, each hashed with ``hash(_:)``.
    public mutating func append(text recordKeys: [String]) {
        append(recordKeys.map(Self.hash))
    }

    public mutating func append(contentsOf other: BlockingKeys) {
        let offset = keys.count
        keys.append(contentsOf: other.keys)
        starts.append(contentsOf: other.starts.dropFirst().map { $0 + offset })
    }

    /// 64-bit FNV-1a of the key's UTF-8: stable across runs, processes and languages (Swift's
    /// `Hasher` is seeded per process), and with a few million distinct keys a collision, which
    /// would only merge two blocks, is vanishingly unlikely.
    public static func hash(_ key: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01b3
        }
        return h
    }
}
