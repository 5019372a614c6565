import CareNetwork
import Foundation

/// CurePath's starter library of SCA terms and a CAR-T template built from it: the standard
/// elements every SCA has, and the reimbursement, filing and records clauses centers and
/// payers negotiate. Figures are illustrative defaults, not a recommendation.
public enum StandardTerms {
    public static let library = TermLibrary([
        Term(id: "member", version: 1, kind: .member, title: "Member",
             text: "This agreement covers {member_name}, member ID {member_id}.",
             parameters: [TermParameter(name: "member_name", type: .text, source: .memberIdentity),
                          TermParameter(name: "member_id", type: .text, source: .memberIdentity)],
             standardElement: .member),
        Term(id: "diagnosis", version: 1, kind: .diagnosis, title: "Diagnosis",
             text: "Diagnosis: ICD-10-CM {diagnosis_code}.",
             parameters: [TermParameter(name: "diagnosis_code", type: .text, source: .caseRecord)], standardElement: .diagnosis),
        Term(id: "procedure", version: 1, kind: .procedure, title: "Procedure",
             text: "Procedure: administration of {product_name} (HCPCS {procedure_code}), with apheresis, lymphodepletion and the infusion admission.",
             parameters: [TermParameter(name: "product_name", type: .text, source: .caseRecord),
                          TermParameter(name: "procedure_code", type: .text, defaultValue: "Q2041")],
             standardElement: .procedure),
        Term(id: "episode-window", version: 1, kind: .episodeWindow, title: "Episode of care",
             text: "The episode runs from {days_before} days before apheresis to {days_after} days after infusion.",
             parameters: [TermParameter(name: "days_before", type: .days, minimum: 0, maximum: 90, defaultValue: "30"),
                          TermParameter(name: "days_after", type: .days, minimum: 0, maximum: 365, defaultValue: "100")],
             standardElement: .interventionPeriods),
        Term(id: "inclusions", version: 1, kind: .inclusions, title: "Included services",
             text: "The episode includes: {services}.",
             parameters: [TermParameter(name: "services", type: .list,
                                        defaultValue: "apheresis; bridging therapy; lymphodepletion; infusion admission; CRS and ICANS management; follow-up visits")],
             standardElement: .inclusions),
        Term(id: "exclusions", version: 1, kind: .exclusions, title: "Excluded services",
             text: "The episode excludes: {services}.",
             parameters: [TermParameter(name: "services", type: .list, defaultValue: "stem-cell transplant; unrelated admissions; long-term IVIG")],
             standardElement: .exclusions),
        Term(id: "case-rate", version: 1, kind: .reimbursement, title: "Case rate",
             text: "The payer pays a case rate of {amount} for the episode's included services, product excluded.",
             parameters: [TermParameter(name: "amount", type: .money, minimum: 0, maximum: 2_000_000, defaultValue: "185000")]),
        Term(id: "product-carve-out", version: 1, kind: .carveOut, title: "Product carve-out",
             text: "The product is paid at invoice cost plus {handling_percent} for handling, within {days_to_pay} days of the claim.",
             parameters: [TermParameter(name: "handling_percent", type: .percent, minimum: 0, maximum: 25, defaultValue: "5"),
                          TermParameter(name: "days_to_pay", type: .days, minimum: 1, maximum: 120, defaultValue: "30")]),
        Term(id: "outlier", version: 1, kind: .outlier, title: "Outlier",
             text: "Charges above {threshold} are paid at {percent} of billed charges.",
             parameters: [TermParameter(name: "threshold", type: .money, minimum: 0, maximum: 5_000_000, defaultValue: "450000"),
                          TermParameter(name: "percent", type: .percent, minimum: 0, maximum: 100, defaultValue: "60")]),
        Term(id: "timely-filing", version: 1, kind: .timelyFiling, title: "Timely filing",
             text: "Claims are filed within {days} days of discharge.",
             parameters: [TermParameter(name: "days", type: .days, minimum: 30, maximum: 365, defaultValue: "180")]),
        Term(id: "appeal", version: 1, kind: .appeal, title: "Appeals",
             text: "Either party may appeal a payment decision within {days} days.",
             parameters: [TermParameter(name: "days", type: .days, minimum: 30, maximum: 365, defaultValue: "60")]),
        Term(id: "records", version: 1, kind: .records, title: "Records",
             text: "The center sends the records the payer needs within {days} days of a request.",
             parameters: [TermParameter(name: "days", type: .days, minimum: 1, maximum: 90, defaultValue: "14")]),
        Term(id: "confidentiality", version: 1, kind: .confidentiality, title: "Confidentiality",
             text: "The rates in this agreement are confidential to the parties and the mediator for {years_text}.",
             parameters: [TermParameter(name: "years_text", type: .text, defaultValue: "three years")]),
        Term(id: "clinical-criteria", version: 1, kind: .clinicalCriteria, title: "Clinical criteria",
             text: "Treatment proceeds under the clinical criteria: {criteria}.",
             parameters: [TermParameter(name: "criteria", type: .list, defaultValue: "the product's label; the payer's criteria set in effect on the request date")]),
    ])

    /// A center's CAR-T template: every term above, in reading order.
    public static func carTTemplate(center: CenterID? = nil) -> AgreementTemplate {
        AgreementTemplate(
            id: "car-t-sca", version: 1, name: "CAR-T single-case agreement", center: center,
            terms: library.terms.map { TermReference($0.id, version: $0.version) })
    }
}

