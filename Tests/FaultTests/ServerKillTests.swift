import CurePathTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Outcomes
import Storage
import Testing

/// SIGKILL the server in the middle of a batch write — a large outcome event import, one
/// transaction — then show that the database holds none of the batch, that it is intact,
/// and that sending the same batch to the restarted server records it exactly once.
/// (`scripts/kill-test` does the same to `curepath demo`'s network load at four moments.)
@Suite("killing the server mid-batch", .serialized)
struct ServerKillTests {
    /// A running `curepath serve` on a SQLite file.
    final class Server {
        let process = Process()
        let port: Int

        init(database: String, log: URL) async throws {
            process.executableURL = CurePathProcess.executable
            process.arguments = ["serve", "--port", "0", "--no-demo", "--database", database]
            var environment = ProcessInfo.processInfo.environment
            environment["CUREPATH_LOG_LEVEL"] = "info"
            environment["CUREPATH_DATABASE_URL"] = nil
            process.environment = environment
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            var output = ""
            let deadline = Date().addingTimeInterval(60)
            while !output.contains("listening on"), process.isRunning, Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
                output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            }
            guard let line = output.split(separator: "\n").first(where: { $0.contains("listening on") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
            else { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "server did not start: \(output)"]) }
            self.port = port
        }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    static func post(_ csv: Data, to port: Int, token: String) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/outcome-events")!)
        request.httpMethod = "POST"
        request.setValue("text/csv", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 300
        let (data, response) = try await URLSession.shared.upload(for: request, from: csv)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    static func storedEvents(_ path: String) async throws -> (events: [OutcomeEvent], integrity: String) {
        let store = try await Store.open(.sqliteFile(path: path))
        do {
            let events = try await store.outcomes.allEvents()
            let integrity = try await store.database.withConnection { db in
                try await db.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self) ?? "?"
            }
            await store.close()
            return (events, integrity)
        } catch {
            await store.close()
            throw error
        }
    }

    @Test("SIGKILL during an outcome import leaves none of the batch; the re-sent batch is recorded exactly once")
    func killDuringImport() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curepath-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("kill.sqlite").path
        try #require(try CurePathProcess.run(["demo", "--cases", "300", "--database", database]).status == 0)
        let issued = try CurePathProcess.run(["admin", "issue-token", "--email", "operator@mediator.demo", "--days", "1", "--database", database])
        try #require(issued.status == 0, "\(issued.stderr)")
        let token = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // 150,000 events over the demo's patients: tens of megabytes of pages in one transaction.
        var csv = "id,patient_id,date,kind,reason,test,value,unit,source,recorded_on,corrects\n"
        let count = 150_000
        for index in 1...count {
            let patient = String(format: "pat-%05d", index % 300 + 1)
            let day = String(format: "2025-%02d-%02d", index % 12 + 1, index % 28 + 1)
            switch index % 3 {
            case 0: csv += "oe-\(index),\(patient),\(day),transfusion,,,,,kill-test,2026-01-15,\n"
            case 1: csv += "oe-\(index),\(patient),\(day),lab-value,,hemoglobin,\(index % 90 + 60).\(index % 10),g/L,kill-test,2026-01-15,\n"
            default: csv += "oe-\(index),\(patient),\(day),hospitalization,vaso-occlusive-event,,,,kill-test,2026-01-15,\n"
            }
        }
        let body = Data(csv.utf8)
        let expected = try OutcomeEventFile.parse(body, format: .csv, receivedOn: .init(year: 2026, month: 1, day: 15)!)

        // The demo network comes with some outcome events of its own.
        let before = try await Self.storedEvents(database).events

        // 1. Kill the server once the batch is being written.
        let first = try await Server(database: database, log: directory.appendingPathComponent("first.log"))
        let baseline = CurePathProcess.bytesWritten(by: first.process)
        let port = first.port
        let upload = Task { try? await Self.post(body, to: port, token: token) }
        let killedMidWrite = try await CurePathProcess.kill(first.process, afterWriting: 4 << 20, since: baseline, within: 120)
        let answered = await upload.value
        first.stop()
        #expect(killedMidWrite, "the import never started writing")
        #expect(answered == nil, "the import finished before the kill: \(String(describing: answered))")

        // 2. None of the batch is there, and the database is intact.
        let afterKill = try await Self.storedEvents(database)
        #expect(afterKill.events == before, "\(afterKill.events.count - before.count) events survived a kill before commit")
        #expect(afterKill.integrity == "ok")

        // 3. The same batch sent to the restarted server is recorded once, exactly as sent.
        let second = try await Server(database: database, log: directory.appendingPathComponent("second.log"))
        defer { second.stop() }
        let retried = try await Self.post(body, to: second.port, token: token)
        #expect(retried.status == 201, "\(retried.body)")
        #expect(retried.body.contains("\"recorded\":\(count)") || retried.body.contains("\"recorded\" : \(count)"))
        let again = try await Self.post(body, to: second.port, token: token)
        #expect(again.status == 200)
        second.stop()
        let final = try await Self.storedEvents(database)
        #expect(final.events.count == before.count + count)
        // Exactly as sent, but for the source: the server records who sent each event.
        let byID = Dictionary(uniqueKeysWithValues: (expected + before).map { ($0.id, $0) })
        let senders = Set(final.events.filter { byID[$0.id]?.source != $0.source }.map(\.source))
        #expect(final.events.allSatisfy { event in
            var sent = byID[event.id]
            if before.contains(where: { $0.id == event.id }) == false { sent?.source = event.source }
            return sent == event
        })
        #expect(senders.count <= 1, "events of one batch were recorded under several sources: \(senders)")
        #expect(final.integrity == "ok")
    }
}
