import Core

/// A payer's decision on a prior-authorization request, read from a FHIR ClaimResponse.
///
/// The PA lifecycle needs four facts from the response — which request, what was decided,
/// when, and for which period the authorization holds — and nothing else; reading them
/// here keeps FHIR out of the lifecycle and its decision clocks.
public struct ClaimDecision: Hashable, Sendable, Codable {
    /// What the payer decided.
    public enum Outcome: String, Hashable, Sendable, Codable, CaseIterable {
        /// Certified in total (X12 306 `A1`).
        case approved
        /// Not certified (`A3`).
        case denied
        /// Pended for review or more information (`A4`, or ClaimResponse.outcome `queued`).
        case pended
        /// Certified in part or modified (`A2`, `A6`).
        case partial
        /// Cancelled by the payer (`C`).
        case cancelled
    }

    /// CurePath's request id, from `ClaimResponse.request` (identifier value, or `Claim/<id>`).
    public var requestIdentifier: String
    public var outcome: Outcome
    /// The payer's words: `disposition`, else the review action's reason, else the adjudication reason.
    public var reason: String?
    /// The authorization number to quote on the claim.
    public var preAuthRef: String?
    /// The day the response was created.
    public var decidedOn: CalendarDate
    /// The period the authorization holds, when given.
    public var validFrom: CalendarDate?
    public var validTo: CalendarDate?

    public init(
        requestIdentifier: String, outcome: Outcome, reason: String? = nil, preAuthRef: String? = nil, decidedOn: CalendarDate,
        validFrom: CalendarDate? = nil, validTo: CalendarDate? = nil
    ) {
        self.requestIdentifier = requestIdentifier
        self.outcome = outcome
        self.reason = reason
        self.preAuthRef = preAuthRef
        self.decidedOn = decidedOn
        self.validFrom = validFrom
        self.validTo = validTo
    }
}
