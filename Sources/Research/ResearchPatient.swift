import CareNetwork
import Core
import Outcomes

/// Everything a research export knows about one treated patient, gathered by the edges.
///
/// It holds only what an OMOP extract carries: year of birth (never the birth date) and sex
/// from the patient record, the infusions, coded diagnoses and outcome events. Names, birth
/// dates, postal codes and member IDs have no field here, so no mapping can leak them.
public struct ResearchPatient: Hashable, Sendable {
    public var patientID: PatientID
    public var birthYear: Int
    public var sex: Sex
    public var infusions: [Infusion]
    public var diagnoses: [Diagnosis]
    /// Every recorded event, corrections and entered-in-error events included: the export
    /// applies them (``OutcomeHistory``), so what leaves is what CurePath believes today.
    public var events: [OutcomeEvent]

    public init(patientID: PatientID, birthYear: Int, sex: Sex, infusions: [Infusion], diagnoses: [Diagnosis] = [], events: [OutcomeEvent] = []) {
        self.patientID = patientID
        self.birthYear = birthYear
        self.sex = sex
        self.infusions = infusions
        self.diagnoses = diagnoses
        self.events = events
    }

    /// One unit of a product given on a day.
    public struct Infusion: Hashable, Sendable {
        public var productID: ProductID
        public var date: CalendarDate

        public init(productID: ProductID, date: CalendarDate) {
            self.productID = productID
            self.date = date
        }
    }

    /// An ICD-10-CM diagnosis and the day it was made.
    public struct Diagnosis: Hashable, Sendable {
        /// With or without the dot, any case (`C83.30`, `c8330`).
        public var code: String
        public var date: CalendarDate

        public init(code: String, date: CalendarDate) {
            self.code = code
            self.date = date
        }
    }
}
