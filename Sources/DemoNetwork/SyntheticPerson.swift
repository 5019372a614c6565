import Core
import CareNetwork

/// A made-up patient: the clinical record (birth year and sex only) and, kept apart, the
/// identifiers a registry links records by.
///
/// Names are random pairings from short lists of common names, phone numbers use the
/// 555-0100–0199 range reserved for fiction, and postal codes only share the first three
/// digits with the center's area: none of it describes a real person, yet it is realistic
/// enough to exercise tokens and fuzzy linkage.
struct SyntheticPerson {
    var patient: Patient
    var identifiers: PersonalIdentifiers
    /// Whole years of age on the referral date.
    var ageAtReferral: Int

    static let femaleNames = [
        "Avery", "Beatrice", "Camila", "Dolores", "Elena", "Fatima", "Grace", "Hannah", "Imani", "Joan",
        "Keiko", "Linda", "Maria", "Nadia", "Olivia", "Priya", "Rosa", "Sofia", "Tamara", "Valerie",
    ]
    static let maleNames = [
        "Aaron", "Bernard", "Carlos", "Darnell", "Eduardo", "Frank", "Gerald", "Hiroshi", "Isaac", "Jamal",
        "Kevin", "Luis", "Marcus", "Nathan", "Omar", "Patrick", "Raymond", "Samuel", "Thomas", "Victor",
    ]
    static let familyNames = [
        "Abernathy", "Baptiste", "Castellano", "Delacroix", "Ellsworth", "Fairbanks", "Gallagher", "Hollister",
        "Iverson", "Jablonski", "Kowalczyk", "Lindqvist", "Montgomery", "Nakamura", "Okonkwo", "Pemberton",
        "Quintero", "Rasmussen", "Sandoval", "Thibodeaux", "Underhill", "Vasquez", "Whitfield", "Yamamoto",
    ]

    static func make(
        number: String, age: Int, geneTherapy: Bool, home: DemoCenter, referralDate: CalendarDate,
        rng: inout SeededGenerator
    ) -> SyntheticPerson {
        // Born `age` years and up to a year before the referral.
        let (year, month, day) = referralDate.components
        let lastBirthday = CalendarDate(year: year - age, month: month, day: min(day, 28))!
        let birthDate = lastBirthday.adding(days: -rng.integer(in: 0...364))
        let sex: Sex
        switch rng.uniform() {
        case ..<0.005: sex = .unknown
        case ..<(geneTherapy ? 0.5 : 0.42): sex = .female
        default: sex = .male
        }
        let givenNames = sex == .female ? femaleNames : sex == .male ? maleNames : femaleNames + maleNames
        let patientID = PatientID("pat-\(number)")
        return SyntheticPerson(
            patient: Patient(id: patientID, birthYear: birthDate.year, sex: sex),
            identifiers: PersonalIdentifiers(
                patientID: patientID,
                givenName: givenNames[rng.integer(in: 0...(givenNames.count - 1))],
                familyName: familyNames[rng.integer(in: 0...(familyNames.count - 1))],
                birthDate: birthDate,
                postalCode: home.zipPrefix + padded(rng.integer(in: 0...99), width: 2),
                phone: "\(home.areaCode)-555-01\(padded(rng.integer(in: 0...99), width: 2))"
            ),
            ageAtReferral: Self.age(born: birthDate, on: referralDate)
        )
    }

    /// Whole years from `birth` to `date`.
    static func age(born birth: CalendarDate, on date: CalendarDate) -> Int {
        let b = birth.components, d = date.components
        return d.year - b.year - ((d.month, d.day) < (b.month, b.day) ? 1 : 0)
    }
}

/// `value` in decimal, zero-padded to at least `width` digits.
func padded(_ value: Int, width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
