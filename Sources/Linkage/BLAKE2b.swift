// BLAKE2b (RFC 7693) with key and salt, because clkhash's default `blakeHash` scheme keys it and
// salts each round, and swift-crypto does not offer BLAKE2. Only what clkhash uses: 64-byte digest.
struct BLAKE2b {
    private static let iv: [UInt64] = [
        0x6a09_e667_f3bc_c908, 0xbb67_ae85_84ca_a73b, 0x3c6e_f372_fe94_f82b, 0xa54f_f53a_5f1d_36f1,
        0x510e_527f_ade6_82d1, 0x9b05_688c_2b3e_6c1f, 0x1f83_d9ab_fb41_bd6b, 0x5be0_cd19_137e_2179,
    ]
    private static let sigma: [[Int]] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
        [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4], [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
        [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13], [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
        [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11], [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
        [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5], [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
    ]

    /// 64-byte keyed, salted digest. `key` at most 64 bytes, `salt` at most 16 (zero-padded, as hashlib does).
    static func hash(_ message: [UInt8], key: [UInt8], salt: [UInt8]) -> [UInt8] {
        precondition(key.count <= 64 && salt.count <= 16)
        var h = iv
        h[0] ^= 0x0101_0000 ^ (UInt64(key.count) << 8) ^ 64
        let s = salt + [UInt8](repeating: 0, count: 16 - salt.count)
        h[4] ^= le64(s, 0)
        h[5] ^= le64(s, 8)
        var data: [UInt8] = []
        if !key.isEmpty { data = key + [UInt8](repeating: 0, count: 128 - key.count) }
        data += message
        // Always at least one block; the last block is processed with the final flag, even when full.
        let blocks = max(1, (data.count + 127) / 128)
        var counter: UInt64 = 0
        for b in 0..<blocks {
            let start = b * 128
            let end = min(start + 128, data.count)
            var block = Array(data[start..<end])
            counter += UInt64(end - start)
            block += [UInt8](repeating: 0, count: 128 - block.count)
            compress(&h, block, counter, last: b == blocks - 1)
        }
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for w in h { for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: w >> (8 * UInt64(i)))) } }
        return out
    }

    private static func le64(_ b: [UInt8], _ o: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(b[o + i]) << (8 * UInt64(i)) }
        return v
    }

    private static func compress(_ h: inout [UInt64], _ block: [UInt8], _ t: UInt64, last: Bool) {
        var m = [UInt64](repeating: 0, count: 16)
        for i in 0..<16 { m[i] = le64(block, i * 8) }
        var v = h + iv
        v[12] ^= t
        if last { v[14] = ~v[14] }
        func g(_ a: Int, _ b: Int, _ c: Int, _ d: Int, _ x: UInt64, _ y: UInt64) {
            v[a] = v[a] &+ v[b] &+ x; v[d] = (v[d] ^ v[a]).rotr(32)
            v[c] = v[c] &+ v[d]; v[b] = (v[b] ^ v[c]).rotr(24)
            v[a] = v[a] &+ v[b] &+ y; v[d] = (v[d] ^ v[a]).rotr(16)
            v[c] = v[c] &+ v[d]; v[b] = (v[b] ^ v[c]).rotr(63)
        }
        for r in 0..<12 {
            let s = sigma[r % 10]
            g(0, 4, 8, 12, m[s[0]], m[s[1]]); g(1, 5, 9, 13, m[s[2]], m[s[3]])
            g(2, 6, 10, 14, m[s[4]], m[s[5]]); g(3, 7, 11, 15, m[s[6]], m[s[7]])
            g(0, 5, 10, 15, m[s[8]], m[s[9]]); g(1, 6, 11, 12, m[s[10]], m[s[11]])
            g(2, 7, 8, 13, m[s[12]], m[s[13]]); g(3, 4, 9, 14, m[s[14]], m[s[15]])
        }
        for i in 0..<8 { h[i] ^= v[i] ^ v[i + 8] }
    }
}

extension UInt64 {
    fileprivate func rotr(_ n: UInt64) -> UInt64 { (self >> n) | (self << (64 - n)) }
}
