import Access
import CareNetwork
import Core
import Foundation
import Storage

/// A patient as a person registered them — the API's JSON body or the registration page's
/// form — before they are a ``Patient`` with sealed ``PersonalIdentifiers``. Fields keep the
/// API's names; a page maps them to its own form fields when it shows an error.
struct PatientRegistration {
    struct Identifiers {
        var givenName: String?
        var familyName: String?
        var birthDate: String
        var postalCode: String?
        var phone: String?
    }

    /// `nil`: a new ID is made.
    var id: String?
    /// `nil`: the year of the identifiers' birth date (a form that asks for the date asks
    /// for nothing twice).
    var birthYear: String?
    var sex: String
    var identifiers: Identifiers?
}

extension CurePathAPI {
    /// Registers a patient: the one path the API and the registration page share.
    ///
    /// The identifiers are sealed by the store as they always were; the registering
    /// organization becomes the patient's first documented relationship
    /// (``PatientRelationships``), which is what later lets its center open a case.
    func register(_ input: PatientRegistration) async throws -> (patient: Patient, isNew: Bool) {
        let id: PatientID = try Parse.identifier(input.id, field: "id") ?? PatientID("pat-\(UUID().uuidString.prefix(8).lowercased())")
        let thisYear = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: clock()).year
        guard let sex = Sex(rawValue: input.sex) else {
            throw ValidationError(field: "sex", problem: "must be one of \(Sex.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let birthDate = try input.identifiers.map { raw throws(ValidationError) in try CalendarDate.parse(raw.birthDate, field: "identifiers.birthDate") }
        let birthYear: Int
        if let raw = input.birthYear {
            guard let year = Int(raw.trimmingCharacters(in: .whitespaces)) else { throw ValidationError(field: "birthYear", problem: "must be a year such as 1968") }
            birthYear = year
        } else if let birthDate {
            birthYear = birthDate.year
        } else {
            throw ValidationError(field: "birthYear", problem: "is required")
        }
        guard (1900...thisYear).contains(birthYear) else {
            throw ValidationError(field: input.birthYear == nil ? "identifiers.birthDate" : "birthYear",
                                  problem: "must be between 1900 and \(thisYear), got \(birthYear)")
        }
        let patient = Patient(id: id, birthYear: birthYear, sex: sex)
        let identifiers = try input.identifiers.map { raw throws(ValidationError) in
            guard let birthDate, birthDate.year == birthYear else {
                throw ValidationError(field: "identifiers.birthDate", problem: "\(raw.birthDate) does not fall in birthYear \(birthYear)")
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
        if birthDate.map({ $0 > CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: clock()) }) == true {
            throw ValidationError(field: "identifiers.birthDate", problem: "is in the future", rule: "time-order")
        }
        // An ID another organization's patient already holds is refused the same way whatever
        // the body says, so registering cannot test a stranger's birth year or sex.
        if try await store.reference.patient(id) != nil, try await !patientIsVisible(id) {
            throw StorageError.idTaken(id.rawValue)
        }
        RequestIdentity.touch("patient:\(id)")
        let isNew = try await store.reference.register(patient, identifiers: identifiers, registeredBy: RequestIdentity.current?.principal.organization.id)
        return (patient, isNew)
    }
}
