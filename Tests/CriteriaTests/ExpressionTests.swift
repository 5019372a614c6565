import Testing
import Outcomes
import Criteria

@Suite("Criteria expressions")
struct ExpressionTests {
    @Test func parsesWithPrecedence() throws {
        let expression = try CriteriaExpression.parse("labs.ldh <= 2 * uln.ldh or not exclusions.activeInfection and age < 70").get()
        guard case .or(let left, let right) = expression.root else { Issue.record("or is loosest"); return }
        #expect(left == .compare(.lessOrEqual, .fact(.lab(LabCode(rawValue: "ldh"))), .arithmetic(.times, .number(dec("2")), .fact(.upperLimitOfNormal(LabCode(rawValue: "ldh"))))))
        guard case .and(.not(.fact(.exclusion(.activeInfection))), .compare(.less, .fact(.age), .number)) = right else {
            Issue.record("and binds tighter than or, not tighter than and: \(right)")
            return
        }
        #expect(expression.facts.map(\.description) == ["labs.ldh", "uln.ldh", "exclusions.activeInfection", "age"])
    }

    @Test(arguments: [
        ("labs.lvfe >= 50", 1, "unknown fact 'labs.lvfe' (did you mean labs.lvef?)"),
        ("age + 1", 1, "must be a condition"),
        ("age >= 18 and 5", 15, "'and' needs a condition, but this is a number"),
        ("not age", 5, "'not' needs a condition"),
        ("exclusions.cnsInvolvement < 3", 1, "'<' needs a number, but this is a condition"),
        ("age = 18", 5, "unexpected character '=' (use == to compare)"),
        ("(age > 18", 10, "expected ')' to close the '(' at column 1"),
        ("18 < age < 80", 10, "comparisons cannot be chained"),
        ("age > 1.2.3", 7, "'1.2.3' is not a number"),
        ("", 1, "is empty"),
        ("age > 18 age", 10, "expected an operator"),
    ])
    func refusesWithColumn(source: String, column: Int, problem: String) {
        switch CriteriaExpression.parse(source) {
        case .success: Issue.record("\(source) should be refused")
        case .failure(let error):
            #expect(error.column == column, "\(source): \(error)")
            #expect(error.problem.contains(problem), "\(source): \(error)")
        }
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        let source = String(repeating: "(", count: 10_000) + "age > 1" + String(repeating: ")", count: 10_000)
        guard case .failure = CriteriaExpression.parse(source) else { Issue.record("should be refused"); return }
        let nots = String(repeating: "not ", count: 200) + "true"
        guard case .failure(let error) = CriteriaExpression.parse(nots) else { Issue.record("should be refused"); return }
        #expect(error.problem.contains("nested"))
    }

    @Test func exactArithmetic() {
        #expect(dec("2").multiplied(by: dec("222")) == dec("444"))
        #expect(dec("1.5").multiplied(by: dec("0.1")) == dec("0.15"))
        #expect(dec("0.1").adding(dec("0.2")) == dec("0.3"))
        #expect(dec("5").subtracting(dec("7.25")) == dec("-2.25"))
    }
}
