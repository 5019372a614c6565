/// What a line of an episode is, in the words reimbursement terms use to include or exclude
/// services ("the case rate includes apheresis, lymphodepletion and the inpatient stay").
///
/// Each model decides what to pay by kind: a per diem pays `icuDay` and `acuteDay` lines per
/// day, a case rate covers the kinds it lists, Medicare's MS-DRG 018 covers the inpatient claim.
public enum ServiceKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// The cell or gene therapy product itself, bought from the manufacturer.
    case product
    /// Collection of the patient's cells (leukapheresis) and their preparation for shipment.
    case apheresis
    /// Therapy that controls the disease while the product is manufactured.
    case bridgingTherapy = "bridging-therapy"
    /// Conditioning chemotherapy (e.g. fludarabine and cyclophosphamide) before infusion.
    case lymphodepletion
    /// Receipt, thaw and administration of the product.
    case infusion
    /// An inpatient day in intensive care.
    case icuDay = "icu-day"
    /// An inpatient day at the acute (ward) level of care.
    case acuteDay = "acute-day"
    /// An outpatient clinic or infusion-center visit during the episode.
    case outpatientVisit = "outpatient-visit"
    /// A drug for cytokine release syndrome or neurotoxicity (tocilizumab, dexamethasone, anakinra).
    case crsIcansDrug = "crs-icans-drug"
    /// A scheduled visit after discharge (day 14, 28, 100 …).
    case followUpVisit = "follow-up-visit"
    /// Care for a complication that is neither a day nor a drug (an ICANS work-up, dialysis).
    case complicationCare = "complication-care"
    /// Anything else the center wants to cost and bill.
    case other

    /// The levels of inpatient care, whose days make up the length of stay.
    public var isInpatientDay: Bool { self == .icuDay || self == .acuteDay }

    /// Plain words for payment lines and pages.
    public var label: String {
        switch self {
        case .product: "product"
        case .apheresis: "apheresis"
        case .bridgingTherapy: "bridging therapy"
        case .lymphodepletion: "lymphodepletion"
        case .infusion: "infusion"
        case .icuDay: "ICU days"
        case .acuteDay: "acute days"
        case .outpatientVisit: "outpatient visits"
        case .crsIcansDrug: "CRS/ICANS drugs"
        case .followUpVisit: "follow-up visits"
        case .complicationCare: "complication care"
        case .other: "other services"
        }
    }
}
