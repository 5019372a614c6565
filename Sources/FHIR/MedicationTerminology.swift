import Foundation

/// One anticancer agent as CurePath names it, how FHIR codes it, and the classes criteria ask for.
public struct AgentTerm: Hashable, Sendable {
    /// CurePath's agent name (lower case, `-` for spaces): `rituximab`, `axicabtagene-ciloleucel`.
    public let agent: String
    /// The RxNorm ingredient concept, where CurePath is sure of it.
    public let rxNorm: String?
    /// Lower-case names matched exactly against a medication's text or display when no
    /// listed RxNorm code is present: the ingredient name and US brand names.
    public let names: [String]
    public let classes: [String]
}

/// RxNorm and names ↔ therapy agents: the one table the import reads and the export writes.
///
/// RxNorm ingredient concepts are listed only where verified; the CAR-T products and
/// polatuzumab vedotin are matched by name, because a wrong code would mark a patient as
/// having had CAR-T. Clinical-drug codes (`rituximab 10 MG/ML Injection`) are not
/// ingredients and are matched only through their text, exactly.
public enum MedicationTerminology {
    public static let all: [AgentTerm] = [
        AgentTerm(agent: "rituximab", rxNorm: "121191", names: ["rituximab", "rituxan"], classes: ["anti-cd20"]),
        AgentTerm(agent: "obinutuzumab", rxNorm: "974779", names: ["obinutuzumab", "gazyva"], classes: ["anti-cd20"]),
        AgentTerm(agent: "cyclophosphamide", rxNorm: "3002", names: ["cyclophosphamide"], classes: ["alkylating-agent"]),
        AgentTerm(agent: "ifosfamide", rxNorm: "5657", names: ["ifosfamide", "ifex"], classes: ["alkylating-agent"]),
        AgentTerm(agent: "bendamustine", rxNorm: "134547", names: ["bendamustine", "treanda", "bendeka"], classes: ["alkylating-agent"]),
        AgentTerm(agent: "doxorubicin", rxNorm: "3639", names: ["doxorubicin"], classes: ["anthracycline"]),
        AgentTerm(agent: "vincristine", rxNorm: "11202", names: ["vincristine"], classes: ["vinca-alkaloid"]),
        AgentTerm(agent: "prednisone", rxNorm: "8640", names: ["prednisone"], classes: ["corticosteroid"]),
        AgentTerm(agent: "dexamethasone", rxNorm: "3264", names: ["dexamethasone"], classes: ["corticosteroid"]),
        AgentTerm(agent: "methylprednisolone", rxNorm: "6902", names: ["methylprednisolone"], classes: ["corticosteroid"]),
        AgentTerm(agent: "etoposide", rxNorm: "4179", names: ["etoposide"], classes: ["topoisomerase-inhibitor"]),
        AgentTerm(agent: "carboplatin", rxNorm: "40048", names: ["carboplatin"], classes: ["platinum"]),
        AgentTerm(agent: "cisplatin", rxNorm: "2555", names: ["cisplatin"], classes: ["platinum"]),
        AgentTerm(agent: "oxaliplatin", rxNorm: "32592", names: ["oxaliplatin"], classes: ["platinum"]),
        AgentTerm(agent: "gemcitabine", rxNorm: "12574", names: ["gemcitabine"], classes: ["antimetabolite"]),
        AgentTerm(agent: "cytarabine", rxNorm: "3041", names: ["cytarabine"], classes: ["antimetabolite"]),
        AgentTerm(agent: "fludarabine", rxNorm: "24698", names: ["fludarabine"], classes: ["antimetabolite"]),
        AgentTerm(agent: "lenalidomide", rxNorm: "342369", names: ["lenalidomide", "revlimid"], classes: ["immunomodulator"]),
        AgentTerm(agent: "polatuzumab-vedotin", rxNorm: nil, names: ["polatuzumab vedotin", "polatuzumab vedotin-piiq", "polivy"], classes: ["anti-cd79b", "antibody-drug-conjugate"]),
        AgentTerm(agent: "brentuximab-vedotin", rxNorm: "1147320", names: ["brentuximab vedotin", "adcetris"], classes: ["anti-cd30", "antibody-drug-conjugate"]),
        AgentTerm(agent: "axicabtagene-ciloleucel", rxNorm: nil, names: ["axicabtagene ciloleucel", "yescarta"], classes: ["car-t"]),
        AgentTerm(agent: "tisagenlecleucel", rxNorm: nil, names: ["tisagenlecleucel", "kymriah"], classes: ["car-t"]),
        AgentTerm(agent: "lisocabtagene-maraleucel", rxNorm: nil, names: ["lisocabtagene maraleucel", "breyanzi"], classes: ["car-t"]),
        AgentTerm(agent: "brexucabtagene-autoleucel", rxNorm: nil, names: ["brexucabtagene autoleucel", "tecartus"], classes: ["car-t"]),
        AgentTerm(agent: "idecabtagene-vicleucel", rxNorm: nil, names: ["idecabtagene vicleucel", "abecma"], classes: ["car-t"]),
        AgentTerm(agent: "ciltacabtagene-autoleucel", rxNorm: nil, names: ["ciltacabtagene autoleucel", "carvykti"], classes: ["car-t"]),
    ]

    static func term(rxNorm code: String) -> AgentTerm? { all.first { $0.rxNorm == code } }
    static func term(agent: String) -> AgentTerm? { all.first { $0.agent == agent } }

    /// The agent a free-text name means: exact after trimming and lower-casing, or CurePath's own agent name.
    static func term(named text: String) -> AgentTerm? {
        let name = text.trimmingCharacters(in: .whitespaces).lowercased()
        return all.first { $0.names.contains(name) || $0.agent == name }
    }
}
