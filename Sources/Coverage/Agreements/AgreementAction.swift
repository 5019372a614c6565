import Core
import Foundation

/// A step a side asks to take on an agreement, as the API and the pages receive it.
public enum AgreementAction: Hashable, Sendable {
    case propose(Agreement.Proposal)
    case send
    /// Accept the version with this number (it must be the latest).
    case accept(version: Int)
    case sign
    case interimLetter

    /// The action a request names, or an error naming `field`.
    public static func named(_ name: String, proposal: Agreement.Proposal, version: Int?, field: String = "step") throws(ValidationError) -> AgreementAction {
        switch name {
        case "propose": return .propose(proposal)
        case "send": return .send
        case "accept":
            guard let version else { throw ValidationError(field: "version", problem: "name the version accepted") }
            return .accept(version: version)
        case "sign": return .sign
        case "interim-letter": return .interimLetter
        default: throw ValidationError(field: field, problem: "must be propose, send, accept, sign or interim-letter")
        }
    }
}

extension Agreement {
    /// Takes `action` for `party`: the one place each action's rules are applied, whichever
    /// edge asked. Returns the new agreement and the journey step it was, if any.
    public func taking(_ action: AgreementAction, by party: AgreementParty, library: TermLibrary, at: Date) throws(ValidationError) -> (Agreement, AgreementStep?) {
        switch action {
        case .propose(let proposal): return (try proposing(proposal, by: party, library: library, at: at), nil)
        case .send:
            guard party == .center else { throw ValidationError(field: "party", problem: "the center sends its agreement to the payer") }
            return (try sending(library: library, at: at), .sent)
        case .accept(let version): return (try accepting(version: version, by: party, at: at), nil)
        case .sign: return (try signing(by: party, at: at), .signed)
        case .interimLetter: return (try issuingInterimLetter(library: library, at: at), nil)
        }
    }
}
