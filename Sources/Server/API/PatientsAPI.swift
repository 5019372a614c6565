import APIContract
import Access
import CareNetwork
import Core
import Foundation
import Storage

extension CurePathAPI {
    func registerPatient(_ input: Operations.RegisterPatient.Input) async throws -> Operations.RegisterPatient.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let id: PatientID = try Parse.identifier(body.id, field: "id") ?? PatientID("pat-\(UUID().uuidString.prefix(8).lowercased())")
        let thisYear = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: clock()).year
        guard (1900...thisYear).contains(body.birthYear) else {
            throw ValidationError(field: "birthYear", problem: "must be between 1900 and \(thisYear), got \(body.birthYear)")
        }
        let patient = Patient(id: id, birthYear: body.birthYear, sex: Sex(rawValue: body.sex.rawValue)!)
        let identifiers = try body.identifiers.map { raw throws(ValidationError) in
            let birthDate = try CalendarDate.parse(raw.birthDate, field: "identifiers.birthDate")
            guard birthDate.year == body.birthYear else {
                throw ValidationError(field: "identifiers.birthDate", problem: "\(birthDate) does not fall in birthYear \(body.birthYear)")
            }
            return PersonalIdentifiers(
                patientID: id,
                givenName: try Parse.text(raw.givenName, field: "identifiers.givenName", maxLength: 100) ?? "",
                familyName: try Parse.text(raw.familyName, field: "identifiers.familyName", maxLength: 100) ?? "",
                birthDate: birthDate,
                postalCode: try Parse.text(raw.postalCode, field: "identifiers.postalCode", maxLength: 20) ?? "",
                phone: try Parse.text(raw.phone, field: "identifiers.phone", maxLength: 40)
            )
        }
        if let identifiers {
            for (field, value) in [("givenName", identifiers.givenName), ("familyName", identifiers.familyName), ("postalCode", identifiers.postalCode)]
            where value.isEmpty {
                throw ValidationError(field: "identifiers.\(field)", problem: "is required")
            }
        }
        // An ID another organization's patient already holds is refused the same way whatever
        // the body says, so registering cannot test a stranger's birth year or sex.
        if try await store.reference.patient(id) != nil, try await !patientIsVisible(id) {
            throw StorageError.idTaken(id.rawValue)
        }
        RequestIdentity.touch("patient:\(id)")
        let isNew = try await store.reference.register(patient, identifiers: identifiers, registeredBy: RequestIdentity.current?.principal.organization.id)
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
        let patientID: PatientID = try Identifier.validated(input.path.patientId, field: "patientId")
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        guard try await store.reference.patient(patientID) != nil else { throw NotFoundError(entity: "patient", id: patientID.rawValue) }
        try await requirePatientVisible(patientID)
        let payerID: PayerID = try Identifier.validated(body.payerId, field: "payerId")
        let planID: PlanID = try Identifier.validated(body.planId, field: "planId")
        let directory = try await store.reference.directory()
        guard directory.payer(payerID) != nil else { throw ValidationError(field: "payerId", problem: "no payer '\(payerID)'") }
        guard let plan = directory.plan(planID) else { throw ValidationError(field: "planId", problem: "no plan '\(planID)'") }
        guard plan.payerID == payerID else { throw ValidationError(field: "planId", problem: "plan '\(planID)' belongs to payer '\(plan.payerID)', not '\(payerID)'") }
        let start = try CalendarDate.parse(body.start, field: "start")
        let end = try Parse.date(body.end, field: "end")
        if let end, end < start { throw ValidationError(field: "end", problem: "\(end) is before start \(start)") }
        guard let memberID = try Parse.text(body.memberId, field: "memberId", maxLength: 64) else {
            throw ValidationError(field: "memberId", problem: "is required")
        }
        let id: CoveragePeriodID = try Parse.identifier(body.id, field: "id") ?? CoveragePeriodID("cov-\(UUID().uuidString.prefix(8).lowercased())")
        let period = CoveragePeriod(id: id, patientID: patientID, payerID: payerID, planID: planID, memberID: memberID, start: start, end: end)
        let isNew = try await store.reference.add(period)
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
