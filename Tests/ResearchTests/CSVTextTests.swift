import Research
import Testing

@Suite("CSV (RFC 4180)")
struct CSVTextTests {
    @Test("only fields that need it are quoted, quotes doubled", arguments: [
        ("plain", "plain"),
        ("", ""),
        ("U/L", "U/L"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("carriage\rreturn", "\"carriage\rreturn\""),
        (" spaced ", " spaced "),
    ])
    func field(_ text: String, _ written: String) {
        #expect(CSVText.field(text) == written)
    }

    @Test func recordsEndInCRLFAndKeepEmptyFields() {
        #expect(CSVText.record(["1", "", "x,y", ""]) == "1,,\"x,y\",\r\n")
        #expect(CSVText.recordEnd.utf8.elementsEqual([0x0D, 0x0A]))
    }
}
