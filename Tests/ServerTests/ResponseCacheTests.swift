import Access
import CareNetwork
import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Journey
import Server
import Storage
import Testing

/// The response cache must never show data older than the last write: not after a write
/// through this server, not (beyond the poll interval) after a write by another process,
/// and never one caller's view to another.
@Suite("Response and credential caching")
struct ResponseCacheTests {
    static func listTotal(_ client: any TestClientProtocol) async throws -> Int {
        try await client.execute(uri: "/api/v1/cases?limit=1", method: .get) { response in
            #expect(response.status == .ok)
            return response.object["total"] as? Int ?? -1
        }
    }

    @Test("a write through the API is seen by the very next read")
    func readYourWrites() async throws {
        try await TestApp.run { client, _ in
            let before = try await Self.listTotal(client)
            #expect(try await Self.listTotal(client) == before)  // served from the cache
            let patient = TestApp.coordinatorPatient
            let request: [String: Any] = [
                "id": "case-cache-1", "patientId": patient.id.rawValue, "productId": TestApp.demo.products[0].id.rawValue,
                "centerId": TestApp.coordinatorCenter.rawValue, "referralDate": "2026-11-02",
            ]
            let created = try await client.execute(uri: "/api/v1/cases", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(request)) { $0.status }
            #expect(created == .created)
            #expect(try await Self.listTotal(client) == before + 1)
        }
    }

    @Test("a write by another process on the same database is seen within the poll interval")
    func otherProcessWrites() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try await Store.open(.sqliteFile(path: path))
        let other = try await Store.open(.sqliteFile(path: path))
        do {
            try await DemoLoader.load(TestApp.demo, into: store, contracts: false)
            var configuration = AppConfiguration()
            configuration.loadDemo = false
            configuration.clock = { TestApp.now }
            let app = Application(router: try await buildRouter(configuration, store: store))
            let user = try #require(try await store.identities.users().first { $0.role == .centerCoordinator })
            let secret = Secret.generate()
            try await store.identities.insert(
                APIToken(id: "tok-elsewhere", userID: user.id, scopes: AccessPolicy.roleActions[.centerCoordinator, default: []],
                         createdAt: TestApp.now.addingTimeInterval(-60), expiresAt: TestApp.now.addingTimeInterval(3600)),
                secretHash: Secret.storedHash(secret))
            try await app.test(.router) { base in
                let client = AuthorizedClient(base: base, token: secret)
                let before = try await Self.listTotal(client)
                #expect(try await Self.listTotal(client) == before)

                // Another process (here: a second connection, as `curepath` commands use)
                // opens a case at the coordinator's center.
                let patient = TestApp.demo.patients[1]
                let opened = try await other.cases.open(Case(
                    id: "case-elsewhere", patientID: patient.id, productID: TestApp.demo.products[0].id,
                    centerID: TestApp.coordinatorCenter, payerID: TestApp.demo.payers[0].id,
                    templateID: "car-t", referralDate: CalendarDate(year: 2026, month: 11, day: 2)!))
                #expect(opened.isNew)
                try await Task.sleep(for: store.database.changes.pollInterval * 2)
                #expect(try await Self.listTotal(client) == before + 1)

                // Revoking the token elsewhere ends its use here too.
                #expect(try await other.identities.revoke("tok-elsewhere", at: TestApp.now))
                try await Task.sleep(for: store.database.changes.pollInterval * 2)
                let status = try await client.execute(uri: "/api/v1/cases?limit=1", method: .get) { $0.status }
                #expect(status == .unauthorized)
            }
        } catch {
            await other.close()
            await store.close()
            throw error
        }
        await other.close()
        await store.close()
    }

    @Test("a revoked token is refused on its next request")
    func revocation() async throws {
        try await TestApp.run(as: nil) { base, store in
            let users = try await store.identities.users()
            let user = try #require(users.first { $0.role == .centerCoordinator })
            let secret = Secret.generate()
            try await store.identities.insert(
                APIToken(id: "tok-cache", userID: user.id, scopes: AccessPolicy.roleActions[.centerCoordinator, default: []],
                         createdAt: TestApp.now.addingTimeInterval(-60), expiresAt: TestApp.now.addingTimeInterval(3600)),
                secretHash: Secret.storedHash(secret))
            let client = AuthorizedClient(base: base, token: secret)
            #expect(try await client.execute(uri: "/api/v1/cases?limit=1", method: .get) { $0.status } == .ok)
            #expect(try await client.execute(uri: "/api/v1/cases?limit=1", method: .get) { $0.status } == .ok)
            #expect(try await store.identities.revoke("tok-cache", at: TestApp.now))
            #expect(try await client.execute(uri: "/api/v1/cases?limit=1", method: .get) { $0.status } == .unauthorized)
        }
    }

    @Test("two organizations asking for the same URL each get their own view")
    func perCredential() async throws {
        try await TestApp.run { coordinator, store in
            let payerToken = try await TestApp.token(for: .payerReviewer, in: store)
            let payer = AuthorizedClient(base: (coordinator as! AuthorizedClient).base, token: payerToken)
            let mine = try await Self.listTotal(coordinator)
            let theirs = try await Self.listTotal(payer)
            #expect(mine != theirs)
            #expect(try await Self.listTotal(coordinator) == mine)
            #expect(try await Self.listTotal(payer) == theirs)
        }
    }
}
