import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Server
import Storage
import Testing

/// Keeps every log line the app writes, at every level, so a test can look for identifiers.
final class CapturedLogs: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    var text: String { lines.withLockedValue { $0.joined(separator: "\n") } }

    func handler(label: String) -> any LogHandler { Handler(label: label, logs: self) }

    struct Handler: LogHandler {
        var label: String
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            let all = self.metadata.merging(metadata ?? [:]) { $1 }
            logs.lines.withLockedValue { $0.append("\(level) \(label) \(message) \(all)") }
        }
    }
}

@Suite("Identifiers stay out of the logs")
struct LogPrivacyTests {
    @Test("registering, rereading and fumbling a patient's identifiers logs none of them, even at trace level")
    func noIdentifiersInLogs() async throws {
        let logs = CapturedLogs()
        let store = try await Store.open(.sqliteInMemory)
        try await DemoLoader.load(TestApp.demo, into: store)
        var configuration = AppConfiguration()
        configuration.loadDemo = false
        configuration.clock = { TestApp.now }
        var logger = Logger(label: "curepath-test", factory: { logs.handler(label: $0) })
        logger.logLevel = .trace
        let app = Application(router: try await buildRouter(configuration, store: store), logger: logger)
        let token = try await TestApp.token(for: .identitySteward, in: store)
        try await app.test(.router) { base in
            let client = AuthorizedClient(base: base, token: token)
            let patient: [String: Any] = [
                "id": "pat-private-1", "birthYear": 1958, "sex": "female",
                "identifiers": ["givenName": "Zenobia", "familyName": "Quartermaine", "birthDate": "1958-07-14", "postalCode": "97229", "phone": "555-0142"],
            ]
            #expect(try await client.execute(uri: "/api/v1/patients", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(patient)) { $0.status } == .created)
            var wrong = patient
            wrong["birthYear"] = "Zenobia Quartermaine"
            #expect(try await client.execute(uri: "/api/v1/patients", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(wrong)) { $0.status } == .badRequest)
            var mismatched = patient
            mismatched["birthYear"] = 1959
            #expect(try await client.execute(uri: "/api/v1/patients", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(mismatched)) { $0.status }.code >= 400)
            _ = try await client.execute(uri: "/api/v1/patients/pat-private-1", method: .get) { $0 }
        }
        await store.close()
        let text = logs.text
        #expect(!text.isEmpty, "nothing was logged: the test would prove nothing")
        for secret in ["Zenobia", "Quartermaine", "1958-07-14", "97229", "555-0142"] {
            #expect(!text.contains(secret), "\(secret) appeared in the logs")
        }
    }
}
