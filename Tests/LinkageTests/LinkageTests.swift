import Core
import Foundation
import Testing

@testable import Linkage

@Suite("Normalization")
struct NormalizationTests {
    @Test("accents, titles, suffixes and multi-part names")
    func names() {
        #expect(Normalization.givenName("José") == "Jose")
        #expect(Normalization.givenName("Dr. William") == "William")
        #expect(Normalization.givenName("Mary Ann") == "Mary")
        #expect(Normalization.givenName("Robert J.") == "Robert")
        #expect(Normalization.givenName("Øyvind") == "Oyvind")
        #expect(Normalization.givenName("unknown") == nil)
        #expect(Normalization.familyName("Müller") == "Muller")
        #expect(Normalization.familyName("Smith Jr.") == "Smith")
        #expect(Normalization.familyName("Straße") == "Strasse")
        #expect(Normalization.familyName("X") == nil)
        #expect(Normalization.familyName("Ng") == "Ng")
    }

    @Test("nicknames map to the formal name for fuzzy matching only")
    func nicknames() {
        #expect(Normalization.canonicalGivenName("Bill") == "WILLIAM")
        #expect(Normalization.canonicalGivenName("Peggy") == "MARGARET")
        #expect(Normalization.canonicalGivenName("Ana") == "ANA")
    }

    @Test("date formats become one calendar date; impossible and early dates are refused")
    func dates() {
        let d = CalendarDate(year: 1980, month: 2, day: 3)
        for text in ["1980-02-03", "1980/02/03", "02/03/1980", "02-03-1980", "03.02.1980", "1980-02-03T10:00:00Z"] {
            #expect(Normalization.birthDate(text) == d, "\(text)")
        }
        #expect(Normalization.birthDate("2/3/1980") == nil)
        #expect(Normalization.birthDate("1980-02-30") == nil)
        #expect(Normalization.birthDate("1909-12-31") == nil)
        #expect(Normalization.birthDate("2030-01-01", latest: CalendarDate(year: 2026, month: 1, day: 1)) == nil)
    }

    @Test("sex codes, postal codes and phones")
    func codes() {
        #expect(Normalization.sex("female") == "Female")
        #expect(Normalization.sex(" M ") == "Male")
        #expect(Normalization.sex("X") == nil)
        #expect(Normalization.postalCode("10001-1234") == "10001")
        #expect(Normalization.postalCode("021") == "02100")
        #expect(Normalization.postalCode("12345") == nil)
        #expect(Normalization.phone("+1 (617) 555-0100") == "6175550100")
        #expect(Normalization.phone("12") == nil)
    }
}

@Suite("Tokens across partners")
struct TokenTransformationTests {
    let person = IdentifierRecord(givenName: "Zoë", familyName: "García", birthDate: "1975-06-01", sex: "F", postalCode: "02139")
    let shared = LinkageKey(utf8: "program-hashing-secret")
    let keyA = LinkageKey(bytes: Array(repeating: 1, count: 32))
    let keyB = LinkageKey(bytes: Array(repeating: 2, count: 32))
    let mediator = LinkageKey(bytes: Array(repeating: 9, count: 32))

    @Test("two partners send different tokens for one person; the mediator's match tokens are equal")
    func mediatorMatches() throws {
        let t = try #require(try TokenGenerator(hashingSecret: shared).tokens(for: person)[.t3])
        let fromA = try TokenTransformation.encrypt(t, partnerKey: keyA)
        let fromB = try TokenTransformation.encrypt(t, partnerKey: keyB)
        #expect(fromA != fromB)
        let a = try TokenTransformation.mediate(fromA, partnerKey: keyA, mediatorKey: mediator)
        let b = try TokenTransformation.mediate(fromB, partnerKey: keyB, mediatorKey: mediator)
        #expect(a == b)
        #expect(a != t)
        // Partner B cannot read A's submission.
        #expect(throws: ValidationError.self) { try TokenTransformation.decrypt(fromA, partnerKey: keyB) }
    }

    @Test("different hashing secrets give different tokens; different people give different match tokens")
    func keysSeparate() throws {
        let other = try TokenGenerator(hashingSecret: LinkageKey(utf8: "another"))
        let gen = try TokenGenerator(hashingSecret: shared)
        #expect(gen.tokens(for: person)[.t3] != other.tokens(for: person)[.t3])
        var sibling = person
        sibling.givenName = "Zara"
        #expect(gen.tokens(for: person)[.t3] != gen.tokens(for: sibling)[.t3])
    }

    @Test("errors name the record and field")
    func errors() {
        #expect(throws: ValidationError(field: "hashingSecret", problem: "must not be empty: an unkeyed token is a dictionary-attackable hash of a name")) {
            try TokenGenerator(hashingSecret: LinkageKey(bytes: []))
        }
        do {
            _ = try TokenGenerator(hashingSecret: shared).tokens(for: [person, IdentifierRecord(givenName: "Ann", familyName: "X")])
            Issue.record("expected a validation error")
        } catch {
            #expect(error.issues.map(\.field) == ["records[1].familyName"])
        }
    }
}

@Suite("Bloom filters and Dice")
struct BloomTests {
    @Test("Dice of known bit arrays")
    func dice() {
        var a = BitArray(count: 128), b = BitArray(count: 128)
        for i in [0, 1, 2, 3] { a[i] = true }
        for i in [2, 3, 4, 127] { b[i] = true }
        #expect(Dice.similarity(a, b) == 0.5)  // 2·2 / (4+4)
        #expect(Dice.similarity(a, a) == 1)
        #expect(Dice.similarity(BitArray(count: 64), BitArray(count: 64)) == 0)
        #expect(a.bytes[0] == 0b1111_0000)
        #expect(b.bytes[15] == 1)
    }

    @Test("bigrams are padded as clkhash pads them")
    func bigrams() {
        #expect(BloomEncoder.tokens("ABC", comparison: .ngram(n: 2, positional: false)) == [" A", "AB", "BC", "C "])
        #expect(BloomEncoder.tokens("19", comparison: .ngram(n: 1, positional: true)) == ["1 1", "2 9"])
        #expect(BloomEncoder.tokens("", comparison: .ngram(n: 2, positional: false)).isEmpty)
    }

    @Test("unsupported schema features are refused naming their path")
    func schemaErrors() {
        let numeric = #"{"version":3,"clkConfig":{"l":1024,"kdf":{"type":"HKDF"}},"features":[{"identifier":"age","format":{"type":"integer"},"hashing":{"comparison":{"type":"numeric","thresholdDistance":1,"resolution":1},"strategy":{"bitsPerToken":10}}}]}"#
        do {
            _ = try LinkageSchema(json: Data(numeric.utf8))
            Issue.record("expected a validation error")
        } catch {
            #expect(error.issues.first?.field == "schema.features[0].hashing.comparison.type")
        }
        #expect(throws: ValidationError.self) { try LinkageSchema(json: Data(#"{"version":2}"#.utf8)) }
    }

    @Test("BLAKE2b matches the RFC 7693 test vector for \"abc\"")
    func blake() {
        let digest = BLAKE2b.hash(Array("abc".utf8), key: [], salt: [])
        #expect(digest.prefix(8) == [0xBA, 0x80, 0xA5, 0x3F, 0x98, 0x1C, 0x4D, 0x0D])
    }
}
