import APIContract
import Access
import CareNetwork
import Contracts
import Core
import Foundation
import OpenAPIRuntime
import Outcomes
import Storage

extension CurePathAPI {
    func listContracts(_ input: Operations.ListContracts.Input) async throws -> Operations.ListContracts.Output {
        let visible = try await store.contracts.allVersions().filter(isVisibleContract)
        return .ok(.init(body: .json(.init(items: visible.map(Components.Schemas.ContractSummary.init)))))
    }

    func fileContract(_ input: Operations.FileContract.Input) async throws -> Operations.FileContract.Output {
        guard case .yaml(let body) = input.body else { throw ValidationError(field: "body", problem: "must be a contract file") }
        let bytes = try await [UInt8](body: body, limit: ContractFile.maximumBytes + 1, describedAs: "a contract file")
        let (terms, filing): (ContractTerms, ContractFiling)
        do {
            (terms, filing) = try await fileContract(document: bytes)
        } catch let refusal as DocumentRefusal {
            throw refusal.validationError
        }
        let summary = Components.Schemas.ContractSummary(terms)
        switch filing {
        case .stored: return .created(.init(body: .json(summary)))
        case .alreadyStored: return .ok(.init(body: .json(summary)))
        }
    }

    func listTreatedPatients(_ input: Operations.ListTreatedPatients.Input) async throws -> Operations.ListTreatedPatients.Output {
        let (limit, offset) = try Parse.page(limit: input.query.limit, offset: input.query.offset, maximum: 1000)
        let (patients, total) = try await store.contracts.treatedPatients(limit: limit, offset: offset)
        return .ok(.init(body: .json(.init(patients: patients.map(Components.Schemas.TreatedPatient.init), total: total, limit: limit, offset: offset))))
    }

    func enrollTreatedPatients(_ input: Operations.EnrollTreatedPatients.Input) async throws -> Operations.EnrollTreatedPatients.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        var issues: [ValidationError.Issue] = []
        var patients: [TreatedPatient] = []
        for (index, item) in body.patients.enumerated() {
            guard let infusion = CalendarDate(iso8601: item.infusionDate) else {
                issues.append(.init(field: "patients[\(index)].infusionDate", problem: "'\(item.infusionDate.prefix(40))' is not a calendar date (YYYY-MM-DD)"))
                continue
            }
            patients.append(TreatedPatient(
                patientID: PatientID(item.patientId), productID: ProductID(item.productId), infusionDate: infusion,
                contractID: ContractID(item.contractId), payingPayer: PayerID(item.payingPayer), centerID: item.centerId.map { CenterID($0) }))
        }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        let enrolled = try await store.contracts.enroll(patients)
        return .ok(.init(body: .json(.init(enrolled: enrolled))))
    }

    /// A contract is shown to the mediator, and to the manufacturer, payers and center it names.
    func isVisibleContract(_ terms: ContractTerms) -> Bool {
        guard let organization = RequestIdentity.current?.principal.organization else { return false }
        switch organization.kind {
        case .mediator: return true
        case .manufacturer: return organization.manufacturer.map { terms.parties.manufacturer.rawValue == $0 } ?? false
        case .payer: return organization.payerID.map { terms.parties.includes($0) } ?? false
        case .center: return terms.parties.center != nil && terms.parties.center == organization.centerID
        case .registry, .policy: return false
        }
    }

    /// The ledger party the caller's organization is, if it is one.
    static func party(of organization: Organization) -> Party? {
        switch organization.kind {
        case .payer: organization.payerID.map(Party.payer)
        case .center: organization.centerID.map(Party.center)
        case .manufacturer: organization.manufacturer.map { Party.manufacturer(ManufacturerID($0)) }
        case .mediator, .registry, .policy: nil
        }
    }
}

extension Components.Schemas.Money {
    init(_ money: Money) { self.init(minorUnits: money.minorUnits, currency: money.currency.rawValue) }
}

extension Components.Schemas.ContractSummary {
    init(_ terms: ContractTerms) {
        self.init(
            id: terms.id.rawValue, version: terms.version, amends: terms.amends, title: terms.title, product: terms.product.rawValue,
            manufacturer: terms.parties.manufacturer.rawValue, payers: terms.parties.payers?.map(\.rawValue), unitPrice: .init(terms.unitPrice),
            effectiveFrom: terms.effective.from.description, effectiveTo: terms.effective.to?.description,
            measures: terms.measures.map(\.id.rawValue), portability: terms.portability.rule.rawValue)
    }
}

extension Components.Schemas.TreatedPatient {
    init(_ patient: TreatedPatient) {
        self.init(
            patientId: patient.patientID.rawValue, contractId: patient.contractID.rawValue, productId: patient.productID.rawValue,
            infusionDate: patient.infusionDate.description, payingPayer: patient.payingPayer.rawValue, centerId: patient.centerID?.rawValue)
    }
}
