import Core

/// Many CLKs of one length in one contiguous buffer of UInt64 words, with each one's popcount
/// computed once.
///
/// Matching a million records against a million is tens or hundreds of millions of Dice
/// coefficients; each must be a few loads, ANDs and popcounts over memory that is already in
/// cache, not an array per CLK behind a reference count. Dice needs |A| and |B| for every pair,
/// so they are counted here, once per record, as anonlink does before comparing.
public struct PackedCLKs: Sendable {
    /// Bits per CLK (the schema's `l`).
    public let bitCount: Int
    /// UInt64 words per CLK: record `r` is `words[r * wordsPerCLK ..< (r + 1) * wordsPerCLK]`.
    public let wordsPerCLK: Int
    public private(set) var words: [UInt64]
    public private(set) var popcounts: [UInt32]

    public var count: Int { popcounts.count }

    /// An empty collection of CLKs of `bitCount` bits; the last word of each is padded with zeros,
    /// which no intersection or popcount sees.
    public init(bitCount: Int) throws(ValidationError) {
        guard bitCount > 0 else {
            throw ValidationError(field: "bitCount", problem: "must be positive, got \(bitCount)")
        }
        self.bitCount = bitCount
        wordsPerCLK = (bitCount + 63) / 64
        words = []
        popcounts = []
    }

    /// The CLKs in order; all must have `bitCount` bits (`field[i]` names the first that has not).
    public init(_ clks: [BitArray], bitCount: Int, field: String = "clks") throws(ValidationError) {
        try self.init(bitCount: bitCount)
        reserveCapacity(clks.count)
        for (i, clk) in clks.enumerated() { try append(clk, field: "\(field)[\(i)]") }
    }

    public mutating func reserveCapacity(_ records: Int) {
        words.reserveCapacity(records * wordsPerCLK)
        popcounts.reserveCapacity(records)
    }

    public mutating func append(_ clk: BitArray, field: String = "clk") throws(ValidationError) {
        guard clk.count == bitCount else {
            throw ValidationError(field: field, problem: "has \(clk.count) bits, expected \(bitCount)")
        }
        words.append(contentsOf: clk.words)
        popcounts.append(UInt32(clk.popcount))
    }

    /// Appends another collection's CLKs after these (chunks encoded in parallel, joined in order).
    public mutating func append(contentsOf other: PackedCLKs, field: String = "clks") throws(ValidationError) {
        guard other.bitCount == bitCount else {
            throw ValidationError(field: field, problem: "has \(other.bitCount)-bit CLKs, expected \(bitCount)")
        }
        words.append(contentsOf: other.words)
        popcounts.append(contentsOf: other.popcounts)
    }

    public subscript(record: Int) -> BitArray {
        BitArray(words: Array(words[(record * wordsPerCLK)..<((record + 1) * wordsPerCLK)]), count: bitCount)
    }

    /// Bytes per CLK as clkhash serializes it.
    public var bytesPerCLK: Int { (bitCount + 7) / 8 }

    /// Every CLK as clkhash serializes it (`bitarray.tobytes()`), one after another: the form a
    /// Python peer reads with `bitarray.frombytes`. Bit 0 is the top bit of word 0, so each word is
    /// written most significant byte first.
    public var clkhashBytes: [UInt8] {
        let perCLK = bytesPerCLK
        var bytes = [UInt8](repeating: 0, count: count * perCLK)
        for r in 0..<count {
            for b in 0..<perCLK {
                bytes[r * perCLK + b] = UInt8(truncatingIfNeeded: words[r * wordsPerCLK + b / 8] >> UInt64(56 - 8 * (b % 8)))
            }
        }
        return bytes
    }

    /// Reads what ``clkhashBytes`` wrote: `bytes.count` must be a whole number of `bitCount`-bit CLKs.
    public init(clkhashBytes bytes: [UInt8], bitCount: Int, field: String = "clks") throws(ValidationError) {
        try self.init(bitCount: bitCount)
        let perCLK = bytesPerCLK
        guard bitCount % 8 == 0, bytes.count % perCLK == 0 else {
            throw ValidationError(field: field, problem: "has \(bytes.count) bytes, not a whole number of \(bitCount)-bit CLKs")
        }
        let records = bytes.count / perCLK
        words = [UInt64](repeating: 0, count: records * wordsPerCLK)
        popcounts = [UInt32](repeating: 0, count: records)
        for r in 0..<records {
            var total = 0
            for k in 0..<wordsPerCLK {
                var w: UInt64 = 0
                for b in 0..<8 {
                    let index = k * 8 + b
                    w = w << 8 | UInt64(index < perCLK ? bytes[r * perCLK + index] : 0)
                }
                words[r * wordsPerCLK + k] = w
                total += w.nonzeroBitCount
            }
            popcounts[r] = UInt32(total)
        }
    }
}
