import Core
import CareNetwork

/// A patient who received a unit of a product under a contract: what a settlement settles.
///
/// The paying payer is the one that paid at infusion; it is recorded rather than looked up
/// because coverage data is often corrected after the fact, and who paid is a fact.
public struct TreatedPatient: Hashable, Sendable, Codable {
    public var patientID: PatientID
    public var productID: ProductID
    public var infusionDate: CalendarDate
    public var contractID: ContractID
    public var payingPayer: PayerID
    public var centerID: CenterID?

    public init(
        patientID: PatientID, productID: ProductID, infusionDate: CalendarDate, contractID: ContractID, payingPayer: PayerID,
        centerID: CenterID? = nil
    ) {
        self.patientID = patientID
        self.productID = productID
        self.infusionDate = infusionDate
        self.contractID = contractID
        self.payingPayer = payingPayer
        self.centerID = centerID
    }
}
