import CareNetwork
import Core
import Foundation
import Journey

public enum AgreementTag {}
public typealias AgreementID = Identifier<AgreementTag>

/// The two sides of a single-case agreement.
public enum AgreementParty: String, Hashable, Sendable, Codable, CaseIterable {
    case center, payer

    public var other: AgreementParty { self == .center ? .payer : .center }
}

/// One term as a version of the agreement states it: which version of the term, and the
/// negotiated values of its parameters.
public struct AgreedTerm: Hashable, Sendable, Codable {
    public var term: TermReference
    public var values: [String: String]

    public init(_ term: TermReference, values: [String: String]) {
        self.term = term
        self.values = values
    }
}

/// One proposal in a negotiation: the whole agreement as one side put it, when.
public struct AgreementVersion: Hashable, Sendable, Codable {
    public var number: Int
    public var proposedBy: AgreementParty
    public var at: Date
    public var note: String?
    public var terms: [AgreedTerm]

    public func term(_ id: TermID) -> AgreedTerm? { terms.first { $0.term.id == id } }
}

/// A single-case agreement between a center and a payer for one case: the template it came
/// from, every version either side proposed, the acceptance, the signatures and any interim
/// letter of agreement.
///
/// Like a PA request it is changed only through its operations (propose, send, accept, sign,
/// issue a letter), each checked and returning the new state, so every version stays on
/// record and a redline can be drawn between any two.
public struct Agreement: Hashable, Sendable, Codable {
    public var id: AgreementID
    public var caseID: CaseID
    public var patient: PatientID
    public var center: CenterID
    public var payer: PayerID
    public var product: ProductID
    public var template: TermReferenceOfTemplate
    public var createdAt: Date
    public var versions: [AgreementVersion]
    /// When the first version went to the payer; the negotiation's clock starts here.
    public var sentAt: Date?
    public var acceptance: Acceptance?
    public var signatures: [AgreementParty: Date]
    public var interimLetter: InterimLetter?

    public struct TermReferenceOfTemplate: Hashable, Sendable, Codable {
        public var id: AgreementTemplateID
        public var version: Int
    }

    /// The counterparty's acceptance of one version as it stands.
    public struct Acceptance: Hashable, Sendable, Codable {
        public var version: Int
        public var by: AgreementParty
        public var at: Date
    }

    /// What an interim letter of agreement lets start before the whole agreement is signed.
    public struct InterimLetter: Hashable, Sendable, Codable {
        public var issuedAt: Date
        public var version: Int
        /// The terms both sides have agreed, which the letter lists.
        public var agreedTerms: [TermReference]
    }

    public var latest: AgreementVersion { versions[versions.count - 1] }

    public var status: AgreementStatus {
        if signatures.count == AgreementParty.allCases.count { return .signed }
        if acceptance != nil { return .agreed }
        return sentAt == nil ? .draft : .negotiating
    }

    public func version(_ number: Int) -> AgreementVersion? { versions.first { $0.number == number } }
}

/// Where an agreement stands.
public enum AgreementStatus: String, Hashable, Sendable, Codable {
    /// The center is preparing version 1.
    case draft
    /// Sent; versions go back and forth.
    case negotiating
    /// One side accepted the other's latest version; awaiting signatures.
    case agreed
    case signed
}
