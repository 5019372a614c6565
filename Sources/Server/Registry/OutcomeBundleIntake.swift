import CareNetwork
import Core
import FHIR
import Outcomes
import Storage

/// A FHIR outcome bundle read against the store: its patients resolved, its withdrawals kept
/// only where they correct something recorded — what the command line and the API both record.
///
/// ``OutcomeBundleImport`` is pure and resolves patients through a synchronous closure, so the
/// bundle is read twice: once to learn which patients it names, then — after asking the store
/// which of those exist — again with only those resolvable. An unknown patient is then an
/// error at its own entry, like any other.
public struct OutcomeBundleIntake: Sendable {
    /// What the bundle gave, errors included.
    public var result: OutcomeBundleImport.Result
    /// The events to record when ``OutcomeBundleImport/Result/isAccepted``: every event, and
    /// the withdrawals of events already stored.
    public var events: [OutcomeEvent]

    /// Withdrawn resources whose event was never recorded, so there was nothing to withdraw.
    public var ignoredWithdrawals: Int { result.withdrawals.count - (events.count - result.events.count) }

    /// Reads `bytes` as outcomes reported by `source`.
    ///
    /// A patient is named by a CurePath patient ID (an identifier in
    /// ``FHIRCodeSystem/curePathPatient``) or, when `linkedRecordsOf` names a linkage source,
    /// by any identifier whose value is one of that source's records already linked to a
    /// patient (docs/linkage.md) — so a center that linked its list by token sends outcomes
    /// under its own record numbers and never learns CurePath's IDs.
    ///
    /// `writable`, when given, says which patients the sender may report on; any other reads
    /// as an unknown patient, word for word, so a bundle cannot test which IDs or linked
    /// records name someone else's patient.
    public static func read(
        _ bytes: [UInt8], source: String, receivedOn: CalendarDate, store: Store, linkedRecordsOf linkageSource: String? = nil,
        writable: (@Sendable (PatientID) async throws -> Bool)? = nil
    ) async throws -> OutcomeBundleIntake {
        var named = Set<OutcomeBundleImport.PatientIdentifiers>()
        _ = OutcomeBundleImport.read(bytes, source: source, receivedOn: receivedOn) { identifiers in
            named.insert(identifiers)
            return nil
        }
        var resolved: [OutcomeBundleImport.PatientIdentifiers: PatientID] = [:]
        for identifiers in named {
            if let patient = try await patient(identifiers, store: store, linkageSource: linkageSource), try await writable?(patient) ?? true {
                resolved[identifiers] = patient
            }
        }
        let result = OutcomeBundleImport.read(bytes, source: source, receivedOn: receivedOn) { resolved[$0] }
        guard result.isAccepted else { return OutcomeBundleIntake(result: result, events: []) }
        var stored = Set<OutcomeEventID>()
        for patient in Set(result.withdrawals.map(\.patientID)) {
            stored.formUnion(try await store.outcomes.events(of: patient).map(\.id))
        }
        return OutcomeBundleIntake(result: result, events: result.recordable(alreadyStored: stored.contains))
    }

    static func patient(_ identifiers: OutcomeBundleImport.PatientIdentifiers, store: Store, linkageSource: String?) async throws -> PatientID? {
        if let value = identifiers.value(in: FHIRCodeSystem.curePathPatient) {
            guard let id = try? PatientID.validated(value, field: "patient") else { return nil }
            return try await store.reference.patient(id) != nil ? id : nil
        }
        guard let linkageSource else { return nil }
        for identifier in identifiers.identifiers {
            if let patient = try await store.linkage.patient(source: linkageSource, recordID: identifier.value) { return patient }
        }
        return nil
    }

    /// A store refusal (`events[3].patientId`) placed at the bundle entry its event came
    /// from (`entry[5].patientId`, "event fhir-…: …"), where the sender can fix it.
    public func located(_ issue: ValidationError.Issue) -> ValidationError.Issue {
        let field = issue.field
        guard field.hasPrefix("events["), let close = field.firstIndex(of: "]"),
              let index = Int(field[field.index(field.startIndex, offsetBy: 7)..<close]), events.indices.contains(index),
              let entry = result.origins[events[index].id]
        else { return issue }
        return .init(field: "entry[\(entry)]" + field[field.index(after: close)...], problem: "event \(events[index].id) \(issue.problem)", rule: issue.rule)
    }
}
