import APIContract
import CareNetwork
import Core
import Foundation
import Journey
import OpenAPIRuntime
import Storage

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
        let templates = try await store.journeyTemplates.catalog().current
        return .ok(.init(body: .json(.init(items: templates.map(Components.Schemas.JourneyTemplate.init)))))
    }

    /// Files a journey template version from its file: refused with every problem and its
    /// line and column, or stored for products to name (``JourneyTemplateRepository``).
    func fileJourneyTemplate(_ input: Operations.FileJourneyTemplate.Input) async throws -> Operations.FileJourneyTemplate.Output {
        guard case .yaml(let body) = input.body else { throw ValidationError(field: "body", problem: "must be a journey template file") }
        let bytes = try await [UInt8](body: body, limit: JourneyTemplateFile.limits.maximumBytes + 1, describedAs: "a journey template file")
        let template: JourneyTemplate
        do throws(JourneyTemplateFileError) {
            template = try JourneyTemplateFile.parse(bytes)
        } catch {
            throw error.validationError
        }
        let filing = try await store.journeyTemplates.file(
            template, document: String(decoding: bytes, as: UTF8.self), filedBy: RequestIdentity.current?.principal.userID.rawValue)
        switch filing {
        case .stored: return .created(.init(body: .json(.init(template))))
        case .alreadyStored: return .ok(.init(body: .json(.init(template))))
        }
    }
}

extension Components.Schemas.JourneyTemplate {
    init(_ template: JourneyTemplate) {
        self.init(
            id: template.id, version: template.version, reference: template.reference, shipped: JourneyTemplate.isBuiltIn(template.id),
            name: template.name, infusionStage: template.infusionStage.rawValue,
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
