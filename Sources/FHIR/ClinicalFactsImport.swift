import Core
import CareNetwork
import Criteria

/// Reads a patient's clinical facts from a FHIR R4 Bundle sent by a treatment center's EHR.
///
/// Facts are entered once and evaluated against every payer's criteria; most of them
/// already sit in the EHR as Conditions, Observations, medication records and Procedures,
/// so re-typing them is both slow and where errors come from. The import maps what it
/// understands through the tables in this module (``LabTerminology``,
/// ``MedicationTerminology``, ``ProcedureTerminology``, ``ExclusionTerminology``,
/// ``PerformanceStatusTerminology``) and reports everything else in
/// ``Result/unmapped``, entry by entry: a lab CurePath could not read must show up as a
/// reason, not as a criterion that is silently "unknown".
///
/// Malformed input (not JSON, a wrong type, a bad date, a second Patient) is refused with
/// a ``FHIRError`` listing every problem with its JSON path. The facts are then checked
/// with ``ClinicalFacts/validated()``, and its problems are reported at the FHIR element
/// they came from. See docs/FHIR.md for the full mapping.
public enum ClinicalFactsImport {
    /// Larger input is refused before parsing (10 MB, the FHIR module's limit).
    public static let maximumBytes = JSONParser.maximumBytes

    /// The facts read, and the entries that did not become facts.
    public struct Result: Hashable, Sendable {
        public var facts: ClinicalFacts
        public var unmapped: [UnmappedResource]

        public init(facts: ClinicalFacts, unmapped: [UnmappedResource]) {
            self.facts = facts
            self.unmapped = unmapped
        }
    }

    /// Reads `data`, a FHIR R4 Bundle in JSON (any `Bundle.type`), as facts about `patient`.
    ///
    /// - Parameter receivedOn: the day the bundle arrived; a fact dated after it is reported
    ///   as unmapped rather than trusted, because a lab "from next week" is a data error.
    public static func read(_ data: some Collection<UInt8>, patient: PatientID, receivedOn: CalendarDate? = nil) throws(FHIRError) -> Result {
        let document = try JSONParser.parse(data)
        var reader = FactsReader(patient: patient, receivedOn: receivedOn)
        reader.read(JSONNode(document))
        return try reader.result()
    }
}
