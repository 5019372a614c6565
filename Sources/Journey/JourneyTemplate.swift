import Core

/// The stages a product's cases go through and how they depend on one another.
///
/// Templates are data: the engine validates events and computes metrics from whatever
/// template a product names, so a new therapy needs a template, not code.
public struct JourneyTemplate: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// Stages in display order; every dependency names an earlier stage.
    public var stages: [Stage]
    /// The stage whose completion is the infusion: it ends the case as infused.
    public var infusionStage: StageKey

    public init(id: String, name: String, stages: [Stage], infusionStage: StageKey) {
        self.id = id
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

    /// The templates CurePath ships with.
    public static let builtIn: [JourneyTemplate] = [.carT, .geneTherapy]

    public static func named(_ id: String) -> JourneyTemplate? { builtIn.first { $0.id == id } }
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
    public static let infusion: StageKey = "infusion"
    public static let inpatientRecovery: StageKey = "inpatient_recovery"
    public static let followUp: StageKey = "follow_up"
    public static let longTermFollowUp: StageKey = "long_term_follow_up"
}

extension JourneyTemplate {
    /// The autologous CAR-T journey of the brief: referral to follow-up in nine stages.
    /// Benefits investigation, prior authorization and the financial agreement may overlap;
    /// apheresis waits for authorization and the agreement unless the center takes the risk.
    public static let carT = JourneyTemplate(
        id: "car-t",
        name: "Autologous CAR-T",
        stages: [
            Stage(key: .referral, name: "Referral"),
            Stage(key: .benefitsInvestigation, name: "Benefits investigation",
                  dependencies: [Dependency(.referral, .startToStart)], skippable: true),
            Stage(key: .priorAuthorization, name: "Prior authorization",
                  dependencies: [Dependency(.benefitsInvestigation, .startToStart)], skippable: true),
            Stage(key: .financialAgreement, name: "Financial agreement",
                  dependencies: [Dependency(.benefitsInvestigation, .startToStart)], skippable: true),
            Stage(key: .apheresis, name: "Apheresis",
                  dependencies: [
                      Dependency(.referral, .finishToStart),
                      Dependency(.priorAuthorization, .finishToStart, overridable: true),
                      Dependency(.financialAgreement, .finishToStart, overridable: true),
                  ]),
            Stage(key: .manufacturing, name: "Manufacturing",
                  dependencies: [Dependency(.apheresis, .finishToStart)], controllable: false),
            Stage(key: .lymphodepletion, name: "Lymphodepletion",
                  dependencies: [Dependency(.manufacturing, .finishToStart)], controllable: false),
            Stage(key: .infusion, name: "Infusion",
                  dependencies: [Dependency(.lymphodepletion, .finishToStart)], controllable: false),
            Stage(key: .followUp, name: "Follow-up",
                  dependencies: [Dependency(.infusion, .finishToStart)]),
        ],
        infusionStage: .infusion
    )

    /// An ex vivo gene therapy (e.g. exa-cel, lovo-cel): stem-cell mobilization and
    /// collection, manufacturing, myeloablative conditioning, infusion, inpatient recovery
    /// and up to 15 years of follow-up.
    public static let geneTherapy = JourneyTemplate(
        id: "gene-therapy",
        name: "Ex vivo gene therapy",
        stages: [
            Stage(key: .referral, name: "Referral"),
            Stage(key: .benefitsInvestigation, name: "Benefits investigation",
                  dependencies: [Dependency(.referral, .startToStart)], skippable: true),
            Stage(key: .priorAuthorization, name: "Prior authorization",
                  dependencies: [Dependency(.benefitsInvestigation, .startToStart)], skippable: true),
            Stage(key: .financialAgreement, name: "Financial agreement",
                  dependencies: [Dependency(.benefitsInvestigation, .startToStart)], skippable: true),
            Stage(key: .mobilization, name: "Mobilization",
                  dependencies: [
                      Dependency(.referral, .finishToStart),
                      Dependency(.priorAuthorization, .finishToStart, overridable: true),
                      Dependency(.financialAgreement, .finishToStart, overridable: true),
                  ]),
            Stage(key: .apheresis, name: "Apheresis",
                  dependencies: [Dependency(.mobilization, .finishToStart)]),
            Stage(key: .manufacturing, name: "Manufacturing",
                  dependencies: [Dependency(.apheresis, .finishToStart)], controllable: false),
            Stage(key: .conditioning, name: "Myeloablative conditioning",
                  dependencies: [Dependency(.manufacturing, .finishToStart)], controllable: false),
            Stage(key: .infusion, name: "Infusion",
                  dependencies: [Dependency(.conditioning, .finishToStart)], controllable: false),
            Stage(key: .inpatientRecovery, name: "Inpatient recovery",
                  dependencies: [Dependency(.infusion, .finishToStart)], controllable: false),
            Stage(key: .longTermFollowUp, name: "Long-term follow-up",
                  dependencies: [Dependency(.infusion, .finishToStart)]),
        ],
        infusionStage: .infusion
    )
}
