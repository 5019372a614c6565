import CareNetwork
import Core

/// A typical CAR-T episode — the services, days and unit costs of `Examples/episodes/car-t-episode.json`
/// (a 12-day stay with grade 3 CRS and ICANS) — for any product and price.
///
/// A center projecting its cash exposure over cases not yet treated has no episode to read;
/// it needs a reasonable one per case. This is that default; an episode of the center's own
/// replaces it wherever one is known.
public enum TypicalEpisode {
    /// - Parameters:
    ///   - productCharge: the product's billed charge; 2.5 × the acquisition cost when not given.
    public static func carT(productName: String, productID: ProductID?, code: String?, acquisitionCost: Money, productCharge: Money? = nil) -> Episode {
        func usd(_ dollars: Int64) -> Money { Money(minorUnits: dollars * 100, currency: acquisitionCost.currency) }
        let charge = productCharge ?? Money(minorUnits: acquisitionCost.minorUnits * 5 / 2, currency: acquisitionCost.currency)
        return Episode(
            name: "\(productName): typical 12-day stay with grade 3 CRS and ICANS",
            product: ProductAcquisition(name: productName, productID: productID, code: code, acquisitionCost: acquisitionCost, charge: charge, orderDay: -30, shipmentDay: -4),
            services: [
                ServiceLine(kind: .apheresis, label: "Leukapheresis and cell shipment", code: "38225", quantity: 1, unitCost: usd(6_800), unitCharge: usd(18_500), day: -30),
                ServiceLine(kind: .bridgingTherapy, label: "Bridging chemotherapy, one cycle", quantity: 1, unitCost: usd(7_400), unitCharge: usd(19_600), day: -25),
                ServiceLine(kind: .lymphodepletion, label: "Fludarabine and cyclophosphamide, daily for 3 days", quantity: 3, unitCost: usd(1_150), unitCharge: usd(3_900), day: -5),
                ServiceLine(kind: .infusion, label: "Product receipt, thaw and administration", code: "38228", quantity: 1, unitCost: usd(1_600), unitCharge: usd(5_200), day: 0),
                ServiceLine(kind: .acuteDay, label: "Acute inpatient days", quantity: 9, unitCost: usd(2_650), unitCharge: usd(7_800), day: 0),
                ServiceLine(kind: .icuDay, label: "ICU days for grade 3 CRS", quantity: 3, unitCost: usd(6_400), unitCharge: usd(17_900), day: 3, complication: true),
                ServiceLine(kind: .crsIcansDrug, label: "Tocilizumab 8 mg/kg dose", quantity: 2, unitCost: usd(3_350), unitCharge: usd(9_400), day: 2),
                ServiceLine(kind: .complicationCare, label: "ICANS work-up: neurology consult, MRI, EEG", quantity: 1, unitCost: usd(4_200), unitCharge: usd(12_600), day: 5, complication: true),
                ServiceLine(kind: .outpatientVisit, label: "Outpatient visits, days 14 to 28", code: "99214", quantity: 4, unitCost: usd(620), unitCharge: usd(1_750), day: 14),
                ServiceLine(kind: .followUpVisit, label: "Day 30 follow-up visit", code: "99214", quantity: 1, unitCost: usd(480), unitCharge: usd(1_350), day: 30),
                ServiceLine(kind: .followUpVisit, label: "Day 100 follow-up visit", code: "99214", quantity: 1, unitCost: usd(480), unitCharge: usd(1_350), day: 100),
            ])
    }
}
