import APIContract
import CareNetwork
import Core
import Journey

extension CurePathAPI {
    func listCenters(_ input: Operations.ListCenters.Input) async throws -> Operations.ListCenters.Output {
        let directory = try await store.reference.directory()
        return .ok(.init(body: .json(.init(items: directory.centers.map(Components.Schemas.Center.init)))))
    }

    func listPayers(_ input: Operations.ListPayers.Input) async throws -> Operations.ListPayers.Output {
        let directory = try await store.reference.directory()
        let payers = directory.payers.map { Components.Schemas.Payer($0, plans: directory.plans) }
        return .ok(.init(body: .json(.init(items: payers))))
    }

    func listProducts(_ input: Operations.ListProducts.Input) async throws -> Operations.ListProducts.Output {
        let directory = try await store.reference.directory()
        return .ok(.init(body: .json(.init(items: directory.products.map(Components.Schemas.Product.init)))))
    }

    func listJourneyTemplates(_ input: Operations.ListJourneyTemplates.Input) async throws -> Operations.ListJourneyTemplates.Output {
        let templates = JourneyTemplate.builtIn.map { template in
            Components.Schemas.JourneyTemplate(
                id: template.id, name: template.name, infusionStage: template.infusionStage.rawValue,
                stages: template.stages.map { stage in
                    .init(
                        key: stage.key.rawValue, name: stage.name, skippable: stage.skippable, controllable: stage.controllable,
                        dependencies: stage.dependencies.map {
                            .init(predecessor: $0.predecessor.rawValue, kind: .init(rawValue: $0.kind.rawValue)!, overridable: $0.overridable)
                        }
                    )
                }
            )
        }
        return .ok(.init(body: .json(.init(items: templates))))
    }
}

extension Components.Schemas.Center {
    init(_ center: Center) {
        self.init(
            id: center.id.rawValue, name: center.name, street: center.street, city: center.city, state: center.state,
            postalCode: center.postalCode, timeZone: center.timeZone,
            accreditations: center.accreditations.map { .init(rawValue: $0.rawValue)! }, workflow: .init(rawValue: center.workflow.rawValue)!,
            products: center.products.map(\.rawValue)
        )
    }
}

extension Components.Schemas.Payer {
    /// The payer with its own plans, picked out of `plans`.
    init(_ payer: Payer, plans: [Plan]) {
        self.init(
            id: payer.id.rawValue, name: payer.name, kind: .init(rawValue: payer.kind.rawValue)!, state: payer.state,
            plans: plans.filter { $0.payerID == payer.id }.map(Components.Schemas.Plan.init))
    }
}

extension Components.Schemas.Plan {
    init(_ plan: Plan) {
        self.init(id: plan.id.rawValue, payerId: plan.payerID.rawValue, name: plan.name, _type: .init(rawValue: plan.type.rawValue)!, state: plan.state)
    }
}

extension Components.Schemas.Product {
    init(_ product: Product) {
        self.init(
            id: product.id.rawValue, name: product.name, genericName: product.genericName, manufacturer: product.manufacturer,
            modality: .init(rawValue: product.modality.rawValue)!,
            listPrice: .init(product.listPrice),
            journeyTemplate: product.journeyTemplate, typicalManufacturingDays: product.typicalManufacturingDays,
            indications: product.indications, ndc: product.ndc, hcpcs: product.hcpcs
        )
    }
}
