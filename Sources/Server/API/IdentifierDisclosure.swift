import Access
import CareNetwork
import Core
import Storage

/// Who is shown a patient's name, birth date or member ID in a document or export, and what
/// everyone else sees in their place.
///
/// Only a principal with the `read-identifiers` action is shown them (each time through the
/// audited ``Store/openIdentifiers(of:memberIDWith:for:)``); anyone else gets the document
/// with ``masked`` where the identifier would be, and nothing is opened or audited.
public enum IdentifierDisclosure {
    /// What a caller without `read-identifiers` sees in an identifier's place.
    public static let masked = "•••• (requires read-identifiers)"

    /// Whether the current request's principal may be shown identifiers.
    static var isAllowed: Bool {
        RequestIdentity.current.map { AccessPolicy.decide($0.principal, .readIdentifiers).isAllowed } ?? false
    }
}

extension CurePathAPI {
    /// Opens the patient's identifiers for the current request through the audited path.
    /// Callers check ``IdentifierDisclosure/isAllowed`` first when the identifiers are shown.
    func openIdentifiers(of patient: PatientID, memberIDWith payer: PayerID? = nil, purpose: IdentifierRead.Purpose) async throws -> OpenedIdentifiers {
        let current = RequestIdentity.current
        return try await store.openIdentifiers(of: patient, memberIDWith: payer, for: IdentifierRead(
            at: clock(), userID: current?.principal.userID.rawValue, organizationID: current?.principal.organization.id.rawValue,
            requestID: current?.requestID, purpose: purpose))
    }
}
