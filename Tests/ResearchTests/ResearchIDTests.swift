import CareNetwork
import Core
@testable import Research
import Testing

@Suite("Research IDs")
struct ResearchIDTests {
    static let key = try! ResearchKey(bytes: Array(0..<32))
    static let otherKey = try! ResearchKey(bytes: Array(1...32))

    @Test("neither the internal ID nor containing it; stable under one key, different under another", arguments: ["pat-00001", "12345", "p"])
    func researchID(_ raw: String) {
        let patient = PatientID(raw)
        let id = ResearchID.make(for: patient, key: Self.key)
        #expect(id.text != raw)
        #expect(!id.text.contains(raw))
        #expect(id.text.count == 32)
        #expect(id.text.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(ResearchID.make(for: patient, key: Self.key) == id)
        #expect(ResearchID.make(for: patient, key: Self.otherKey) != id)
        #expect(ResearchID.make(for: PatientID(raw + "0"), key: Self.key) != id)
        #expect((1...PersonNumbering.largest).contains(id.preferredPersonID))
    }

    @Test func aKnownValueSoTheDerivationCannotDriftUnnoticed() {
        // HMAC-SHA256(key = bytes 0…31, "curepath.research-id.v1\0pat-00001"), first 16 bytes in hex, as
        // computed independently: `printf 'curepath.research-id.v1\0pat-00001' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102…1f`.
        let id = ResearchID.make(for: "pat-00001", key: Self.key)
        #expect(id.text == "5c67983e85b44934647de0927794764e")
        #expect(id.preferredPersonID == 0x5c67983e)
    }

    @Test func personIDsFollowTheResearchIDAndResolveClashesInOrder() {
        let a = ResearchID(text: "aaaa", preferredPersonID: 7)
        let b = ResearchID(text: "bbbb", preferredPersonID: 7)
        let c = ResearchID(text: "cccc", preferredPersonID: 8)
        let top = ResearchID(text: "dddd", preferredPersonID: PersonNumbering.largest)
        let e = ResearchID(text: "eeee", preferredPersonID: PersonNumbering.largest)
        let numbers = PersonNumbering.assign([c, b, a, e, top])
        #expect(numbers[a] == 7)
        #expect(numbers[b] == 8)
        #expect(numbers[c] == 9)
        #expect(numbers[top] == PersonNumbering.largest)
        #expect(numbers[e] == 1)
        #expect(PersonNumbering.assign([c, b, a, e, top].reversed()) == numbers)
    }

    @Test func keysAreReadFromHexOrBase64AndRefusedWhenShort() throws {
        let hex = String(repeating: "0f", count: 32)
        let fromHex = try ResearchKey.parse(" \(hex)\n", field: "--research-key-file")
        let fromBase64 = try ResearchKey.parse("Dw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8=", field: "k")  // the same 32 bytes 0x0f
        #expect(ResearchID.make(for: "pat-1", key: fromHex) == ResearchID.make(for: "pat-1", key: fromBase64))
        #expect(throws: ValidationError.self) { try ResearchKey.parse(String(repeating: "0f", count: 16), field: "k") }
        do {
            _ = try ResearchKey.parse("not a key!", field: "CUREPATH_RESEARCH_KEY")
            Issue.record("a malformed key was accepted")
        } catch {
            #expect(error.issues.first?.field == "CUREPATH_RESEARCH_KEY")
        }
        #expect(throws: ValidationError.self) { try ResearchKey.parse("  \n", field: "k") }
    }
}
