import APIContract
import Access
import CareNetwork
import Core
import Foundation
import Storage

extension CurePathAPI {
    func registerPatient(_ input: Operations.RegisterPatient.Input) async throws -> Operations.RegisterPatient.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let (patient, isNew) = try await register(PatientRegistration(
            id: body.id, birthYear: String(body.birthYear), sex: body.sex.rawValue,
            identifiers: body.identifiers.map {
                PatientRegistration.Identifiers(givenName: $0.givenName, familyName: $0.familyName, birthDate: $0.birthDate, postalCode: $0.postalCode, phone: $0.phone)
            }))
        let response = Components.Schemas.Patient(patient)
        return isNew ? .created(.init(body: .json(response))) : .ok(.init(body: .json(response)))
    }

    /// The patient's documented relationships (``PatientRelationships``), when the patient
    /// exists and the caller's organization is among them. Otherwise "not found" — the same
    /// answer whether the patient exists or not, so nothing outside the caller's scope is
    /// revealed. The patient is named on the request's audit row.
    @discardableResult
    func requirePatientRelated(_ id: PatientID) async throws -> PatientRelationships {
        guard let organization = RequestIdentity.current?.principal.organization,
              try await store.reference.patient(id) != nil
        else { throw NotFoundError(entity: "patient", id: id.rawValue) }
        let relationships = try await store.relationships.relationships(of: id)
        guard relationships.includes(organization) else { throw NotFoundError(entity: "patient", id: id.rawValue) }
        RequestIdentity.touch("patient:\(id)")
        return relationships
    }

    func requirePatientVisible(_ id: PatientID) async throws {
        try await requirePatientRelated(id)
    }

    /// Whether the caller's organization has a documented relationship with the patient.
    func patientIsVisible(_ id: PatientID) async throws -> Bool {
        guard let organization = RequestIdentity.current?.principal.organization else { return false }
        return try await store.relationships.relationships(of: id).includes(organization)
    }

    func getPatientIdentifiers(_ input: Operations.GetPatientIdentifiers.Input) async throws -> Operations.GetPatientIdentifiers.Output {
        let id: PatientID = try Identifier.validated(input.path.patientId, field: "patientId")
        let reason = try Parse.text(input.query.reason, field: "reason", maxLength: 500) ?? ""
        guard reason.count >= 10 else {
            throw ValidationError(field: "reason", problem: "must say why the identifiers are needed, in at least 10 characters")
        }
        guard let current = RequestIdentity.current, try await store.reference.patient(id) != nil else {
            throw NotFoundError(entity: "patient", id: id.rawValue)
        }
        try await requirePatientVisible(id)
        // The read is on the record before anything is shown: if the audit log cannot be
        // written, the identifiers are not returned.
        try await store.audit.append(AuditRecord(
            current.principal, .readIdentifiers, object: "patient:\(id)", outcome: .allowed, at: clock(),
            requestID: current.requestID, detail: "reason: \(reason)"))
        guard let identifiers = try await store.reference.identifiers(of: id) else {
            throw NotFoundError(entity: "identifiers of patient", id: id.rawValue)
        }
        return .ok(.init(headers: .init(cacheControl: "no-store"), body: .json(.init(
            patientId: id.rawValue, givenName: identifiers.givenName, familyName: identifiers.familyName,
            birthDate: identifiers.birthDate.description, postalCode: identifiers.postalCode, phone: identifiers.phone))))
    }

    func getPatient(_ input: Operations.GetPatient.Input) async throws -> Operations.GetPatient.Output {
        let id: PatientID = try Identifier.validated(input.path.patientId, field: "patientId")
        try await requirePatientVisible(id)
        guard let patient = try await store.reference.patient(id) else { throw NotFoundError(entity: "patient", id: id.rawValue) }
        return .ok(.init(body: .json(.init(patient))))
    }

    func listCoveragePeriods(_ input: Operations.ListCoveragePeriods.Input) async throws -> Operations.ListCoveragePeriods.Output {
        let id: PatientID = try Identifier.validated(input.path.patientId, field: "patientId")
        guard try await store.reference.patient(id) != nil else { throw NotFoundError(entity: "patient", id: id.rawValue) }
        try await requirePatientVisible(id)
        let periods = try await store.reference.coveragePeriods(of: id)
        return .ok(.init(body: .json(.init(items: periods.map(Components.Schemas.CoveragePeriod.init)))))
    }

    func addCoveragePeriod(_ input: Operations.AddCoveragePeriod.Input) async throws -> Operations.AddCoveragePeriod.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let (period, isNew) = try await add(CoverageEntry(
            id: body.id, payerID: body.payerId, planID: body.planId, memberID: body.memberId, start: body.start, end: body.end
        ), toPatient: input.path.patientId)
        let response = Components.Schemas.CoveragePeriod(period)
        return isNew ? .created(.init(body: .json(response))) : .ok(.init(body: .json(response)))
    }
}

extension Components.Schemas.Patient {
    init(_ patient: Patient) {
        self.init(id: patient.id.rawValue, birthYear: patient.birthYear, sex: .init(rawValue: patient.sex.rawValue)!)
    }
}

extension Components.Schemas.CoveragePeriod {
    /// Member IDs identify a person, so they are not part of the API's answer.
    init(_ period: CoveragePeriod) {
        self.init(
            id: period.id.rawValue, patientId: period.patientID.rawValue, payerId: period.payerID.rawValue, planId: period.planID.rawValue,
            start: period.start.description, end: period.end?.description
        )
    }
}
