import CareNetwork
import Core

/// A source's record as the registry linked it: the one fact the rest of CurePath needs
/// from linkage — "this center's record `R-1042` is patient `pat-0007`".
///
/// Sources keep their own record IDs (an MRN, a registry number) and never learn another
/// source's; outcome files and FHIR bundles that name a record are resolved through here.
public struct LinkedRecord: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        /// One patient, confidently.
        case linked
        /// Several patients fit equally; a person must decide.
        case ambiguous
        /// No patient fits.
        case unmatched
    }

    public enum Method: String, Hashable, Sendable, Codable {
        /// Exact Open Link Tokens.
        case token
        /// Bloom-filter encodings compared by Dice similarity.
        case clk
    }

    public var source: String
    public var recordID: String
    public var status: Status
    public var patientID: PatientID?
    public var method: Method
    /// What decided it: the agreeing token rules (`T2 T3`), or the Dice score of a CLK link
    /// (`dice 0.912`), or the candidates of an ambiguity.
    public var evidence: String
    /// The day the link was made; a record is linked once and keeps its first decision unless
    /// it was not linked then.
    public var linkedOn: CalendarDate

    public init(source: String, recordID: String, status: Status, patientID: PatientID?, method: Method, evidence: String, linkedOn: CalendarDate) {
        self.source = source
        self.recordID = recordID
        self.status = status
        self.patientID = patientID
        self.method = method
        self.evidence = evidence
        self.linkedOn = linkedOn
    }
}
