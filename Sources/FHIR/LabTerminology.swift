import Criteria

/// How one CurePath lab code is coded in FHIR: its LOINC codes and the units read as its unit.
public struct LabTerm: Hashable, Sendable {
    public let lab: LabCode
    /// LOINC codes that mean this measurement; the first is the one written on export.
    public let loinc: [String]
    public let display: String
    /// The UCUM code written on export.
    public let ucum: String
    /// Unit codes read as ``ucum`` without changing the number: the same unit spelt another
    /// way (`10*3/uL` is exactly `10*9/L`), never a conversion.
    public let acceptedUnits: [String]
    /// The Observation category written on export (`laboratory`, `vital-signs`, `imaging`).
    public let category: String
}

/// LOINC ↔ ``LabCode``: the one table the import reads and the export writes.
///
/// Only codes that truly mean the measurement criteria name are listed: an eGFR (mL/min/1.73m²)
/// is not a creatinine clearance (mL/min), so LOINC 33914-3 is reported as unmapped rather
/// than read as one. A result in another unit is reported too; CurePath converts no units,
/// because a silent conversion is where a threshold quietly moves.
public enum LabTerminology {
    static let countPerLiter = ["10*9/L", "10*3/uL", "/nL", "10^9/L"]

    public static let all: [LabTerm] = [
        LabTerm(lab: .creatinineClearance, loinc: ["2164-2", "35591-7"], display: "Creatinine renal clearance", ucum: "mL/min", acceptedUnits: ["mL/min"], category: "laboratory"),
        LabTerm(lab: .lvef, loinc: ["10230-1", "18043-0", "8806-2"], display: "Left ventricular Ejection fraction", ucum: "%", acceptedUnits: ["%"], category: "imaging"),
        LabTerm(lab: .bilirubin, loinc: ["1975-2"], display: "Bilirubin.total [Mass/volume] in Serum or Plasma", ucum: "mg/dL", acceptedUnits: ["mg/dL"], category: "laboratory"),
        LabTerm(lab: .spo2, loinc: ["59408-5", "2708-6"], display: "Oxygen saturation in Arterial blood by Pulse oximetry", ucum: "%", acceptedUnits: ["%"], category: "vital-signs"),
        LabTerm(lab: LabCode(rawValue: "ldh"), loinc: ["2532-0", "14804-9"], display: "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma", ucum: "U/L", acceptedUnits: ["U/L"], category: "laboratory"),
        LabTerm(lab: LabCode(rawValue: "alt"), loinc: ["1742-6"], display: "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", ucum: "U/L", acceptedUnits: ["U/L"], category: "laboratory"),
        LabTerm(lab: LabCode(rawValue: "ast"), loinc: ["1920-8"], display: "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma", ucum: "U/L", acceptedUnits: ["U/L"], category: "laboratory"),
        LabTerm(lab: LabCode(rawValue: "anc"), loinc: ["751-8"], display: "Neutrophils [#/volume] in Blood by Automated count", ucum: "10*9/L", acceptedUnits: countPerLiter, category: "laboratory"),
        LabTerm(lab: LabCode(rawValue: "platelets"), loinc: ["777-3"], display: "Platelets [#/volume] in Blood by Automated count", ucum: "10*9/L", acceptedUnits: countPerLiter, category: "laboratory"),
        LabTerm(lab: LabCode(rawValue: "hemoglobin"), loinc: ["718-7"], display: "Hemoglobin [Mass/volume] in Blood", ucum: "g/dL", acceptedUnits: ["g/dL"], category: "laboratory"),
        LabTerm(lab: LabCode(rawValue: "creatinine"), loinc: ["2160-0"], display: "Creatinine [Mass/volume] in Serum or Plasma", ucum: "mg/dL", acceptedUnits: ["mg/dL"], category: "laboratory"),
        LabTerm(lab: LabCode(rawValue: "albumin"), loinc: ["1751-7"], display: "Albumin [Mass/volume] in Serum or Plasma", ucum: "g/dL", acceptedUnits: ["g/dL"], category: "laboratory"),
    ]

    static func term(loinc code: String) -> LabTerm? { all.first { $0.loinc.contains(code) } }
    static func term(for lab: LabCode) -> LabTerm? { all.first { $0.lab == lab } }
}
