import Core
import CareNetwork
import Criteria

/// Everything a Da Vinci PAS prior-authorization request carries, as plain CurePath values.
///
/// The PA workflow holds these in its own tables; this value is the hand-over to
/// ``PriorAuthorizationBundle``, so that the FHIR shape stays in this module and the rest
/// of CurePath never builds FHIR by hand.
public struct PriorAuthorizationSubmission: Hashable, Sendable {
    /// How fast the payer must decide: expedited requests have the shorter regulatory clock.
    public enum Priority: String, Hashable, Sendable, Codable, CaseIterable {
        case expedited
        case standard
    }

    /// A product's billing code, such as HCPCS Q2041 for Yescarta.
    public struct ProductCode: Hashable, Sendable {
        public var system: String
        public var code: String
        public var display: String?

        public init(system: String, code: String, display: String? = nil) {
            self.system = system
            self.code = code
            self.display = display
        }

        /// A HCPCS Level II code.
        public static func hcpcs(_ code: String, display: String? = nil) -> ProductCode {
            ProductCode(system: FHIRCodeSystem.hcpcs, code: code, display: display)
        }
    }

    /// CurePath's request id; the Claim's identifier and id, and the prefix of evidence ids.
    public var requestID: String
    public var created: CalendarDate
    public var priority: Priority
    public var patient: PatientID
    /// The member's birth date, which the payer matches its member on; `nil` when the person
    /// exporting may not see identifiers, and the bundle then says it is masked.
    public var birthDate: CalendarDate?
    public var gender: Sex?
    public var payer: PayerID
    public var payerName: String
    /// The member's coverage record id, as the payer knows it.
    public var coverageID: String
    public var plan: PlanID
    public var planType: PlanType
    public var center: CenterID
    public var centerName: String
    /// The requesting physician, when known; becomes a Practitioner on the Claim's care team.
    public var practitionerName: String?
    public var product: ProductID
    public var productName: String
    public var productCode: ProductCode?
    /// The diagnoses the request is for, first the principal one.
    public var diagnoses: [Diagnosis]
    /// The clinical facts sent as supporting information; must be about ``patient``.
    public var evidence: ClinicalFacts

    public init(
        requestID: String, created: CalendarDate, priority: Priority, patient: PatientID, birthDate: CalendarDate?, gender: Sex? = nil,
        payer: PayerID, payerName: String, coverageID: String, plan: PlanID, planType: PlanType, center: CenterID, centerName: String,
        practitionerName: String? = nil, product: ProductID, productName: String, productCode: ProductCode? = nil, diagnoses: [Diagnosis],
        evidence: ClinicalFacts
    ) {
        self.requestID = requestID
        self.created = created
        self.priority = priority
        self.patient = patient
        self.birthDate = birthDate
        self.gender = gender
        self.payer = payer
        self.payerName = payerName
        self.coverageID = coverageID
        self.plan = plan
        self.planType = planType
        self.center = center
        self.centerName = centerName
        self.practitionerName = practitionerName
        self.product = product
        self.productName = productName
        self.productCode = productCode
        self.diagnoses = diagnoses
        self.evidence = evidence
    }
}
