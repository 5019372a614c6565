import CareNetwork
import Contracts
import Foundation

/// How the ledger pages name a party and link to its statement. Codes such as
/// `payer:pay-aetna` are what the ledger and the API use; people read the organization's
/// name, so pages show both wherever the directory knows the name.
enum LedgerPartyLabel {
    /// The directory's name for payers and centers; manufacturers and the mediator hold
    /// accounts under contract identifiers the directory does not list, so they keep the
    /// identifier.
    static func name(of party: Party, in directory: Directory) -> String {
        switch party {
        case .payer(let id): directory.payer(id)?.name ?? id.rawValue
        case .center(let id): directory.center(id)?.name ?? id.rawValue
        case .manufacturer(let id): id.rawValue
        case .mediator(let id): id.rawValue
        }
    }

    /// `Aetna (payer:pay-aetna)`, or just the code when the name would only repeat it.
    static func label(of party: Party, in directory: Directory) -> String {
        let display = name(of: party, in: directory)
        return party.code.hasSuffix(":" + display) ? party.code : "\(display) (\(party.code))"
    }

    /// `/ledger/statements/payer:pay-aetna`, the page the party's statement is on. The colon
    /// may stay as it is in a path segment; anything an identifier holds that may not is encoded.
    static func statementPath(_ party: Party) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~:"))
        return "/ledger/statements/" + (party.code.addingPercentEncoding(withAllowedCharacters: allowed) ?? party.code)
    }
}
