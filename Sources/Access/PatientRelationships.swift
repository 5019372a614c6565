import CareNetwork
import Core

/// The documented ties between one patient and the organizations of the network — the only
/// grounds on which an organization sees the patient or acts for them.
///
/// - the organization that **registered** the patient;
/// - every center the patient was **referred to** (an audited ``Referral``);
/// - every center where the patient **has a case** (opened under one of these ties);
/// - every payer that **covers or covered** the patient (a coverage period);
/// - the **mediator** and the **registry**, which keep the shared record for everyone.
///
/// Manufacturers and policy organizations have no tie to any patient: they see aggregates only. Everything the API
/// and the pages show or change about a patient — clinical facts, coverage, outcomes,
/// evaluations, cases — asks ``includes(_:)`` first, so this is the one rule.
public struct PatientRelationships: Hashable, Sendable {
    public var registrant: OrganizationID?
    public var referredTo: Set<CenterID>
    public var caseCenters: Set<CenterID>
    public var payers: Set<PayerID>

    public init(registrant: OrganizationID? = nil, referredTo: Set<CenterID> = [], caseCenters: Set<CenterID> = [], payers: Set<PayerID> = []) {
        self.registrant = registrant
        self.referredTo = referredTo
        self.caseCenters = caseCenters
        self.payers = payers
    }

    /// Whether `organization` has a documented relationship with the patient.
    public func includes(_ organization: Organization) -> Bool {
        if registrant == organization.id { return true }
        switch organization.kind {
        case .mediator, .registry: return true
        case .center:
            guard let center = organization.centerID else { return false }
            return referredTo.contains(center) || caseCenters.contains(center)
        case .payer:
            return organization.payerID.map(payers.contains) ?? false
        case .manufacturer, .policy: return false
        }
    }

    /// Whether `organization` may open a case for the patient at `center`: a center only at
    /// itself and only for a patient it is related to; the mediator on a center's behalf.
    /// Payers, manufacturers and the registry open no cases.
    public func permitsCase(at center: CenterID, by organization: Organization) -> Bool {
        switch organization.kind {
        case .mediator: return true
        case .center: return organization.centerID == center && includes(organization)
        case .payer, .manufacturer, .registry, .policy: return false
        }
    }

    /// Whether `organization` may refer the patient on to another center: one that is
    /// itself related to the patient as a center (or the mediator). A referral to oneself
    /// is not a referral.
    public func permitsReferral(to center: CenterID, by organization: Organization) -> Bool {
        switch organization.kind {
        case .mediator: return true
        case .center: return organization.centerID != center && includes(organization)
        case .payer, .manufacturer, .registry, .policy: return false
        }
    }
}
