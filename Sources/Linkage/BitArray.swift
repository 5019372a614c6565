import Core
import Foundation

/// A fixed-length bit array in clkhash's bit order (bit 0 is the most significant bit of byte 0,
/// bitarray's default "big" endianness), stored as UInt64 words so Dice is a few popcounts per word.
public struct BitArray: Sendable, Hashable {
    public private(set) var words: [UInt64]
    public let count: Int

    public init(count: Int) {
        self.count = count
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    /// From words already in this layout (a record of ``PackedCLKs``); `words` must hold `count` bits.
    init(words: [UInt64], count: Int) {
        precondition(words.count == (count + 63) / 64, "word count does not match the bit count")
        self.words = words
        self.count = count
    }

    /// From bytes as clkhash serializes them (`bitarray.tobytes()`).
    public init(bytes: [UInt8]) {
        self.init(count: bytes.count * 8)
        for (i, b) in bytes.enumerated() { words[i >> 3] |= UInt64(b) << UInt64(56 - 8 * (i & 7)) }
    }

    /// From a base64 CLK as clkhash writes it (`serialize_bitarray`).
    public init(base64 text: String, field: String = "clk") throws(ValidationError) {
        guard let data = Data(base64Encoded: text) else {
            throw ValidationError(field: field, problem: "is not valid base64")
        }
        self.init(bytes: Array(data))
    }

    public subscript(i: Int) -> Bool {
        get { words[i >> 6] & (1 << UInt64(63 - (i & 63))) != 0 }
        set {
            let mask: UInt64 = 1 << UInt64(63 - (i & 63))
            if newValue { words[i >> 6] |= mask } else { words[i >> 6] &= ~mask }
        }
    }

    public var bytes: [UInt8] {
        (0..<(count + 7) / 8).map { UInt8(truncatingIfNeeded: words[$0 >> 3] >> UInt64(56 - 8 * ($0 & 7))) }
    }

    public var base64: String { Data(bytes).base64EncodedString() }

    public var popcount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    mutating func formUnion(_ other: BitArray) {
        for i in words.indices { words[i] |= other.words[i] }
    }

    /// clkhash's `fold_xor`: XOR the two halves, `folds` times.
    func folded(_ folds: Int) -> BitArray {
        var current = self
        for _ in 0..<folds {
            let half = current.count / 2
            var next = BitArray(count: half)
            for i in 0..<half where current[i] != current[i + half] { next[i] = true }
            current = next
        }
        return current
    }
}


/// Sørensen–Dice coefficient `2|A∩B| / (|A|+|B|)`, the similarity anonlink and clkhash users threshold on.
public enum Dice {
    /// Two empty filters score 0, as anonlink does, because nothing was compared.
    public static func similarity(_ a: BitArray, _ b: BitArray) -> Double {
        precondition(a.count == b.count, "CLKs of different lengths are not comparable")
        var inter = 0, total = 0
        for i in a.words.indices {
            inter &+= (a.words[i] & b.words[i]).nonzeroBitCount
            total &+= a.words[i].nonzeroBitCount &+ b.words[i].nonzeroBitCount
        }
        return total == 0 ? 0 : 2 * Double(inter) / Double(total)
    }
}
