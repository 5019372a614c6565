import Core
import Crypto
import Foundation

/// One Open Link Token rule: which normalized fields, cut how, joined in which order.
///
/// The rules are data so the signature of each can be shown in docs and tests, and because the
/// open specification names them (T1…T5); a token is only comparable to another of the same rule.
public enum TokenRule: String, Sendable, CaseIterable, Codable {
    /// `U(last-name)|U(first-name-1)|U(sex)|birth-date`
    case t1 = "T1"
    /// `U(last-name)|U(first-name)|birth-date|postal-code-3`
    case t2 = "T2"
    /// `U(last-name)|U(first-name)|U(sex)|birth-date`
    case t3 = "T3"
    /// `U(last-name)|U(first-name-3)|U(sex)`
    case t5 = "T5"
}

/// The identifiers after normalization, the single input of both tokens and CLKs.
public struct NormalizedIdentifiers: Sendable, Hashable {
    public var givenName: String?
    public var familyName: String?
    public var birthDate: CalendarDate?
    public var sex: String?
    public var postalCode: String?
    public var phone: String?

    public init(_ record: IdentifierRecord, latestBirthDate: CalendarDate? = nil) {
        givenName = Normalization.givenName(record.givenName)
        familyName = Normalization.familyName(record.familyName)
        birthDate = Normalization.birthDate(record.birthDate, latest: latestBirthDate)
        sex = Normalization.sex(record.sex)
        postalCode = Normalization.postalCode(record.postalCode)
        phone = Normalization.phone(record.phone)
    }

    /// The string the reference hashes for `rule`, or `nil` when a field the rule needs is missing or
    /// refused (the reference then emits no token for that rule).
    public func signature(_ rule: TokenRule) -> String? {
        guard let last = familyName?.uppercased(), let first = givenName?.uppercased() else { return nil }
        let date = birthDate.map(\.description)
        switch rule {
        case .t1:
            guard let sex = sex?.uppercased(), let date else { return nil }
            return [last, String(first.prefix(1)), sex, date].joined(separator: "|")
        case .t2:
            guard let date, let zip = postalCode else { return nil }
            return [last, first, date, String(zip.prefix(3))].joined(separator: "|")
        case .t3:
            guard let sex = sex?.uppercased(), let date else { return nil }
            return [last, first, sex, date].joined(separator: "|")
        case .t5:
            guard let sex = sex?.uppercased() else { return nil }
            return [last, String(first.prefix(3)), sex].joined(separator: "|")
        }
    }
}

/// A 256-bit secret. Wrapped so a key is never confused with the data it protects, and never printed.
public struct LinkageKey: Sendable, CustomStringConvertible {
    public let bytes: [UInt8]
    public init(bytes: [UInt8]) { self.bytes = bytes }
    /// The reference takes secrets as UTF-8 strings; this keeps CurePath keys interchangeable with it.
    public init(utf8 secret: String) { bytes = Array(secret.utf8) }
    public var description: String { "LinkageKey(\(bytes.count) bytes, redacted)" }
    var symmetric: SymmetricKey { SymmetricKey(data: bytes) }
}

/// Derives Open Link Token tokens: `base64(HMAC-SHA256(hashingSecret, hex(SHA-256(signature))))`,
/// which is openlinktoken 2.2.1's `SHA256Tokenizer` followed by its `HashTokenTransformer`.
///
/// The SHA-256 step is kept (HMAC alone would do) only because the reference has it and tokens
/// must be equal bit for bit to interoperate.
public struct TokenGenerator: Sendable {
    public let hashingSecret: LinkageKey
    public let rules: [TokenRule]
    /// Latest acceptable birth date (the reference refuses future dates); the caller supplies today.
    public let latestBirthDate: CalendarDate?

    public init(hashingSecret: LinkageKey, rules: [TokenRule] = TokenRule.allCases, latestBirthDate: CalendarDate? = nil)
        throws(ValidationError)
    {
        guard !hashingSecret.bytes.isEmpty else {
            throw ValidationError(field: "hashingSecret", problem: "must not be empty: an unkeyed token is a dictionary-attackable hash of a name")
        }
        self.hashingSecret = hashingSecret
        self.rules = rules
        self.latestBirthDate = latestBirthDate
    }

    /// The reference's token for `signature`.
    public func token(signature: String) -> String {
        let digest = SHA256.hash(data: Data(signature.utf8))
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        let mac = HMAC<SHA256>.authenticationCode(for: Data(hex.utf8), using: hashingSecret.symmetric)
        return Data(mac).base64EncodedString()
    }

