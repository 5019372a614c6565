import Foundation
import Testing
@testable import Core

private enum WidgetTag {}
private typealias WidgetID = Identifier<WidgetTag>

@Suite("Identifier and ValidationError")
struct IdentifierTests {
    @Test("accepts letters, digits, '-', '_' and '.'", arguments: ["case-00001", "ctr_mdacc.v2", "A", String(repeating: "x", count: 64)])
    func valid(raw: String) throws {
        #expect(try WidgetID.validated(raw, field: "id").rawValue == raw)
    }

    @Test("refuses empty, long and other characters", arguments: [
        "", String(repeating: "x", count: 65), "case 1", "case/1", "café", "case-1\n", "'; DROP TABLE cases; --",
    ])
    func invalid(raw: String) throws {
        let error = #expect(throws: ValidationError.self) { try WidgetID.validated(raw, field: "caseID") }
        let issue = try #require(error?.issues.first)
        #expect(issue.field == "caseID")
        #expect(issue.problem.contains("1 to 64"))
        #expect(issue.rule == nil)
    }

    @Test func errorTextQuotesAtMost80CharactersOfTheInput() throws {
        let raw = String(repeating: "y", count: 200)
        let error = #expect(throws: ValidationError.self) { try WidgetID.validated(raw, field: "id") }
        #expect(error?.description.contains(String(repeating: "y", count: 80) + "\"") == true)
        #expect(error?.description.contains(String(repeating: "y", count: 81)) == false)
    }

    @Test func encodesAsABareString() throws {
        let id = WidgetID("w-1")
        #expect(String(data: try JSONEncoder().encode([id]), encoding: .utf8) == "[\"w-1\"]")
        #expect(try JSONDecoder().decode([WidgetID].self, from: Data("[\"w-2\"]".utf8)) == [WidgetID("w-2")])
    }

    @Test func validationErrorDescriptionNamesFieldAndRule() {
        let error = ValidationError(issues: [
            .init(field: "date", problem: "is in the future", rule: "time-order"),
            .init(field: "reason", problem: "is required"),
        ])
        #expect(error.description == "date: is in the future [time-order]; reason: is required")
        #expect(NotFoundError(entity: "case", id: "case-9").description == "case 'case-9' does not exist")
    }
}
