import Core
import Crypto
import Foundation

/// A clkhash linkage schema (version 3), restricted to what CurePath implements; anything else is
/// refused naming its path in the schema, so a partner learns at upload time, not as missed matches.
public struct LinkageSchema: Sendable {
    public enum HashScheme: Sendable, Equatable { case doubleHash(preventSingularity: Bool), blakeHash }
    public enum Comparison: Sendable, Equatable { case ngram(n: Int, positional: Bool), exact }
    public enum Strategy: Sendable, Equatable {
        case bitsPerToken(Int), bitsPerFeature(Int)
        /// clkhash's `bits_per_token`: how often each of `tokens` tokens is inserted.
        func counts(_ tokens: Int) -> [Int] {
            switch self {
            case .bitsPerToken(let k): return [Int](repeating: k, count: tokens)
            case .bitsPerFeature(let total):
                let k = total / tokens, residue = total % tokens
                return [Int](repeating: k + 1, count: residue) + [Int](repeating: k, count: tokens - residue)
            }
        }
    }
    public enum Format: Sendable, Equatable { case string, integer, enumeration, date(pattern: String) }

    public struct Hashing: Sendable, Equatable {
        public var comparison: Comparison
        public var strategy: Strategy
        public var scheme: HashScheme
        public var missingValue: (sentinel: String, replaceWith: String)?
        public static func == (a: Hashing, b: Hashing) -> Bool {
            a.comparison == b.comparison && a.strategy == b.strategy && a.scheme == b.scheme
                && a.missingValue?.sentinel == b.missingValue?.sentinel && a.missingValue?.replaceWith == b.missingValue?.replaceWith
        }
    }

    public struct Feature: Sendable, Equatable {
        public var identifier: String
        /// `nil` for an ignored column: it still occupies a position and a pair of derived keys.
        public var format: Format?
        public var hashing: Hashing?
    }

    public var bitLength: Int
    public var xorFolds: Int
    public var kdf: KDF
    public var features: [Feature]

    public enum KDF: Sendable, Equatable {
        case hkdf(hash: String, salt: [UInt8]?, info: [UInt8]?, keySize: Int)
        case legacy
    }

