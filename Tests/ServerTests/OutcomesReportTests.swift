import Access
import CareNetwork
import Core
import DemoNetwork
import Foundation
import HTTPTypes
import HummingbirdTesting
import Outcomes
import Testing

@Suite("Outcomes report")
struct OutcomesReportTests {
    @Test("the network's survival curve is drawn; a slice under 11 patients shows '<11' and withholds the estimate; a manufacturer reads it too")
    func suppression() async throws {
        try await TestApp.run(as: .manufacturerAnalyst) { client, _ in
            let all = try await client.execute(uri: "/reports/outcomes", method: .get) { $0 }
            #expect(all.status == .ok)
            let count = Int(all.text.components(separatedBy: "id=\"patients\">").dropFirst().first?.prefix { $0.isNumber } ?? "") ?? 0
            #expect(count >= 11)
            #expect(all.text.contains("<svg id=\"survival-chart\""))
            #expect(all.text.contains("95% CI"))
            // The smallest slice of one center and one product: under 11 patients, nothing derived is shown.
            let small = try await client.execute(uri: "/reports/outcomes?center=\(TestApp.demo.centers[0].id.rawValue)&product=prd-lyfgenia", method: .get) { $0 }
            #expect(small.text.contains("id=\"patients\">&lt;11</span>") || small.text.contains("id=\"patients\"><11</span>"))
            #expect(!small.text.contains("survival-chart"))
            #expect(small.text.contains("withheld"))
            // No count between 1 and 10 appears in any per-year row.
            for cell in all.text.components(separatedBy: "<td class=\"num\">").dropFirst() {
                if let value = Int(cell.prefix { $0.isNumber }) { #expect(value >= 11) }
            }
        }
    }

    @Test("the demo network's one-year survival is in the range the pivotal trials report, not a flat 100%")
    func believableSurvival() async throws {
        try await TestApp.run(as: .manufacturerAnalyst) { client, store in
            // The test app loads no outcomes; the demo loader's registry follow-up, with no contracts, covers every infused patient.
            _ = try await store.outcomes.record(DemoOutcomes.build(for: TestApp.demo, contracts: []).events)
            func oneYear(_ query: String) async throws -> Double? {
                let text = try await client.execute(uri: "/reports/outcomes" + query, method: .get) { $0.text }
                guard let range = text.range(of: #"(\d+(\.\d)?)% \(95% CI"#, options: .regularExpression) else { return nil }
                return Double(text[range].prefix { $0.isNumber || $0 == "." })
            }
            // CAR-T in large B-cell lymphoma: 49–59% at one year (JULIET, ZUMA-1, TRANSCEND).
            let yescarta = try #require(try await oneYear("?product=prd-yescarta"))
            #expect((35...80).contains(yescarta))
            let network = try #require(try await oneYear(""))
            #expect((50...90).contains(network))
        }
    }

    @Test("grade ≥3 CRS and ICANS and non-relapse mortality show as rates once their counts reach 11, and are withheld below")
    func toxicityRates() async throws {
        try await TestApp.run(as: .manufacturerAnalyst) { client, store in
            let before = try await client.execute(uri: "/reports/outcomes", method: .get) { $0.text }
            #expect(before.contains("id=\"severe-crs\""))
            #expect(before.contains("withheld (a count below 11)"))
            // Grade 3 CRS for twelve infused patients: now a count, and a rate of the patients infused.
            let infused = TestApp.demo.cases.compactMap { demoCase -> (PatientID, CalendarDate)? in
                guard let journey = try? demoCase.journey(), journey.status == .infused, let day = journey.closedOn else { return nil }
                return (demoCase.record.patientID, day)
            }
            let patients = Dictionary(infused, uniquingKeysWith: { first, _ in first }).sorted { $0.key.rawValue < $1.key.rawValue }.prefix(12)
            #expect(patients.count == 12)
            _ = try await store.outcomes.record(patients.map { patient, infusion in
                OutcomeEvent(id: OutcomeEventID("crs-\(patient)"), patientID: patient, date: min(infusion.adding(days: 3), TestApp.today),
                             kind: .cytokineReleaseSyndrome(grade: 3), source: "test", recordedOn: TestApp.today)
            })
            let after = try await client.execute(uri: "/reports/outcomes", method: .get) { $0.text }
            let row = after.components(separatedBy: "id=\"severe-crs\"").dropFirst().first?.components(separatedBy: "</tr>").first ?? ""
            #expect(row.contains("<td class=\"num\">12</td>"), "\(row)")
            #expect(row.contains("%</td>"))
            // A manufacturer reads aggregates only: no patient's events, no center's follow-up list.
            let patient = patients.first!.key
            #expect(try await client.execute(uri: "/api/v1/patients/\(patient)/outcome-events", method: .get) { $0.status } == .forbidden)
            #expect(try await client.execute(uri: "/centers/\(TestApp.coordinatorCenter)/follow-up", method: .get) { $0.status } == .forbidden)
            #expect(try await client.execute(uri: "/reports/site-burden", method: .get) { $0.status } == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/linkage/records", method: .get) { $0.status } == .forbidden)
        }
    }

    @Test("the mediator compares every center's follow-up and data entry; a center sees its own row only")
    func siteBurden() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let page = try await client.execute(uri: "/reports/site-burden", method: .get) { $0 }
            #expect(page.status == .ok)
            for center in TestApp.demo.centers { #expect(page.text.contains("id=\"center-\(center.id)\"")) }
            #expect(page.text.contains("href=\"/reports/site-burden\">Site burden</a>"))
        }
        try await TestApp.run { client, store in
            let page = try await client.execute(uri: "/reports/site-burden", method: .get) { $0.text }
            #expect(page.contains("id=\"center-\(TestApp.coordinatorCenter)\""))
            #expect(!page.contains("id=\"center-\(TestApp.demo.centers[1].id)\""))
            let followUp = try await client.execute(uri: "/centers/\(TestApp.coordinatorCenter)/follow-up", method: .get) { $0.text }
            #expect(followUp.contains("id=\"fields-per-patient-year\""))
        }
    }
}
