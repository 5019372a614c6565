import Core
import Foundation

/// The stages a product's cases go through and how they depend on one another.
///
/// Templates are data: the engine validates events and computes metrics from whatever
/// template a product names, so a new therapy needs a template, not code. CurePath ships
/// three as files (``JourneyTemplateFile``, `Sources/Journey/Templates`); a network files its
/// own, and ``JourneyTemplateCatalog`` finds either by the reference a case keeps.
public struct JourneyTemplate: Hashable, Sendable, Codable {
    public var id: String
    /// Filed templates are never rewritten: a change is a new version, and a case keeps the
    /// version it was opened with (``reference``).
    public var version: Int
    public var name: String
    /// Stages in display order; every dependency names an earlier stage.
    public var stages: [Stage]
    /// The stage whose completion is the infusion: it ends the case as infused.
    public var infusionStage: StageKey

    public init(id: String, version: Int = 1, name: String, stages: [Stage], infusionStage: StageKey) {
        self.id = id
        self.version = version
        self.name = name
        self.stages = stages
        self.infusionStage = infusionStage
    }

    public func stage(_ key: StageKey) -> Stage? { stages.first { $0.key == key } }

    public var firstStage: StageKey { stages[0].key }

    /// Stages that may still happen after infusion: those that (transitively) follow it.
    public var postInfusionStages: Set<StageKey> {
        var result: Set<StageKey> = []
        var changed = true
        while changed {
            changed = false
            for stage in stages where !result.contains(stage.key) {
                if stage.dependencies.contains(where: { $0.predecessor == infusionStage || result.contains($0.predecessor) }) {
                    result.insert(stage.key)
                    changed = true
                }
            }
        }
        return result
    }

    /// What a case records to find its template again: the id alone for a template CurePath
    /// ships (it changes only with CurePath, tested to keep every stored case replaying), and
    /// `id@version` for a filed one, so that filing a new version never changes the rules of
    /// a case already open.
    public var reference: String {
        JourneyTemplate.isBuiltIn(id) ? id : "\(id)@\(version)"
    }

    /// Template ids are identifiers (1–64 letters, digits, `-`, `_`, `.`), so `@` can join a
    /// version to one unambiguously.
    public static func isValidID(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy {
            (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E
        }
    }

    /// The templates CurePath ships, read from the files in `Sources/Journey/Templates`.
    public static let builtIn: [JourneyTemplate] = shippedFiles.map(\.template)

    /// Whether `id` is a template CurePath ships; a network cannot file a template under it.
    public static func isBuiltIn(_ id: String) -> Bool { builtIn.contains { $0.id == id } }

    /// The shipped template `id`. Cases resolve references (built-in or filed) through
    /// ``JourneyTemplateCatalog``; this is for code that needs one of CurePath's own.
    public static func named(_ id: String) -> JourneyTemplate? { builtIn.first { $0.id == id } }

    /// The autologous CAR-T journey of the brief (`car-t.yaml`).
    public static var carT: JourneyTemplate { named("car-t")! }
    /// An ex vivo gene therapy such as exa-cel or lovo-cel (`gene-therapy.yaml`).
    public static var geneTherapy: JourneyTemplate { named("gene-therapy")! }
    /// An in vivo gene therapy such as onasemnogene, etoranacogene or valoctocogene: one
    /// infusion, no apheresis, manufacturing or conditioning (`in-vivo-gene-therapy.yaml`).
    public static var inVivoGeneTherapy: JourneyTemplate { named("in-vivo-gene-therapy")! }

    /// The shipped files, each with its text and the template it reads to, in journey-kind
    /// order. They ship with the program, so a file that does not read is a defect, not bad
    /// input: tests read every one.
    public static let shippedFiles: [(name: String, document: String, template: JourneyTemplate)] = {
        ["car-t", "gene-therapy", "in-vivo-gene-therapy"].map { name in
            guard let url = Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Templates")
                ?? Bundle.module.url(forResource: name, withExtension: "yaml"),
                let text = try? String(contentsOf: url, encoding: .utf8)
            else { preconditionFailure("the journey template file \(name).yaml is missing from the Journey bundle") }
            do {
                return (name, text, try JourneyTemplateFile.parse(text))
            } catch {
                preconditionFailure("the shipped journey template \(name).yaml does not read: \(error)")
            }
        }
    }()
}

extension StageKey {
    public static let referral: StageKey = "referral"
    public static let benefitsInvestigation: StageKey = "benefits_investigation"
    public static let priorAuthorization: StageKey = "prior_authorization"
    public static let financialAgreement: StageKey = "financial_agreement"
    public static let mobilization: StageKey = "mobilization"
    public static let apheresis: StageKey = "apheresis"
    public static let manufacturing: StageKey = "manufacturing"
    public static let lymphodepletion: StageKey = "lymphodepletion"
    public static let conditioning: StageKey = "conditioning"
    public static let pretreatmentTesting: StageKey = "pretreatment_testing"
    public static let infusion: StageKey = "infusion"
    public static let inpatientRecovery: StageKey = "inpatient_recovery"
    public static let followUp: StageKey = "follow_up"
    public static let longTermFollowUp: StageKey = "long_term_follow_up"
}