    /// Parses clkhash's v3 schema JSON.
    public init(json: Data) throws(ValidationError) {
        let any: Any
        do { any = try JSONSerialization.jsonObject(with: json) } catch {
            throw ValidationError(field: "schema", problem: "is not JSON: \(error.localizedDescription)")
        }
        guard let root = any as? [String: Any] else { throw ValidationError(field: "schema", problem: "must be a JSON object") }
        guard (root["version"] as? Int) == 3 else {
            throw ValidationError(field: "schema.version", problem: "must be 3 (clkhash linkage schema v3); earlier versions are not read")
        }
        guard let clk = root["clkConfig"] as? [String: Any] else { throw ValidationError(field: "schema.clkConfig", problem: "is required") }
        guard let l = clk["l"] as? Int, l > 0, l % 8 == 0 else {
            throw ValidationError(field: "schema.clkConfig.l", problem: "must be a positive multiple of 8")
        }
        bitLength = l
        xorFolds = clk["xor_folds"] as? Int ?? 0
        guard let kdf = clk["kdf"] as? [String: Any], let type = kdf["type"] as? String else {
            throw ValidationError(field: "schema.clkConfig.kdf.type", problem: "is required")
        }
        switch type {
        case "HKDF":
            let hash = kdf["hash"] as? String ?? "SHA256"
            guard hash == "SHA256" || hash == "SHA512" else {
                throw ValidationError(field: "schema.clkConfig.kdf.hash", problem: "must be SHA256 or SHA512, got \(hash)")
            }
            func b64(_ key: String) throws(ValidationError) -> [UInt8]? {
                guard let s = kdf[key] as? String else { return nil }
                guard let d = Data(base64Encoded: s) else { throw ValidationError(field: "schema.clkConfig.kdf.\(key)", problem: "is not base64") }
                return Array(d)
            }
            self.kdf = .hkdf(hash: hash, salt: try b64("salt"), info: try b64("info"), keySize: kdf["keySize"] as? Int ?? 64)
        case "legacy": self.kdf = .legacy
        default: throw ValidationError(field: "schema.clkConfig.kdf.type", problem: "must be HKDF or legacy, got \(type)")
        }
        guard let list = root["features"] as? [[String: Any]] else {
            throw ValidationError(field: "schema.features", problem: "must be an array of objects")
        }
        var features: [Feature] = []
        for (i, f) in list.enumerated() {
            let path = "schema.features[\(i)]"
            guard let id = f["identifier"] as? String else { throw ValidationError(field: "\(path).identifier", problem: "is required") }
            if f["ignored"] as? Bool == true {
                features.append(Feature(identifier: id, format: nil, hashing: nil))
                continue
            }
            guard let format = f["format"] as? [String: Any], let ftype = format["type"] as? String else {
                throw ValidationError(field: "\(path).format.type", problem: "is required")
            }
            let parsedFormat: Format
            switch ftype {
            case "string":
                if format["pattern"] != nil {
                    throw ValidationError(field: "\(path).format.pattern", problem: "regex-validated strings are not supported")
                }
                if let enc = format["encoding"] as? String, enc.lowercased() != "utf-8" {
                    throw ValidationError(field: "\(path).format.encoding", problem: "only utf-8 is supported, got \(enc)")
                }
                parsedFormat = .string
            case "integer": parsedFormat = .integer
            case "enum": parsedFormat = .enumeration
            case "date":
                let pattern = format["format"] as? String ?? "%Y-%m-%d"
                guard DateFormat.isSupported(pattern) else {
                    throw ValidationError(field: "\(path).format.format", problem: "only %Y, %m, %d and literal characters are supported, got \(pattern)")
                }
                parsedFormat = .date(pattern: pattern)
            default: throw ValidationError(field: "\(path).format.type", problem: "unsupported type \(ftype)")
            }
            guard let h = f["hashing"] as? [String: Any] else { throw ValidationError(field: "\(path).hashing", problem: "is required") }
            guard let cmp = h["comparison"] as? [String: Any], let ctype = cmp["type"] as? String else {
                throw ValidationError(field: "\(path).hashing.comparison.type", problem: "is required")
            }
            let comparison: Comparison
            switch ctype {
            case "ngram":
                guard let n = cmp["n"] as? Int, n >= 0 else { throw ValidationError(field: "\(path).hashing.comparison.n", problem: "must be a non-negative integer") }
                comparison = .ngram(n: n, positional: cmp["positional"] as? Bool ?? false)
            case "exact": comparison = .exact
            default:
                throw ValidationError(field: "\(path).hashing.comparison.type", problem: "\(ctype) comparison is not supported (ngram and exact are)")
            }
            let strategy: Strategy
            if let s = h["strategy"] as? [String: Any], let k = s["bitsPerToken"] as? Int {
                strategy = .bitsPerToken(k)
            } else if let s = h["strategy"] as? [String: Any], let k = s["bitsPerFeature"] as? Int {
                strategy = .bitsPerFeature(k)
            } else {
                throw ValidationError(field: "\(path).hashing.strategy", problem: "must give bitsPerToken or bitsPerFeature")
            }
            let hash = h["hash"] as? [String: Any] ?? ["type": "blakeHash"]
            let scheme: HashScheme
            switch hash["type"] as? String {
            case "doubleHash": scheme = .doubleHash(preventSingularity: hash["prevent_singularity"] as? Bool ?? false)
            case "blakeHash":
                guard hash["prevent_singularity"] == nil else {
                    throw ValidationError(field: "\(path).hashing.hash.prevent_singularity", problem: "applies to doubleHash only")
                }
                guard (l << xorFolds) & ((l << xorFolds) - 1) == 0 else {
                    throw ValidationError(field: "schema.clkConfig.l", problem: "must be a power of two for blakeHash")
                }
                scheme = .blakeHash
            default: throw ValidationError(field: "\(path).hashing.hash.type", problem: "must be doubleHash or blakeHash")
            }
            var missing: (String, String)?
            if let mv = h["missingValue"] as? [String: Any], let sentinel = mv["sentinel"] as? String {
                missing = (sentinel, mv["replaceWith"] as? String ?? sentinel)
            }
            features.append(Feature(identifier: id, format: parsedFormat,
                hashing: Hashing(comparison: comparison, strategy: strategy, scheme: scheme, missingValue: missing)))
        }
        self.features = features
    }
}

