import Foundation
import Testing
import Core
import CareNetwork
import Outcomes
import Contracts

@Suite("Contract files")
struct ContractFileTests {
    @Test(arguments: [
        "zynteglo-transfusion-independence", "hemgenix-warranty", "zolgensma-installments", "lyfgenia-confirmed-benefit",
        "medicaid-outcome-tiers",
    ])
    func everyWorkedExampleParsesAndValidates(name: String) throws {
        let terms = try exampleContract(name)
        #expect(terms.issues.isEmpty)
        #expect(terms.version == 1)
    }

    @Test func theZynteglоExampleReadsAsWritten() throws {
        let terms = try exampleContract("zynteglo-transfusion-independence")
        #expect(terms.id == "zynteglo-ti")
        #expect(terms.unitPrice == usd(2_800_000))
        #expect(terms.effective == EffectivePeriod(from: day("2026-01-01"), to: day("2027-12-31")))
        #expect(terms.payment.upfront == .whole && terms.payment.installments == nil)
        #expect(terms.measures == [
            OutcomeMeasure(id: "ti", kind: .transfusionIndependence(forMonths: 12), window: .months(24), graceDays: 60, missingData: .assumeNotMet)
        ])
        #expect(terms.consequences == [Consequence(id: "ti-refund", measure: "ti", when: .notMet, action: .refund(.share(Share(percent: 80))))])
        #expect(terms.fee == MediatorFee(basis: .basisPoints(25), paidBy: .manufacturer))
        #expect(terms.parties.payers == nil)
        #expect(terms.portability.rule == .staysWithPayingPayer)
    }

    @Test func jsonIsAContractFileToo() throws {
        let json = """
            {
              "format": "curepath.contract/v1", "id": "json-contract", "version": 1,
              "parties": {"manufacturer": "mfr-a", "payers": ["pay-a", "pay-b"], "mediator": "curepath"},
              "product": "prd-a", "unitPrice": "1000000.00 USD", "effective": {"from": "2026-01-01"},
              "payment": {"upfront": "100%"},
              "measures": [{"id": "alive", "kind": "aliveAt", "window": {"months": 12}, "graceDays": 30, "missingData": {"extendDays": 90}}],
              "consequences": [{"id": "death-rebate", "measure": "alive", "when": "notMet", "rebate": "250000.00 USD"}],
              "portability": {"rule": "mediatorPool", "benefitYears": 3}
            }
            """
        let terms = try ContractFile.parse(json)
        #expect(terms.parties.payers == ["pay-a", "pay-b"])
        #expect(terms.measures[0].missingData == .extend(days: 90))
        #expect(terms.consequences[0].action == .rebate(.money(usd(250_000))))
        #expect(terms.benefitYears == 3)
    }

    @Test func aBadFileIsRefusedWithEveryProblemItsPathAndLine() {
        let yaml = """
            format: curepath.contract/v1
            id: bad contract
            version: 2
            parties:
              manufacturer: mfr-x
              payers: any
              mediator: curepath
              lawyer: someone
            product: prd-x
            unitPrice: -5.00 USD
            effective:
              from: 2027-01-01
              to: 2026-01-01
            payment:
              upfront: 120%
            measures:
              - id: ti
                kind: transfusionIndependence
                forMonths: twelve
                window: { months: 24 }
                graceDays: 60
                missingData: assumeNotMet
              - id: alive
                kind: aliveAt
                window: { months: "12" }
                graceDays: 0
                missingData: hope
            consequences:
              - id: refund
                measure: tii
                when: notMet
                refund: 80%
            limits:
              maximumReturn: 10%
              minimumReturn: 20%
            portability: staysWithPayingPayer
            """
        #expect {
            _ = try ContractFile.parse(yaml)
        } throws: { error in
            guard let error = error as? FileValidationError else { return false }
            let found = error.issues.map { "\($0.line ?? 0) \($0.path)" }
            #expect(found == [
                "1 amends", "2 id", "8 parties.lawyer", "10 unitPrice", "13 effective.to", "15 payment.upfront",
                "19 measures[0].forMonths", "25 measures[1].window.months", "27 measures[1].missingData",
                "30 consequences[0].measure", "35 limits.minimumReturn",
            ], "got:\n\(error)")
            let rules = Dictionary(error.issues.map { ($0.path, $0.rule) }, uniquingKeysWith: { first, _ in first })
            #expect(rules["parties.lawyer"] == "unknown-key")
            #expect(rules["unitPrice"] == "negative")
            #expect(rules["payment.upfront"] == "percentage")
            #expect(rules["effective.to"] == "date-order")
            #expect(rules["consequences[0].measure"] == "reference")
            #expect(rules["limits.minimumReturn"] == "cap-floor")
            #expect(error.issues.first { $0.path == "measures[1].missingData" }?.problem.contains("assumeMet, assumeNotMet, escalate") == true)
            #expect(error.issues.first { $0.path == "measures[1].window.months" }?.problem.contains("not quoted text") == true)
            return true
        }
    }

    @Test func wrongTypesAndMisspellingsAreNamed() {
        let yaml = """
            format: curepath.contract/v1
            id: c
            version: 1
            parties: [mfr-x]
            product: prd-x
            unitPrice: 100.00 USD
            effective: { from: 2026-13-01 }
            payment: { upfront: 100% }
            measures:
              - { id: m, kind: noHospitalisation, window: { months: 12 }, graceDays: 0, missingData: escalate }
            consequences:
              - { id: c1, measure: m, when: notMet, refund: 10%, bonus: 5% }
              - { id: c2, measure: m, when: met, stopInstallments: yes }
            portability: { rule: followCurrentPayer }
            """
        #expect {
            _ = try ContractFile.parse(yaml)
        } throws: { error in
            guard let error = error as? FileValidationError else { return false }
            let byPath = Dictionary(error.issues.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byPath["parties"]?.problem.contains("must be a mapping") == true)
            #expect(byPath["effective.from"]?.line == 7)
            #expect(byPath["measures[0].kind"]?.problem.contains("did you mean noHospitalization?") == true)
            #expect(byPath["consequences[0]"]?.problem.contains("2 actions") == true)
            #expect(byPath["consequences[1].stopInstallments"]?.problem.contains("true or false") == true)
            #expect(byPath["portability.rule"]?.problem.contains("did you mean followsCurrentPayer?") == true)
            return true
        }
    }

    @Test func businessRulesAreChecked() throws {
        let base = try exampleContract("lyfgenia-confirmed-benefit")
        var terms = base
        terms.payment.installments = nil
        #expect(terms.issues.map(\.field) == ["payment.upfront"])
        terms = base
        terms.payment.installments?.payableIf = ["nowhere"]
        #expect(terms.issues.map(\.rule) == ["reference"])
        terms = base
        terms.reserve = WarrantyReserve(share: Share(percent: 60), releaseAfterMonths: 12)
        #expect(terms.issues.map(\.field) == ["reserve.share"])
        terms = base
        terms.consequences = [Consequence(id: "r", measure: "no-voe-18m", when: .notMet, action: .refund(.money(usd(4_000_000))))]
        #expect(terms.issues.map(\.rule) == ["exceeds-price"])
        terms = base
        terms.measures.append(terms.measures[0])
        #expect(terms.issues.map(\.rule) == ["unique"])
        #expect(throws: ValidationError.self) { try terms.validated() }
    }

    @Test func hostileContractFilesAreRefusedWithoutCrashing() {
        func refusal(_ text: String) -> FileValidationError.Issue? {
            do {
                _ = try ContractFile.parse(text)
                return nil
            } catch {
                return error.issues.first
            }
        }
        let head = "format: curepath.contract/v1\nid: c\nversion: 1\n"
        // Deep flow nesting, deep block nesting, and brackets hidden after a stray quote.
        #expect(refusal(head + "title: " + String(repeating: "[", count: 200_000))?.rule == "depth")
        var block = head
        for level in 0..<60 { block += String(repeating: "  ", count: level) + "k\(level):\n" }
        #expect(refusal(block)?.rule == "depth")
        #expect(refusal(head + "title: a \"b\nx: " + String(repeating: "[", count: 5_000))?.rule == "depth")
        // Anchors and aliases (a billion laughs) and tags.
        let laughs = head + "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
        #expect(refusal(laughs)?.rule == "anchors")
        #expect(refusal(laughs)?.line == 4)
        #expect(refusal(head + "title: !!binary aGVsbG8=\n")?.rule == "tags")
        // Size and encoding.
        #expect(refusal(head + "title: " + String(repeating: "x", count: ContractFile.maximumBytes))?.rule == "size-limit")
        #expect((try? ContractFile.parse(Array(head.utf8) + [0xFF, 0x0A])) == nil)
        do {
            _ = try ContractFile.parse(Array(head.utf8) + [0xC0, 0x80])
        } catch {
            #expect(error.issues.first?.line == 4 && error.issues.first?.rule == "encoding")
        }
        // Numbers too large for 64-bit cents, or for a count.
        let huge = """
            format: curepath.contract/v1
            id: c
            version: 99999999999999999999999999
            parties: { manufacturer: m, payers: any, mediator: x }
            product: p
            unitPrice: 99999999999999999999999.00 USD
            effective: { from: 2026-01-01 }
            payment: { upfront: 100% }
            portability: staysWithPayingPayer
            """
        do {
            _ = try ContractFile.parse(huge)
            Issue.record("a huge number was accepted")
        } catch {
            #expect(error.issues.map(\.path) == ["version", "unitPrice"])
            #expect(error.issues.allSatisfy { $0.problem.contains("too large") })
        }
        // Syntax errors, duplicate keys, control characters and empty files have lines too.
        #expect(refusal(head + "title: [unclosed\n")?.rule == "syntax")
        #expect(refusal(head + "id: again\n")?.rule == "unique")
        #expect(refusal(head + "title: a\u{07}b\n")?.line == 4)
        #expect(refusal("   \n")?.problem.contains("empty") == true)
        #expect(refusal("[1, 2]")?.problem.contains("must be a mapping") == true)
    }

    @Test("the contract reader's anchor ban holds against explicit keys, merge keys and anchors anywhere, at the anchor's line and column")
    func anchorsCannotBeSmuggledIn() {
        func refusal(_ text: String) -> (issue: FileValidationError.Issue?, seconds: Double) {
            let started = ContinuousClock.now
            var issue: FileValidationError.Issue?
            do {
                _ = try ContractFile.parse(text)
            } catch {
                issue = error.issues.first
            }
            let elapsed = ContinuousClock.now - started
            return (issue, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        let head = "format: curepath.contract/v1\nid: c\nversion: 1\n"
        // The bypass of the old text scan: `? ` before the anchor hid it.
        var bomb = head + "? &a0 [x, x]\n: 0\n"
        for level in 1...20 { bomb += "? &a\(level) [*a\(level - 1), *a\(level - 1)]\n: \(level)\n" }
        bomb += "? *a8\n: z\n"
        let (issue, seconds) = refusal(bomb)
        #expect(issue?.description == "line 4, column 3: anchors and aliases are not allowed in contract files (found the anchor &a0); write each value out in full [anchors]")
        #expect(seconds < 10)
        #expect(refusal(head + "? *a8\n: z\n").issue?.description.hasPrefix("line 4, column 3: anchors and aliases are not allowed in contract files (found the alias *a8)") == true)
        #expect(refusal(head + "title:\n  <<: *base\n").issue?.description.hasPrefix("line 5, column 3: merge keys (<<) are not allowed in contract files") == true)
        #expect(refusal(head + "parties: {manufacturer: &m mfr-1}\n").issue?.description.hasPrefix("line 4, column 25: anchors and aliases") == true)
        let item = refusal(head + "payment:\n  - &x 1\n").issue
        #expect(item?.line == 5 && item?.column == 5 && item?.rule == "anchors")
        let tag = refusal(head + "title: !custom x\n").issue
        #expect(tag?.line == 4 && tag?.column == 8 && tag?.rule == "tags")
    }

    @Test("every limit in ContractFile.limits is enforced with a message naming it, quickly")
    func limits() {
        let head = "format: curepath.contract/v1\nid: c\nversion: 1\n"
        let cases: [(String, String)] = [
            (head + "title: " + String(repeating: "{a: ", count: 10_000), "line 4, column "),
            (head + "title: " + String(repeating: "{a: ", count: 10_000), "is nested deeper than 32 levels [depth]"),
            (head + "title: [" + Array(repeating: "[]", count: 25_000).joined(separator: ",") + "]", "has more than 20000 values; contract files are not that large [size-limit]"),
            (head + "title: \"" + String(repeating: "x", count: 20_000) + "\"", "line 4, column 8: a value is 19 KB; no value in a contract file may be longer than 16 KB [size-limit]"),
            (head + "title: " + String(repeating: "x", count: 5 * 1_048_576), "the file is 5 MB; a contract file may be at most 1 MB [size-limit]"),
        ]
        for (text, expected) in cases {
            let started = ContinuousClock.now
            var description = ""
            do {
                _ = try ContractFile.parse(text)
            } catch {
                description = error.description
            }
            #expect(description.contains(expected), "\(description.prefix(200)) does not say \(expected)")
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }
}

