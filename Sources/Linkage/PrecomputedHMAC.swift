/// HMAC-SHA1 and HMAC-MD5 of short messages with the key's padded blocks hashed once, for
/// clkhash's `doubleHash`.
///
/// Encoding one record inserts about thirty n-grams, each hashed with both HMACs. Through
/// swift-crypto each HMAC re-derives the key's inner and outer pads and allocates hashing
/// contexts, several microseconds an n-gram, so two million records took minutes. HMAC(K, m) =
/// H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) and both pad blocks depend on the key alone: their hash
/// states are computed here once per key, and an n-gram then costs two compressions per hash,
/// with no allocation. Output is checked bit for bit against clkhash by the golden CLK tests
/// (and swift-crypto's HMAC by a unit test).
struct PrecomputedHMAC<H: MerkleDamgardHash>: Sendable {
    private let inner: H.State
    private let outer: H.State

    init(key: [UInt8]) {
        // RFC 2104: a key longer than a block is hashed first; a shorter one is padded with zeros.
        var block = key.count > 64 ? H.digest(of: key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        inner = H.absorbing(block.map { $0 ^ 0x36 })
        outer = H.absorbing(block.map { $0 ^ 0x5c })
    }

    /// The MAC of `message`, passed to `body` as bytes (20 for SHA-1, 16 for MD5) without a heap copy.
    @inline(__always)
    func authenticate<R>(_ message: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var innerDigest = H.finish(inner, absorbed: 64, message)
        return withUnsafeBytes(of: &innerDigest) { innerBytes in
            var digest = H.finish(outer, absorbed: 64, innerBytes)
            return withUnsafeBytes(of: &digest) { body($0) }
        }
    }
}

/// A hash over 64-byte blocks with Merkle–Damgård length padding (SHA-1 and MD5): enough of one to
/// resume from a state after whole blocks and finish a short message.
protocol MerkleDamgardHash: Sendable {
    associatedtype State: Sendable
    /// The digest as a fixed-size value whose bytes in memory are the digest's bytes.
    associatedtype Digest
    static var initial: State { get }
    /// Whether the length and the words are big-endian (SHA-1) or little-endian (MD5).
    static var bigEndian: Bool { get }
    static func compress(_ state: inout State, _ block: UnsafeRawBufferPointer)
    static func digestBytes(_ state: State) -> Digest
}

extension MerkleDamgardHash {
    /// The state after whole 64-byte blocks (`bytes.count` must be a multiple of 64).
    static func absorbing(_ bytes: [UInt8]) -> State {
        var state = initial
        bytes.withUnsafeBytes { raw in
            for offset in stride(from: 0, to: raw.count, by: 64) {
                compress(&state, UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 64)]))
            }
        }
        return state
    }

    static func digest(of bytes: [UInt8]) -> [UInt8] {
        var d = bytes.withUnsafeBytes { finish(initial, absorbed: 0, $0) }
        return withUnsafeBytes(of: &d) { Array($0) }
    }

    /// Hashes `message` after `absorbed` bytes already in `state`, pads, and returns the digest.
    @inline(__always)
    static func finish(_ state: State, absorbed: Int, _ message: UnsafeRawBufferPointer) -> Digest {
        var state = state
        var offset = 0
        while message.count - offset >= 64 {
            compress(&state, UnsafeRawBufferPointer(rebasing: message[offset..<(offset + 64)]))
            offset += 64
        }
        let bitLength = UInt64(absorbed + message.count) &* 8
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
            let rest = message.count - offset
            for i in 0..<rest { tail[i] = message[offset + i] }
            tail[rest] = 0x80
            let total = rest + 1 + 8 <= 64 ? 64 : 128
            for i in (rest + 1)..<(total - 8) { tail[i] = 0 }
            for i in 0..<8 {
                let shift = UInt64(bigEndian ? 56 - 8 * i : 8 * i)
                tail[total - 8 + i] = UInt8(truncatingIfNeeded: bitLength >> shift)
            }
            let raw = UnsafeRawBufferPointer(tail)
            compress(&state, UnsafeRawBufferPointer(rebasing: raw[0..<64]))
            if total == 128 { compress(&state, UnsafeRawBufferPointer(rebasing: raw[64..<128])) }
        }
        return digestBytes(state)
    }
}

/// SHA-1 (FIPS 180-4), the first hash of clkhash's doubleHash.
enum SHA1Hash: MerkleDamgardHash {
    typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32)
    typealias Digest = (UInt32, UInt32, UInt32, UInt32, UInt32)
    static let initial: State = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
    static let bigEndian = true

    @inline(__always)
    static func compress(_ state: inout State, _ block: UnsafeRawBufferPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { w in
            for t in 0..<16 { w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self)) }
            for t in 16..<80 { w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotatedLeft(1) }
            var (a, b, c, d, e) = state
            for t in 0..<80 {
                let f: UInt32, k: UInt32
                switch t {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = a.rotatedLeft(5) &+ f &+ e &+ k &+ w[t]
                (e, d, c, b, a) = (d, c, b.rotatedLeft(30), a, temp)
            }
            state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e)
        }
    }

    /// The words stored big-endian: in memory, the digest's bytes in order on any host.
    static func digestBytes(_ s: State) -> Digest { (s.0.bigEndian, s.1.bigEndian, s.2.bigEndian, s.3.bigEndian, s.4.bigEndian) }
}

/// MD5 (RFC 1321), the second hash of clkhash's doubleHash.
enum MD5Hash: MerkleDamgardHash {
    typealias State = (UInt32, UInt32, UInt32, UInt32)
    typealias Digest = (UInt32, UInt32, UInt32, UInt32)
    static let initial: State = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476)
    static let bigEndian = false

    static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]
    // floor(|sin(i + 1)| · 2³²), as RFC 1321 tabulates it.
    static let constants: [UInt32] = [
        0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
        0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be, 0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
        0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
        0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
        0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c, 0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
        0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
        0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
        0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1, 0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
    ]

    @inline(__always)
    static func compress(_ state: inout State, _ block: UnsafeRawBufferPointer) {
        var (a, b, c, d) = state
        constants.withUnsafeBufferPointer { k in
            shifts.withUnsafeBufferPointer { s in
                for i in 0..<64 {
                    let f: UInt32, g: Int
                    switch i {
                    case 0..<16: (f, g) = ((b & c) | (~b & d), i)
                    case 16..<32: (f, g) = ((d & b) | (~d & c), (5 * i + 1) & 15)
                    case 32..<48: (f, g) = (b ^ c ^ d, (3 * i + 5) & 15)
                    default: (f, g) = (c ^ (b | ~d), (7 * i) & 15)
                    }
                    let m = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4 * g, as: UInt32.self))
                    let rotated = (a &+ f &+ k[i] &+ m).rotatedLeft(s[i])
                    (a, b, c, d) = (d, b &+ rotated, b, c)
                }
            }
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }

    /// The words stored little-endian: in memory, the digest's bytes in order on any host.
    static func digestBytes(_ s: State) -> Digest { (s.0.littleEndian, s.1.littleEndian, s.2.littleEndian, s.3.littleEndian) }
}

extension UInt32 {
    @inline(__always)
    fileprivate func rotatedLeft(_ n: UInt32) -> UInt32 { self << n | self >> (32 - n) }
}
