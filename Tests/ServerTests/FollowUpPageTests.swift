import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Outcomes
import Storage
import Testing

@Suite("Follow-up page")
struct FollowUpPageTests {
    @Test("a center sees its visits due and overdue and its completeness; an uploaded assessment completes a visit; other centers' pages are not found")
    func page() async throws {
        try await TestApp.run { client, store in
            let center = TestApp.coordinatorCenter.rawValue
            let before = try await client.execute(uri: "/centers/\(center)/follow-up", method: .get) { $0 }
            #expect(before.status == .ok)
            #expect(before.text.contains("id=\"follow-up\""))
            #expect(before.text.contains("href=\"/centers/\(center)/follow-up\">Follow-up</a>"))
            // An infused patient of this center with an overdue visit, if the demo has one: an assessment inside the window completes it.
            let infused = TestApp.demo.cases.filter { $0.record.centerID == TestApp.coordinatorCenter && (try? $0.journey().status) == .infused }
            let overdueBefore = Int(before.text.components(separatedBy: "id=\"overdue-visits\">").dropFirst().first?.prefix { $0.isNumber } ?? "") ?? -1
            #expect(overdueBefore >= 0)
            if let demoCase = infused.first, let infusion = try demoCase.journey().closedOn, overdueBefore > 0 {
                let history = try await store.outcomes.events(of: demoCase.record.patientID)
                let window = infusion.adding(days: 30)
                if !history.contains(where: { $0.date >= infusion.adding(days: 23) && $0.date <= infusion.adding(days: 37) }), window <= TestApp.today {
                    _ = try await store.outcomes.record([OutcomeEvent(id: "fu-test-1", patientID: demoCase.record.patientID, date: window, kind: .responseAssessment,
                                                                      value: "complete", source: "test", recordedOn: TestApp.today)])
                    let after = try await client.execute(uri: "/centers/\(center)/follow-up", method: .get) { $0 }
                    let overdueAfter = Int(after.text.components(separatedBy: "id=\"overdue-visits\">").dropFirst().first?.prefix { $0.isNumber } ?? "") ?? -1
                    #expect(overdueAfter == overdueBefore - 1)
                }
            }
            let other = TestApp.demo.centers[1].id.rawValue
            #expect(try await client.execute(uri: "/centers/\(other)/follow-up", method: .get) { $0 }.status == .notFound)
        }
    }
}
