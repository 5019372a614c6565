import Core
import CareNetwork

public enum CaseTag {}
public typealias CaseID = Identifier<CaseTag>

/// One patient's journey to one therapy at one center.
///
/// The case holds who, what and where; its journey (``CaseJourney``) is derived from its
/// events. The payer is the one covering the patient at referral; later coverage changes
/// are coverage periods, not edits to the case.
public struct Case: Hashable, Sendable, Codable {
    public var id: CaseID
    public var patientID: PatientID
    public var productID: ProductID
    public var centerID: CenterID
    public var payerID: PayerID
    public var templateID: String
    public var referralDate: CalendarDate

    public init(
        id: CaseID, patientID: PatientID, productID: ProductID, centerID: CenterID, payerID: PayerID,
        templateID: String, referralDate: CalendarDate
    ) {
        self.id = id
        self.patientID = patientID
        self.productID = productID
        self.centerID = centerID
        self.payerID = payerID
        self.templateID = templateID
        self.referralDate = referralDate
    }
}

/// Where a case stands overall.
public enum CaseStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case open
    case infused
    case lost
}