/// strptime/strftime for the date patterns clkhash schemas use; clkhash hashes dates as `YYYYMMDD`.
enum DateFormat {
    static func isSupported(_ pattern: String) -> Bool {
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            if chars[i] == "%" {
                guard i + 1 < chars.count, "Ymd".contains(chars[i + 1]) else { return false }
                i += 2
            } else if chars[i].isNumber {
                return false  // a literal digit would be read as part of a number
            } else {
                i += 1
            }
        }
        return true
    }

    static func reformat(_ value: String, pattern: String) -> String? {
        var v = Substring(value)
        var y: Int?, m: Int?, d: Int?
        var p = Substring(pattern)
        while let c = p.first {
            p = p.dropFirst()
            if c == "%", let spec = p.first {
                p = p.dropFirst()
                let maxLen = spec == "Y" ? 4 : 2
                let digits = v.prefix(maxLen).prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty, let n = Int(digits) else { return nil }
                v = v.dropFirst(digits.count)
                switch spec { case "Y": y = n; case "m": m = n; default: d = n }
            } else {
                guard v.first == c else { return nil }
                v = v.dropFirst()
            }
        }
        guard v.isEmpty, let y, let m, let d, CalendarDate(year: y, month: m, day: d) != nil else { return nil }
        return String(format: "%04d%02d%02d", y, m, d)
    }
}

/// Encodes records into CLKs exactly as clkhash 0.17 does for a v3 schema, and so reads its output.
///
/// Keys come from the shared secret by HKDF as in clkhash (two keys per feature, ignored columns included),
/// so a partner using clkhash with the same schema and secret produces the same bits.
public struct BloomEncoder: Sendable {
    public let schema: LinkageSchema
    let keys: [[[UInt8]]]
    /// Each feature's two doubleHash keys with their HMAC pads hashed once (``PrecomputedHMAC``).
    let doubleHashKeys: [(sha1: PrecomputedHMAC<SHA1Hash>, md5: PrecomputedHMAC<MD5Hash>)]

