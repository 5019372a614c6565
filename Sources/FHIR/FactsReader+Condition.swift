import Criteria

/// Conditions: ICD-10-CM diagnoses, and exclusions asserted or refuted by a clinician.
extension FactsReader {
    static let activeStatuses: Set<String> = ["active", "recurrence", "relapse"]
    static let endedStatuses: Set<String> = ["inactive", "remission", "resolved"]
    static let tentativeVerifications: Set<String> = ["unconfirmed", "provisional", "differential"]

    mutating func readCondition(_ entry: inout Entry) {
        let resource = entry.resource
        let codings = Coding.all(in: resource.member("code"), &issues)
        entry.codes = codings.map(\.token)
        let verification = Coding.firstCode(in: resource.member("verificationStatus"), system: FHIRCodeSystem.conditionVerificationStatus, &issues)
        let clinical = Coding.firstCode(in: resource.member("clinicalStatus"), system: FHIRCodeSystem.conditionClinicalStatus, &issues)
        if verification == "entered-in-error" { return skip(entry, "verificationStatus entered-in-error: the record was withdrawn") }
        if let reason = otherPatient(entry) { return skip(entry, reason) }
        let exclusion = codings.lazy.compactMap(ExclusionTerminology.kind).first
        let icd = codings.filter { $0.system == FHIRCodeSystem.icd10CM && $0.code != nil }
        guard exclusion != nil || !icd.isEmpty else {
            return skip(entry, FactsReader.unknownCodes(codings, reads: "diagnoses are read from ICD-10-CM codings and exclusions from the codes in docs/FHIR.md"))
        }
        if let verification, FactsReader.tentativeVerifications.contains(verification) {
            return skip(entry, "verificationStatus \(verification): only confirmed or refuted conditions are read")
        }
        let refuted = verification == "refuted"
        if refuted, exclusion == nil { return skip(entry, "verificationStatus refuted: a refuted diagnosis is not a diagnosis") }

        if !refuted, !icd.isEmpty, let (day, datePath) = usableDay(dated(resource, ["onsetDateTime", "onsetPeriod.start", "recordedDate"]), entry, needs: "a diagnosis") {
            for coding in icd {
                guard let code = coding.code, ICD10.isWellFormed(code) else {
                    skip(entry, "ICD-10-CM code \"\((coding.code ?? "").prefix(20))\" is not well-formed (a letter, two characters, up to four more: C83.30)")
                    continue
                }
                facts.diagnoses.append(Diagnosis(code: code, date: day))
                record("diagnoses", Source(resource: resource.path, fields: ["code": resource.path(of: "code"), "date": datePath]))
            }
        }

        guard let exclusion else { return }
        let present: Bool
        let dateElements: [String]
        if refuted {
            present = false
            dateElements = ["recordedDate", "onsetDateTime", "onsetPeriod.start"]
        } else if let clinical, FactsReader.endedStatuses.contains(clinical) {
            present = false
            dateElements = ["abatementDateTime", "abatementPeriod.end", "recordedDate"]
        } else if clinical == nil || FactsReader.activeStatuses.contains(clinical!) {
            present = true
            dateElements = ["recordedDate", "onsetDateTime", "onsetPeriod.start"]
        } else {
            return skip(entry, "clinicalStatus \(clinical!.prefix(40)) does not say whether \(exclusion.rawValue) is present")
        }
        guard let (day, datePath) = usableDay(dated(resource, dateElements), entry, needs: "an exclusion assessment") else { return }
        facts.exclusions.append(ExclusionFact(kind: exclusion, present: present, date: day))
        record("exclusions", Source(resource: resource.path, fields: ["date": datePath]))
    }
}
