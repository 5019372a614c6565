import CareNetwork
import Core
import DemoNetwork
import Foundation
import Journey
import Storage

/// Puts the demo network into an empty database, so a first `curepath serve` shows a living
/// network instead of empty pages.
public enum DemoLoader {
    /// Loads the demo network (as of `today`) unless the database already has reference data.
    /// - Returns: the number of cases loaded, 0 when the database was not empty.
    @discardableResult
    public static func loadIfEmpty(
        into store: Store, today: CalendarDate, caseCount: Int = 300, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> Int {
        guard try await store.reference.directory().isEmpty else { return 0 }
        let demo = DemoNetwork.build(caseCount: caseCount, today: today)
        try await load(demo, into: store, progress: progress)
        return demo.cases.count
    }

    /// Loads a built network: reference data, patients, cases with all their events, and
    /// (unless `custody` is false) the custody log of every case that reached collection.
    public static func load(
        _ demo: DemoNetwork, into store: Store, custody: Bool = true, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws {
        try await store.reference.insert(demo.directory)
        try await store.reference.insert(patients: demo.patients, identifiers: demo.personalIdentifiers, coverage: demo.coveragePeriods)
        let total = demo.cases.count
        var casesDone: (@Sendable (Int) -> Void)?
        if let progress { casesDone = { done in progress(done, total) } }
        try await store.cases.importCases(demo.cases.map { (record: $0.record, events: $0.events) }, progress: casesDone)
        if custody { try await store.custody.importChains(demo.custodyRecords()) }
    }
}