    public init(schema: LinkageSchema, secret: LinkageKey) {
        self.schema = schema
        let n = schema.features.count * 2
        switch schema.kdf {
        case .legacy:
            keys = schema.features.map { _ in [secret.bytes, secret.bytes] }
        case .hkdf(let hash, let salt, let info, let keySize):
            let ikm = SymmetricKey(data: secret.bytes)
            let derived: SymmetricKey
            if hash == "SHA512" {
                derived = HKDF<SHA512>.deriveKey(inputKeyMaterial: ikm, salt: salt ?? [], info: info ?? [], outputByteCount: n * keySize)
            } else {
                derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: ikm, salt: salt ?? [], info: info ?? [], outputByteCount: n * keySize)
            }
            let bytes = derived.withUnsafeBytes { Array($0) }
            keys = (0..<schema.features.count).map { f in
                (0..<2).map { j in Array(bytes[((2 * f + j) * keySize)..<((2 * f + j + 1) * keySize)]) }
            }
        }
        doubleHashKeys = keys.map { (PrecomputedHMAC(key: $0[0]), PrecomputedHMAC(key: $0[1])) }
    }

    /// The n-grams clkhash inserts for one formatted value (padding with n−1 spaces on each side).
    public static func tokens(_ value: String, comparison: LinkageSchema.Comparison) -> [String] {
        guard !value.isEmpty else { return [] }
        switch comparison {
        case .exact: return [value]
        case .ngram(let n, let positional):
            var scalars = Array(value.unicodeScalars)
            if n > 1 {
                let pad = [Unicode.Scalar](repeating: " ", count: n - 1)
                scalars = pad + scalars + pad
            }
            guard scalars.count >= n else { return [] }
            return (0...(scalars.count - n)).map { i in
                let gram = String(String.UnicodeScalarView(scalars[i..<(i + n)]))
                return positional ? "\(i + 1) \(gram)" : gram
            }
        }
    }

    /// One row, one value per schema feature (ignored ones included), as clkhash reads a CSV row.
    public func encode(_ row: [String], field: String = "row") throws(ValidationError) -> BitArray {
        guard row.count == schema.features.count else {
            throw ValidationError(field: field, problem: "has \(row.count) values, the schema has \(schema.features.count) features")
        }
        let length = schema.bitLength << schema.xorFolds
        var filter = BitArray(count: length)
        for (i, feature) in schema.features.enumerated() {
            guard let hashing = feature.hashing, let format = feature.format else { continue }
            let raw = row[i]
            let value: String
            if let mv = hashing.missingValue, mv.sentinel == raw {
                value = mv.replaceWith
            } else {
                switch format {
                case .string, .enumeration: value = raw
                case .integer:
                    guard let n = Int(raw.trimmingCharacters(in: .whitespaces)) else {
                        throw ValidationError(field: "\(field).\(feature.identifier)", problem: "must be an integer")
                    }
                    value = String(n)
                case .date(let pattern):
                    guard let v = DateFormat.reformat(raw, pattern: pattern) else {
                        throw ValidationError(field: "\(field).\(feature.identifier)", problem: "must be a date as \(pattern)")
                    }
                    value = v
                }
            }
            switch hashing.scheme {
            case .doubleHash(let ps):
                Self.doubleHash(value, comparison: hashing.comparison, strategy: hashing.strategy, keys: doubleHashKeys[i], preventSingularity: ps, into: &filter)
            case .blakeHash:
                let grams = Self.tokens(value, comparison: hashing.comparison)
                guard !grams.isEmpty else { continue }
                filter.formUnion(Self.blakeHash(grams, key: keys[i][0], ks: hashing.strategy.counts(grams.count), length: length))
            }
        }
        return filter.folded(schema.xorFolds)
    }

    // `int(hexdigest, 16) % l` without big integers: Horner's rule over the big-endian digest.
    private static func mod<D: Sequence>(_ digest: D, _ l: Int) -> Int where D.Element == UInt8 {
        digest.reduce(0) { ($0 * 256 + Int($1)) % l }
    }

    /// clkhash's `double_hash_encode_ngrams` for one value, setting its bits in `filter`: for each
    /// n-gram, bits `(h1 + i·h2) mod l` for i < k, where h1 and h2 are the HMAC-SHA1 and HMAC-MD5 of
    /// the n-gram's UTF-8 read as big-endian integers. The n-grams are built as bytes in one reused
    /// buffer, as ``tokens(_:comparison:)`` spells them, instead of as strings.
    static func doubleHash(
        _ value: String, comparison: LinkageSchema.Comparison, strategy: LinkageSchema.Strategy,
        keys: (sha1: PrecomputedHMAC<SHA1Hash>, md5: PrecomputedHMAC<MD5Hash>), preventSingularity: Bool, into filter: inout BitArray
    ) {
        guard !value.isEmpty else { return }
        let l = filter.count
        let scalars = Array(value.unicodeScalars)
        let pad: Int, n: Int, positional: Bool, count: Int
        switch comparison {
        case .exact: (pad, n, positional, count) = (0, scalars.count, false, 1)
        case .ngram(let size, let isPositional):
            pad = max(0, size - 1)
            (n, positional) = (size, isPositional)
            count = max(0, scalars.count + 2 * pad - size + 1)
        }
        guard count > 0 else { return }
        let ks = strategy.counts(count)
        var gram: [UInt8] = []
        gram.reserveCapacity(64)
        for index in 0..<count {
            gram.removeAll(keepingCapacity: true)
            if positional {
                gram.append(contentsOf: String(index + 1).utf8)
                gram.append(0x20)
            }
            for p in index..<(index + n) {
                // Positions outside the value are the padding spaces.
                let scalar = p < pad || p >= pad + scalars.count ? " " : scalars[p - pad]
                UTF8.encode(scalar) { gram.append($0) }
            }
            let h1 = gram.withUnsafeBytes { m in keys.sha1.authenticate(m) { mod($0, l) } }
            var h2 = gram.withUnsafeBytes { m in keys.md5.authenticate(m) { mod($0, l) } }
            if preventSingularity {
                var i = 0
                while h2 == 0 {
                    // chr(i).encode(): UTF-8 of code point i, appended to the n-gram.
                    let suffix = Array(String(UnicodeScalar(UInt32(i)).map(Character.init) ?? " ").utf8)
                    h2 = (gram + suffix).withUnsafeBytes { m in keys.md5.authenticate(m) { mod($0, l) } }
                    i += 1
                }
            }
            for i in 0..<ks[index] { filter[(h1 + i * h2) % l] = true }
        }
    }

    static func blakeHash(_ grams: [String], key: [UInt8], ks: [Int], length l: Int) -> BitArray {
        var bf = BitArray(count: l)
        for (gram, k) in zip(grams, ks) {
            let m = Array(gram.utf8)
            var shorts: [Int] = []
            for i in 0..<((k + 31) / 32) {
                let digest = BLAKE2b.hash(m, key: key, salt: Array(String(i).utf8))
                for j in 0..<32 { shorts.append(Int(digest[2 * j]) | Int(digest[2 * j + 1]) << 8) }
            }
            for i in 0..<k { bf[shorts[i] % l] = true }
        }
        return bf
    }
}
