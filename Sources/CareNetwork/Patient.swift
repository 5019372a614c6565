import Core

public enum PatientTag {}
public typealias PatientID = Identifier<PatientTag>

/// A patient as clinical and financial data know them: an internal identifier and nothing
/// that identifies the person.
///
/// Names, birth dates and addresses live in ``PersonalIdentifiers``, stored apart and read
/// only with an audited reason, so case, journey and ledger data can be shared and
/// analysed without exposing who the patient is.
public struct Patient: Hashable, Sendable, Codable {
    public var id: PatientID
    /// Year of birth only, enough for age bands in reports.
    public var birthYear: Int
    public var sex: Sex

    public init(id: PatientID, birthYear: Int, sex: Sex) {
        self.id = id
        self.birthYear = birthYear
        self.sex = sex
    }
}

public enum Sex: String, Hashable, Sendable, Codable, CaseIterable {
    case female, male, other, unknown
}

/// The identifiers of one person: protected health information, kept in its own table.
public struct PersonalIdentifiers: Hashable, Sendable, Codable {
    public var patientID: PatientID
    public var givenName: String
    public var familyName: String
    public var birthDate: CalendarDate
    public var postalCode: String
    public var phone: String?

    public init(
        patientID: PatientID, givenName: String, familyName: String, birthDate: CalendarDate,
        postalCode: String, phone: String? = nil
    ) {
        self.patientID = patientID
        self.givenName = givenName
        self.familyName = familyName
        self.birthDate = birthDate
        self.postalCode = postalCode
        self.phone = phone
    }
}