    /// Tokens for every rule the record's fields allow; rules it cannot fill are absent, not blank.
    public func tokens(for record: IdentifierRecord) -> [TokenRule: String] {
        let normalized = NormalizedIdentifiers(record, latestBirthDate: latestBirthDate)
        var out: [TokenRule: String] = [:]
        for rule in rules {
            if let sig = normalized.signature(rule) { out[rule] = token(signature: sig) }
        }
        return out
    }

    /// Tokens for many records; refuses the batch naming every record that yields no token at all,
    /// because a record that cannot be linked should be fixed at the source, not dropped silently.
    public func tokens(for records: [IdentifierRecord]) throws(ValidationError) -> [[TokenRule: String]] {
        var issues: [ValidationError.Issue] = []
        var out: [[TokenRule: String]] = []
        for (i, record) in records.enumerated() {
            let t = tokens(for: record)
            if t.isEmpty {
                let n = NormalizedIdentifiers(record, latestBirthDate: latestBirthDate)
                let field =
                    n.familyName == nil ? "familyName" : n.givenName == nil ? "givenName" : n.sex == nil ? "sex" : "birthDate"
                issues.append(.init(field: "records[\(i)].\(field)", problem: "missing or not accepted by the token rules; no token can be made"))
            }
            out.append(t)
        }
        if !issues.isEmpty { throw ValidationError(issues: issues) }
        return out
    }
}

/// The partner → mediator protocol that lets the mediator match two partners' tokens for one person
/// while neither partner can read or join the other's.
///
/// 1. All partners of a program hold one hashing secret (never the mediator) and derive OLT tokens.
/// 2. Each partner encrypts every token under its own key shared only with the mediator:
///    `base64(iv ‖ AES-256-GCM(token) ‖ tag)`, openlinktoken's `EncryptTokenTransformer` format. With a
///    fresh IV per token, two partners' files differ for the same person, and one partner's file is
///    useless to another partner.
/// 3. The mediator decrypts with that partner's key and re-keys: `base64(HMAC-SHA256(mediatorKey, token))`.
///    Only these match tokens are stored, so a leaked registry table cannot be joined against any
///    partner's tokens, and the mediator never holds the hashing secret needed to test a guessed name.
public enum TokenTransformation {
    /// Partner side: encrypt a token for the mediator (random IV, as the reference does).
    public static func encrypt(_ token: String, partnerKey: LinkageKey) throws(ValidationError) -> String {
        guard partnerKey.bytes.count == 32 else {
            throw ValidationError(field: "partnerKey", problem: "must be 32 bytes for AES-256-GCM, got \(partnerKey.bytes.count)")
        }
        do {
            let sealed = try AES.GCM.seal(Data(token.utf8), using: partnerKey.symmetric)
            return (Data(sealed.nonce) + sealed.ciphertext + sealed.tag).base64EncodedString()
        } catch {
            throw ValidationError(field: "token", problem: "could not be encrypted: \(error)")
        }
    }

    /// Mediator side: recover the partner's token (openlinktoken `DecryptTokenTransformer` format).
    public static func decrypt(_ encrypted: String, partnerKey: LinkageKey, field: String = "token") throws(ValidationError) -> String {
        guard let data = Data(base64Encoded: encrypted), data.count >= 12 + 16 else {
            throw ValidationError(field: field, problem: "is not base64 of iv ‖ ciphertext ‖ tag")
        }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: data.prefix(12)), ciphertext: data.dropFirst(12).dropLast(16), tag: data.suffix(16))
            let plain = try AES.GCM.open(box, using: partnerKey.symmetric)
            guard let s = String(data: plain, encoding: .utf8) else { throw CryptoKitError.authenticationFailure }
            return s
        } catch {
            throw ValidationError(field: field, problem: "does not decrypt under this partner's key (wrong key or altered token)")
        }
    }

    /// Mediator side: the match token stored and compared in the registry.
    public static func matchToken(_ token: String, mediatorKey: LinkageKey) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(token.utf8), using: mediatorKey.symmetric)).base64EncodedString()
    }

    /// Mediator side in one step: decrypt a partner's submission and re-key it.
    public static func mediate(_ encrypted: String, partnerKey: LinkageKey, mediatorKey: LinkageKey, field: String = "token")
        throws(ValidationError) -> String
    {
        matchToken(try decrypt(encrypted, partnerKey: partnerKey, field: field), mediatorKey: mediatorKey)
    }
}
