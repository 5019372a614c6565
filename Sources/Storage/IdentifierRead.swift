import Access
import CareNetwork
import Core
import Foundation

/// One audited opening of a patient's sealed identifiers: who asks, when, and what for.
///
/// Names, birth dates and member IDs leave their sealed rows for a document, an export or an
/// age only through ``Store/openIdentifiers(of:memberIDWith:for:)``, which writes this to the
/// audit log before anything is opened. If the log cannot be written, nothing is opened.
public struct IdentifierRead: Sendable {
    /// What the opened identifiers are for, which decides the audited action.
    public enum Purpose: Sendable {
        /// Shown to the reader (a document, an export): audited as `read-identifiers`.
        case shown(String)
        /// Only the age the birth date gives is shown: audited as `read-birth-date`.
        case ageOnly(String)

        public var action: String {
            switch self {
            case .shown: Action.readIdentifiers.rawValue
            case .ageOnly: "read-birth-date"
            }
        }

        public var detail: String {
            switch self {
            case .shown(let why), .ageOnly(let why): why
            }
        }
    }

    public var at: Date
    public var userID: String?
    public var organizationID: String?
    public var requestID: String?
    public var purpose: Purpose

    public init(at: Date, userID: String?, organizationID: String?, requestID: String? = nil, purpose: Purpose) {
        self.at = at
        self.userID = userID
        self.organizationID = organizationID
        self.requestID = requestID
        self.purpose = purpose
    }
}

/// What an audited read opened: the patient's identifiers and, when asked for, the member ID
/// with one payer.
public struct OpenedIdentifiers: Sendable {
    public var identifiers: PersonalIdentifiers?
    /// The member ID of the patient's latest coverage period with the payer asked about.
    public var memberID: String?
}

extension Store {
    /// The one path by which a person is shown (or given an age from) a patient's sealed
    /// identifiers: the audit record (`read-identifiers` or `read-birth-date`, `patient:<id>`,
    /// the purpose) is appended first, then the identifiers — and, with `payer`, the member ID
    /// of the patient's latest coverage with that payer — are opened.
    ///
    /// Whether the reader may see identifiers at all is the caller's decision (the
    /// `read-identifiers` action); this makes sure every opening is on the record.
    public func openIdentifiers(of patient: PatientID, memberIDWith payer: PayerID? = nil, for read: IdentifierRead) async throws -> OpenedIdentifiers {
        _ = try await audit.append(AuditRecord(
            at: read.at, userID: read.userID, organizationID: read.organizationID, action: read.purpose.action,
            object: "patient:\(patient)", outcome: .allowed, requestID: read.requestID, detail: read.purpose.detail))
        var opened = OpenedIdentifiers(identifiers: try await reference.identifiers(of: patient))
        if let payer, let coverage = try await reference.coveragePeriods(of: patient).last(where: { $0.payerID == payer }) {
            opened.memberID = try await reference.memberID(of: coverage.id)
        }
        return opened
    }
}
