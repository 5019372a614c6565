import CareNetwork
import Core
import Foundation
import HummingbirdTesting
import NIOCore
import Outcomes
import Storage
import Testing

/// A large CSV upload is checked whole, then read and recorded a chunk at a time in one
/// transaction (`OutcomeCSVChunks`, `OutcomeBatchCheck`): still every event exactly once, or
/// none — whether the bad event is caught by the file's checks or by the store's, deep in
/// the file after many chunks have been inserted. (Memory is measured by hand, not here:
/// docs/PERFORMANCE.md, "Large outcome uploads".)
@Suite("Large outcome uploads", .serialized)
struct LargeOutcomeUploadTests {
    static let eventCount = 200_000

    /// A handful of the coordinator's center's patients.
    static let patients: [PatientID] = {
        var seen: [PatientID] = []
        for demoCase in TestApp.demo.cases where demoCase.record.centerID == TestApp.coordinatorCenter && !seen.contains(demoCase.record.patientID) {
            seen.append(demoCase.record.patientID)
        }
        return Array(seen.prefix(5))
    }()

    /// `count` valid transfusions and hemoglobin values in 2025 (before any of them was
    /// infused or not, these kinds may be dated so); `replace` swaps in other rows by line.
    static func csv(count: Int, replace: [Int: (Int) -> String] = [:]) -> String {
        var text = "id,patient_id,date,kind,reason,test,value,unit,source,recorded_on,corrects\n"
        text.reserveCapacity(count * 80)
        for index in 1...count {
            if let row = replace[index + 1] { text += row(index) + "\n"; continue }
            let patient = patients[index % patients.count]
            let day = "2025-\(index % 12 + 1 < 10 ? "0" : "")\(index % 12 + 1)-\(index % 28 + 1 < 10 ? "0" : "")\(index % 28 + 1)"
            if index % 2 == 0 {
                text += "big-\(index),\(patient),\(day),transfusion,,,,,registry-extract,2026-01-15,\n"
            } else {
                text += "big-\(index),\(patient),\(day),lab-value,,hemoglobin,\(index % 10 + 6).\(index % 10),g/dL,registry-extract,2026-01-15,\n"
            }
        }
        return text
    }

    static func post(_ csv: String, _ client: any TestClientProtocol) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/outcome-events", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: csv)) { $0 }
    }

    @Test("200,000 events are recorded exactly, once; the same file again records nothing")
    func largeFileRecordedExactly() async throws {
        try #require(Self.patients.count == 5)
        let csv = Self.csv(count: Self.eventCount)
        let sent = try OutcomeEventFile.parse(csv, format: .csv, receivedOn: TestApp.today)
        try await TestApp.run { client, store in
            let first = try await Self.post(csv, client)
            #expect(first.status == .created, "\(first.text.prefix(500))")
            #expect(first.object["recorded"] as? Int == Self.eventCount)

            let stored = try await store.outcomes.allEvents()
            #expect(stored.count == Self.eventCount)
            // Exactly as sent, but for the source: the server records who sent each event.
            let storedByID = Dictionary(uniqueKeysWithValues: stored.map { ($0.id, $0) })
            let senders = Set(stored.map(\.source))
            #expect(senders.count == 1 && senders.first != "registry-extract")
            #expect(sent.allSatisfy { event in
                var expected = event
                expected.source = senders.first ?? ""
                return storedByID[event.id] == expected
            })

            let again = try await Self.post(csv, client)
            #expect(again.status == .ok)
            #expect(again.object["alreadyRecorded"] as? Int == Self.eventCount)
            #expect(try await store.outcomes.count() == Self.eventCount)
        }
    }

    /// Twelve chunks: enough for the bad event to come after many inserted ones.
    static let refusedCount = 60_000

    @Test("a bad date on line 58,001 refuses the whole file, naming the line; nothing is written")
    func badRowDeepInFile() async throws {
        let csv = Self.csv(count: Self.refusedCount, replace: [58_001: { "big-\($0),\(Self.patients[0]),2025-02-30,transfusion,,,,,registry-extract,," }])
        try await TestApp.run { client, store in
            let refused = try await Self.post(csv, client)
            #expect(refused.status == .unprocessableContent)
            let errors = refused.object["errors"] as? [[String: Any]] ?? []
            #expect(errors.compactMap { $0["field"] as? String } == ["line 58001: date"], "\(refused.text.prefix(500))")
            #expect(try await store.outcomes.count() == 0)
        }
    }

    @Test("an unknown patient in the last chunk refuses the whole file after earlier chunks were inserted; nothing is written")
    func storeRefusalDeepInFile() async throws {
        // Every row is a valid row; only the store knows there is no such patient, and it
        // finds out after the first 55,000 events have been inserted in the transaction.
        let csv = Self.csv(count: Self.refusedCount, replace: [59_001: { "big-\($0),pat-nobody,2025-03-03,transfusion,,,,,registry-extract,," }])
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let refused = try await Self.post(csv, client)
            #expect(refused.status == .unprocessableContent)
            let errors = refused.object["errors"] as? [[String: Any]] ?? []
            #expect(errors.compactMap { $0["field"] as? String } == ["events[58999].patientId"], "\(refused.text.prefix(500))")
            #expect(try await store.outcomes.count() == 0)
        }
    }
}
