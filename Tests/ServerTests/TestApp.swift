import CareNetwork
import Core
import DemoNetwork
import Foundation
import Hummingbird
import HummingbirdTesting
import Journey
import NIOCore
import Server
import Storage

/// An in-process CurePath over in-memory SQLite with a small demo network, its clock fixed
/// at the demo's "today" so dates in assertions do not drift.
enum TestApp {
    static let today = CalendarDate(year: 2026, month: 11, day: 23)!
    static let now = Date(timeIntervalSince1970: Double(today.daysSinceEpoch) * 86_400 + 15 * 3600)
    static let demo = DemoNetwork.build(seed: 11, caseCount: 60, today: today)

    static func run<T: Sendable>(_ test: @Sendable (any TestClientProtocol, Store) async throws -> T) async throws -> T {
        let store = try await Store.open(.sqliteInMemory)
        do {
            try await DemoLoader.load(demo, into: store)
            var configuration = AppConfiguration()
            configuration.loadDemo = false
            configuration.clock = { now }
            let app = Application(router: try await buildRouter(configuration, store: store))
            let result = try await app.test(.router) { client in try await test(client, store) }
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    static func json(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(data: try! JSONSerialization.data(withJSONObject: object))
    }

    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    /// The first demo case that is still open, with its journey.
    static func openCase() throws -> DemoCase {
        try demo.cases.first { try $0.journey().status == .open }!
    }
}

extension TestResponse {
    /// The body parsed as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }
}
