import Core
import CareNetwork
import Outcomes

/// Reads outcome events (responses, deaths, CRS and ICANS grades, infections, admissions,
/// transfusions, lab values, subsequent therapies, losses to follow-up) from a FHIR R4 Bundle.
///
/// Registries and treatment centers already hold these outcomes as FHIR resources; re-keying
/// them into the outcome file is slow and is where errors come from, and an outcome that
/// settles a contract must not be mistyped. The import maps what the ``OutcomeDictionary``
/// knows (through ``OutcomeTerminology``) and refuses, entry by entry, what it cannot: a code
/// it does not know, an impossible or future date, an unknown patient, two different copies
/// of one resource. Resources that are not outcomes at all (a Practitioner, an outpatient
/// visit, a preliminary result) are listed as unmapped, with the reason.
///
/// The caller gets everything at once: the events, every error, every unmapped entry. A
/// bundle with any error must be refused whole (record nothing, show every error), like an
/// outcome file; ``Result/isAccepted`` says so. Event IDs are derived from the source, the
/// resource type and the resource id, so reading the same bundle twice gives identical events
/// and the repository records nothing the second time. See docs/FHIR.md, "Outcome events
/// from FHIR".
public enum OutcomeBundleImport {
    /// Who a resource is about, as the bundle says it, for the caller to resolve to a
    /// CurePath patient. Names and birth dates are never collected: identifiers are enough
    /// to link, and an outcome event carries only the CurePath patient ID.
    public struct PatientIdentifiers: Hashable, Sendable {
        /// One identifier as the bundle gives it (`system` may be absent).
        public struct Identifier: Hashable, Sendable {
            public var system: String?
            public var value: String

            public init(system: String?, value: String) {
                self.system = system
                self.value = value
            }
        }

        /// The reference as written (`Patient/p1`, `urn:uuid:…`); `nil` for an identifier-only subject.
        public var reference: String?
        /// The logical identifier of the subject and the identifiers of the Patient it points
        /// to in the bundle (or contained in the resource), in that order, without duplicates.
        public var identifiers: [Identifier]

        public init(reference: String?, identifiers: [Identifier]) {
            self.reference = reference
            self.identifiers = identifiers
        }

        /// The first identifier's value in `system`.
        public func value(in system: String) -> String? { identifiers.first { $0.system == system }?.value }
    }

    /// One reason an entry (or the bundle) cannot be read, where it is, and what is wrong.
    public struct EntryError: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The entry's position in `Bundle.entry`; `nil` for the bundle itself.
        public var entryIndex: Int?
        public var resourceType: String?
        public var resourceID: String?
        /// The FHIR path of the element (`entry[3].resource.valueQuantity.value`), `$` for the document.
        public var path: String
        public var problem: String

        public init(entryIndex: Int?, resourceType: String?, resourceID: String?, path: String, problem: String) {
            self.entryIndex = entryIndex
            self.resourceType = resourceType
            self.resourceID = resourceID
            self.path = path
            self.problem = problem
        }

        /// `entry[3] Observation/obs-1: entry[3].resource.code.coding[0].code: LOINC 3209-7 is not …`
        public var description: String {
            guard let entryIndex else { return "\(path): \(problem)" }
            let resource = resourceType.map { " " + $0 + (resourceID.map { "/\($0)" } ?? "") } ?? ""
            return "entry[\(entryIndex)]\(resource): \(path): \(problem)"
        }
    }

    /// What a bundle gave.
    public struct Result: Hashable, Sendable {
        /// The outcome events, in entry order.
        public var events: [OutcomeEvent]
        /// An `entered-in-error` event for each withdrawn resource (status `entered-in-error`)
        /// that would have given an event, correcting that event's ID. Whether the withdrawn
        /// event was ever recorded only the store knows: record the withdrawals whose
        /// `corrects` is stored (``recordable(alreadyStored:)``) and drop the rest.
        public var withdrawals: [OutcomeEvent]
        /// Every problem; the bundle must be refused when there is any.
        public var errors: [EntryError]
        /// Entries that are not outcomes, and why.
        public var unmapped: [UnmappedResource]
        /// The entry (its index in `Bundle.entry`) each event and withdrawal came from, so a
        /// refusal by the store (`events[3].patientId`) can be shown where the sender fixes it.
        public var origins: [OutcomeEventID: Int]

        public init(events: [OutcomeEvent], withdrawals: [OutcomeEvent], errors: [EntryError], unmapped: [UnmappedResource], origins: [OutcomeEventID: Int] = [:]) {
            self.events = events
            self.withdrawals = withdrawals
            self.errors = errors
            self.unmapped = unmapped
            self.origins = origins
        }

        /// Whether the bundle can be recorded: no error at all.
        public var isAccepted: Bool { errors.isEmpty }

        /// The events to record: every event, and the withdrawals of events the store holds.
        public func recordable(alreadyStored: (OutcomeEventID) -> Bool) -> [OutcomeEvent] {
            events + withdrawals.filter { withdrawal in withdrawal.corrects.map(alreadyStored) ?? false }
        }
    }

    /// Beyond this many errors a report stops helping; the rest are counted in a last error.
    public static let maximumErrors = 500
    /// Larger input is refused before parsing (10 MB, the FHIR module's limit).
    public static let maximumBytes = JSONParser.maximumBytes

    /// Reads `bytes`, a FHIR R4 Bundle in JSON (`collection`, `transaction`, `batch` or
    /// `searchset`), as outcome events reported by `source`.
    ///
    /// - Parameters:
    ///   - source: who reported them (`registry`, a center's feed): part of every event and
    ///     of its ID, so two sources never collide.
    ///   - receivedOn: the day the bundle arrived: each event's `recordedOn`; an outcome dated
    ///     after it is an error (an outcome cannot be reported before it happens).
    ///   - resolve: the CurePath patient the identifiers name, or `nil` when none (an error
    ///     naming the reference).
    public static func read(
        _ bytes: [UInt8], source: String, receivedOn: CalendarDate, resolve: (PatientIdentifiers) -> PatientID?
    ) -> Result {
        // The resolver is only called while reading; the reader keeps it no longer.
        withoutActuallyEscaping(resolve) { resolve in
            var reader = OutcomeReader(source: source, receivedOn: receivedOn, resolve: resolve)
            do throws(FHIRError) {
                let document = try JSONParser.parse(bytes)
                reader.read(JSONNode(document))
            } catch {
                reader.errors += error.issues.map { EntryError(entryIndex: nil, resourceType: nil, resourceID: nil, path: $0.path, problem: $0.problem) }
            }
            return reader.result()
        }
    }
}
