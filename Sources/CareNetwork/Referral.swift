import Core

public enum ReferralTag {}
public typealias ReferralID = Identifier<ReferralTag>

/// One organization sending a patient to a treatment center: the documented act that lets
/// the receiving center see the patient and open a case.
///
/// Without it, a center may act only for patients it registered itself or already treats.
/// Referrals are never edited or withdrawn in place; each is one audited fact, so who was
/// allowed to see a patient, from when and why, can be read back later.
public struct Referral: Hashable, Sendable, Codable {
    public var id: ReferralID
    public var patientID: PatientID
    /// The organization that referred (a center that treats or registered the patient, or
    /// the mediator), by its organization identifier.
    public var fromOrganization: String
    public var toCenter: CenterID
    /// The day of the referral, on the referring side's calendar.
    public var date: CalendarDate
    /// Why the patient is sent, in the referrer's words (no identifiers belong here).
    public var reason: String?

    public init(id: ReferralID, patientID: PatientID, fromOrganization: String, toCenter: CenterID, date: CalendarDate, reason: String? = nil) {
        self.id = id
        self.patientID = patientID
        self.fromOrganization = fromOrganization
        self.toCenter = toCenter
        self.date = date
        self.reason = reason
    }
}
