import Core
import Foundation
import Testing

@testable import Linkage

private func golden(_ name: String) throws -> [String: Any] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Golden"))
    return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
}

@Suite("Golden fixtures from openlinktoken and clkhash")
struct GoldenTests {
    @Test("tokens equal openlinktoken's for every person and rule, and none extra")
    func tokens() throws {
        let g = try golden("tokens")
        let gen = try TokenGenerator(hashingSecret: LinkageKey(utf8: try #require(g["hashingSecret"] as? String)))
        let people = try #require(g["people"] as? [[String: Any]])
        #expect(people.count == 300)
        var compared = 0
        for (i, p) in people.enumerated() {
            let r = try #require(p["record"] as? [String: String])
            let record = IdentifierRecord(
                givenName: r["givenName"], familyName: r["familyName"], birthDate: r["birthDate"], sex: r["sex"],
                postalCode: r["postalCode"])
            let expected = try #require(p["tokens"] as? [String: String])
            let sigs = try #require(p["signatures"] as? [String: String])
            let normalized = NormalizedIdentifiers(record)
            let actual = gen.tokens(for: record)
            #expect(Set(actual.keys.map(\.rawValue)) == Set(expected.keys), "people[\(i)] \(r)")
            for (rule, token) in expected {
                let rule = try #require(TokenRule(rawValue: rule))
                #expect(normalized.signature(rule) == sigs[rule.rawValue], "people[\(i)].\(rule) \(r)")
                #expect(actual[rule] == token, "people[\(i)].\(rule)")
                compared += 1
            }
        }
        #expect(compared > 450)  // 478 tokens in the fixture
    }

    @Test("the mediator decrypts tokens openlinktoken encrypted with the partner key")
    func decryptsReferenceEncryption() throws {
        let g = try golden("tokens")
        let key = LinkageKey(utf8: try #require(g["partnerKey"] as? String))
        var n = 0
        for p in try #require(g["people"] as? [[String: Any]]) {
            guard let enc = p["encryptedT3"] as? String else { continue }
            let tokens = try #require(p["tokens"] as? [String: String])
            #expect(try TokenTransformation.decrypt(enc, partnerKey: key) == tokens["T3"])
            n += 1
        }
        #expect(n > 50)
    }

    @Test("CLKs equal clkhash's for every schema variant and row")
    func clks() throws {
        let g = try golden("clks")
        let secret = LinkageKey(utf8: try #require(g["secret"] as? String))
        let rows = try #require(g["rows"] as? [[String]])
        let cases = try #require(g["cases"] as? [[String: Any]])
        #expect(cases.count == 4)
        for c in cases {
            let name = try #require(c["name"] as? String)
            let schemaData = try JSONSerialization.data(withJSONObject: try #require(c["schema"]))
            let schema = try LinkageSchema(json: schemaData)
            let encoder = BloomEncoder(schema: schema, secret: secret)
            let caseRows = (c["rows"] as? [[String]]) ?? rows
            let expected = try #require(c["clks"] as? [String])
            #expect(expected.count == caseRows.count)
            for (i, row) in caseRows.enumerated() {
                let clk = try encoder.encode(row, field: "rows[\(i)]")
                #expect(clk.base64 == expected[i], "\(name) rows[\(i)] \(row)")
                #expect(try BitArray(base64: expected[i]) == clk)
            }
        }
    }

    @Test("the registry schema shipped in Swift is the one the fixture was made with")
    func registrySchema() throws {
        let g = try golden("clks")
        let reg = try #require((g["cases"] as? [[String: Any]])?.first { $0["name"] as? String == "registry" })
        let fromFixture = try LinkageSchema(json: JSONSerialization.data(withJSONObject: try #require(reg["schema"])))
        let shipped = try LinkageSchema(json: Data(RegistrySchema.json.utf8))
        #expect(fromFixture.features == shipped.features)
        #expect(fromFixture.kdf == shipped.kdf && fromFixture.bitLength == shipped.bitLength)
    }
}
