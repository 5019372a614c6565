import Access
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
    static let demo = DemoNetwork.build(seed: 11, caseCount: 150, today: today)

    /// Runs `test` against a fresh app, its client acting as the demo user with `role`
    /// (`nil`: not signed in). The default, a coordinator at the demo's first center, may
    /// write that center's cases. `configure` adjusts the server's configuration first.
    static func run<T: Sendable>(
        as role: Role? = .centerCoordinator, configure: @Sendable (inout AppConfiguration) -> Void = { _ in },
        _ test: @Sendable (any TestClientProtocol, Store) async throws -> T
    ) async throws -> T {
        let store = try await Store.open(.sqliteInMemory)
        do {
            try await DemoLoader.load(demo, into: store, contracts: false)
            var configuration = AppConfiguration()
            configuration.loadDemo = false
            configuration.clock = { now }
            configure(&configuration)
            let app = Application(router: try await buildRouter(configuration, store: store))
            let token = try await role.asyncMap { try await TestApp.token(for: $0, in: store) }
            let result = try await app.test(.router) { client in try await test(AuthorizedClient(base: client, token: token), store) }
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

    /// The center the demo coordinator works at.
    static var coordinatorCenter: CenterID { demo.centers[0].id }

    /// The first demo case at the coordinator's center that is still open.
    static func openCase() throws -> DemoCase {
        try demo.cases.first { try $0.record.centerID == coordinatorCenter && $0.journey().status == .open }!
    }

    /// The payer that covered `patient` on `date`, if one did: a unit is enrolled only under it.
    static func payer(of patient: PatientID, on date: CalendarDate) -> PayerID? {
        demo.coveragePeriods.filter { $0.patientID == patient }.inForce(on: date)?.payerID
    }

    /// A patient of the coordinator's center (with a case there) whom a payer covered on `date`.
    static func coordinatorPatient(coveredOn date: CalendarDate) -> (patient: PatientID, payer: PayerID) {
        demo.cases.lazy.filter { $0.record.centerID == coordinatorCenter }
            .compactMap { demoCase in payer(of: demoCase.record.patientID, on: date).map { (demoCase.record.patientID, $0) } }
            .first!
    }

    /// A patient the coordinator's center already treats (so it may open another case).
    static var coordinatorPatient: Patient {
        demo.patients.first { $0.id == coordinatorCase.record.patientID }!
    }

    /// A demo case at the coordinator's center whose patient was infused on or before `date`
    /// (post-infusion outcomes, such as a response, need one on file).
    static func infusedCase(onOrBefore date: CalendarDate = today) -> DemoCase {
        demo.cases.first { demoCase in
            guard demoCase.record.centerID == coordinatorCenter, let journey = try? demoCase.journey() else { return false }
            return journey.status == .infused && journey.closedOn.map { $0 <= date } == true
        }!
    }

    /// A demo case at the coordinator's center whose cells were never collected, so its
    /// custody log is empty.
    static var coordinatorCase: DemoCase {
        let collected = Set(demo.custodyRecords().map(\.caseID))
        return demo.cases.first { $0.record.centerID == coordinatorCenter && !collected.contains($0.record.id) }!
    }
}

extension TestResponse {
    /// The body parsed as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }
}

extension Optional {
    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        switch self {
        case .some(let value): return try await transform(value)
        case .none: return nil
        }
    }
}
