import Foundation
import Testing
import Core
import CareNetwork
import Outcomes
import Criteria

@Suite("Criteria files")
struct CriteriaFileTests {
    @Test(arguments: [regional, heartland, nationalHealth])
    func everyExampleParses(name: String) throws {
        let set = try exampleCriteria(name)
        #expect(set.product == "prd-yescarta")
        #expect(!set.criteria.isEmpty)
    }

    @Test func thePivotalTrialExampleReadsAsWritten() throws {
        let set = try exampleCriteria(nationalHealth)
        #expect(set.id == "nha-yescarta-lbcl")
        #expect(set.owner == .payer("pay-national-health"))
        #expect(set.basis == .pivotalTrial)
        #expect(set.effectiveFrom == day("2026-03-01") && set.effectiveTo == nil)
        #expect(set.criteria.map(\.key) == [
            "diagnosis", "priorLines", "age", "ecog", "organ.creatinineClearance", "organ.lvef", "organ.bilirubin",
            "exclusion.activeInfection", "exclusion.cnsInvolvement", "exclusion.priorCarT", "pretest.echo", "pretest.id-panel",
            "pretest.pft", "expr.ldh-limit", "expr.spo2-above-92",
        ])
        #expect(set.criterion("organ.bilirubin")?.rule == .organ(OrganThreshold(lab: .bilirubin, bound: .atMost, value: dec("1.5"), withinDays: 14)))
        #expect(set.criterion("priorLines")?.rule == .priorLines(PriorLinesRule(minimum: 2, requiredClasses: ["anti-cd20", "anthracycline"], refractoryOrRelapsedWithinMonths: 12)))
        #expect(set.criterion("age")?.line == 22)
        #expect(try exampleCriteria(regional).owner == .regionalStandard)
    }

    @Test func jsonIsACriteriaFileToo() throws {
        let json = """
            {"format": "curepath.criteria/v1", "id": "json-set", "version": 3, "payer": "regional-standard",
             "product": "prd-kymriah", "indication": "r/r LBCL", "basis": "pivotal-trial", "effective": {"from": "2026-01-01"},
             "criteria": {"age": {"minimum": 18}, "organFunction": {"lvef": {"atLeast": 45}},
                          "expressions": [{"id": "ldh", "expr": "labs.ldh <= 2 * uln.ldh"}]}}
            """
        let set = try CriteriaFile.parse(json)
        #expect(set.version == 3)
        #expect(set.criteria.map(\.key) == ["age", "organ.lvef", "expr.ldh"])
    }

    @Test func aTypoedKeyPointsAtItsLineWithAHint() {
        let yaml = criteriaFile("""
              age:
                minimum: 18
              ecgo:
                maximum: 1
            """)
        #expect {
            try CriteriaFile.parse(yaml)
        } throws: { error in
            let issue = (error as! CriteriaFileError).issues[0]
            return (error as! CriteriaFileError).issues.count == 1 && issue.line == 13 && issue.column == 3 && issue.path == "criteria.ecgo"
                && issue.problem.contains("did you mean ecog?") && issue.rule == "unknown-key"
        }
    }

    @Test func everyProblemIsReportedWithLineAndWhatWasExpected() {
        let yaml = """
            format: curepath.criteria/v2
            id: bad set
            version: "2"
            payer: pay-x
            product: prd-yescarta
            indication: r/r LBCL
            basis: pivotal_trial
            effective:
              from: 2026-01-01
              to: 2025-01-01
            criteria:
              age: { minimum: 80, maximum: 18 }
              ecog: { maximum: 7 }
              organFunction:
                lvef: { atLeast: 150 }
                troponin: { atMost: 1 }
                bilirubin: { atMost: "1.5" }
              diagnosis: { codes: [lymphoma] }
              exclusions: [activeInfection, cnsInvolvment]
              pretests:
                - { code: echo }
            """
        #expect {
            try CriteriaFile.parse(yaml)
        } throws: { error in
            let issues = (error as! CriteriaFileError).issues
            let byPath = Dictionary(issues.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
            return byPath["format"]?.line == 1 && byPath["id"]?.line == 2 && byPath["version"]?.problem.contains("not quoted text") == true
                && byPath["basis"]?.problem.contains("did you mean pivotal-trial?") == true && byPath["effective.to"]?.rule == "time-order"
                && byPath["criteria.age.maximum"]?.line == 12 && byPath["criteria.ecog.maximum"]?.problem.contains("between 0 and 5") == true
                && byPath["criteria.organFunction.lvef.atLeast"]?.line == 15 && byPath["criteria.organFunction.troponin"]?.rule == "unknown-key"
                && byPath["criteria.organFunction.bilirubin.atMost"] != nil && byPath["criteria.diagnosis.codes[0]"]?.line == 18
                && byPath["criteria.exclusions[1]"]?.problem.contains("did you mean cnsInvolvement?") == true
                && byPath["criteria.pretests[0].withinDays"]?.rule == "required"
                && issues.map { $0.line ?? 0 } == issues.map { $0.line ?? 0 }.sorted()
        }
    }

    @Test func anUnknownFactInAnExpressionPointsAtItsColumn() {
        let yaml = criteriaFile("""
              expressions:
                - id: ldh
                  expr: "labs.ldh <= 2 * uln.ldx"
            """)
        #expect {
            try CriteriaFile.parse(yaml)
        } throws: { error in
            let issue = (error as! CriteriaFileError).issues[0]
            // The quote is at column 13 of line 13, so the expression starts at 14; the fact is at its column 17.
            return issue.line == 13 && issue.column == 30 && issue.path == "criteria.expressions[0].expr"
                && issue.problem.contains("unknown fact 'uln.ldx' (did you mean uln.ldh?)") && issue.rule == "expression"
        }
    }

    @Test func aWronglyTypedExpressionIsRefused() {
        let yaml = criteriaFile("""
              expressions:
                - id: fit
                  expr: ecog and age >= 18
            """)
        #expect {
            try CriteriaFile.parse(yaml)
        } throws: { error in
            let issue = (error as! CriteriaFileError).issues[0]
            return issue.line == 13 && issue.column == 13 && issue.problem.contains("'and' needs a condition, but this is a number")
        }
    }

    @Test func wrongTypesAreRefused() {
        let yaml = criteriaFile("""
              age: 18
              pretests: { code: echo }
            """)
        #expect {
            try CriteriaFile.parse(yaml)
        } throws: { error in
            let issues = (error as! CriteriaFileError).issues
            return issues.count == 2 && issues[0].path == "criteria.age" && issues[0].problem.contains("must be a mapping")
                && issues[1].path == "criteria.pretests" && issues[1].problem.contains("must be a list")
        }
    }

    @Test func yamlSyntaxErrorsHaveALineAndColumn() {
        #expect {
            try CriteriaFile.parse("format: curepath.criteria/v1\nid: [unclosed\n")
        } throws: { error in
            let issue = (error as! CriteriaFileError).issues[0]
            return issue.rule == "syntax" && issue.line != nil && issue.column != nil
        }
    }

    @Test func hostileInputIsRefusedNotCrashed() {
        for text in ["", "   \n", String(repeating: "[", count: 5_000), String(repeating: " ", count: 500) + "a: 1", "- - - - - - - - - -", "\u{0}"] {
            #expect(throws: CriteriaFileError.self) { try CriteriaFile.parse(text) }
        }
        #expect(throws: CriteriaFileError.self) { try CriteriaFile.parse([UInt8](repeating: 0x61, count: CriteriaFile.maximumBytes + 1)) }
        #expect(throws: CriteriaFileError.self) { try CriteriaFile.parse([0x61, 0x3A, 0x20, 0xFF]) }
    }
}
