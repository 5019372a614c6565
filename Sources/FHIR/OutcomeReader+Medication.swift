import Foundation
import Outcomes

/// MedicationAdministration and MedicationRequest: a new anticancer therapy, or a return to
/// prophylaxis, is a subsequent therapy.
///
/// The rule: a record whose agent is in the medication table (RxNorm ingredient or exact
/// name, as for clinical facts) with a class other than supportive care, or is a
/// prophylaxis agent, or carries a CurePath therapy-class or `subsequent-therapy` code, gives
/// one subsequent-therapy event dated when the drug was given or ordered; its value is the
/// agent or class. Corticosteroids treat CRS and ICANS and are not one; any other drug
/// (antibiotics, tocilizumab, transfusion support) is listed as unmapped, because supportive
/// care is everywhere in a post-infusion record and is not an outcome.
extension OutcomeReader {
    func medicationStatus(_ entry: Entry, _ issues: inout IssueList) -> Status {
        let resource = entry.resource
        guard let status = resource.string("status", &issues, required: true) else { return .read }
        if status == "entered-in-error" { return .withdrawn }
        if entry.resourceType == "MedicationRequest" {
            guard OutcomeTerminology.requestStatuses.contains(status) else {
                return .skip("status \(status.prefix(40)): only active, completed or stopped requests are read")
            }
            guard let intent = resource.string("intent", &issues, required: true) else { return .read }
            guard OutcomeTerminology.requestIntents.contains(intent) else {
                return .skip("intent \(intent.prefix(40)): a plan or proposal is not a therapy started")
            }
            return .read
        }
        guard OutcomeTerminology.administrationStatuses.contains(status) else {
            return .skip("status \(status.prefix(40)): only completed, in-progress or stopped administrations are read")
        }
        return .read
    }

    mutating func mapMedication(_ entry: inout Entry, _ issues: inout IssueList) -> Reading {
        let resource = entry.resource
        guard let concept = resource.member("medicationCodeableConcept") else {
            if resource.has("medicationReference") { return .notAnOutcome("medicationReference is not read; send medicationCodeableConcept") }
            issues.add(resource.path(of: "medication[x]"), "is required")
            return .drafts([])
        }
        let codings = Coding.all(in: concept, &issues)
        entry.codes = codings.map(\.token)
        let text = concept.string("text", &issues)
        let names = ([text] + codings.map(\.display)).compactMap { $0 }

        var therapy: String?
        if codings.contains(where: { $0.system == OutcomeTerminology.curePathKind && $0.code == OutcomeKindCode.subsequentTherapy.rawValue }) {
            therapy = text.map { String($0.prefix(OutcomeEvent.maximumTextLength)) } ?? OutcomeKindCode.subsequentTherapy.rawValue
        } else if let term = codings.lazy.compactMap({ $0.system == FHIRCodeSystem.rxNorm ? $0.code.flatMap(MedicationTerminology.term(rxNorm:)) : nil }).first
                    ?? names.lazy.compactMap(MedicationTerminology.term(named:)).first {
            guard term.classes.contains(where: { !OutcomeTerminology.supportiveClasses.contains($0) }) else {
                return .notAnOutcome("\(term.agent) (\(term.classes.joined(separator: ", "))) is supportive care, not a subsequent therapy")
            }
            therapy = term.agent
        } else if let agent = names.lazy.compactMap({ OutcomeTerminology.prophylaxisAgents[$0.trimmingCharacters(in: .whitespaces).lowercased()] }).first {
            therapy = agent
        } else if let therapyClass = codings.first(where: { $0.system == FHIRCodeSystem.curePathTherapyClass && $0.code.map { !OutcomeTerminology.supportiveClasses.contains($0) } == true })?.code {
            therapy = therapyClass
        }
        guard let therapy else {
            let named = (text ?? codings.first.map(OutcomeTerminology.shown)).map { " \"\($0.prefix(60))\"" } ?? ""
            return .notAnOutcome("medication\(named) is not an anticancer or prophylaxis agent CurePath reads as a subsequent therapy (docs/FHIR.md)")
        }
        let elements = entry.resourceType == "MedicationRequest" ? ["authoredOn"] : ["effectiveDateTime", "effectivePeriod.start"]
        guard let (date, datePath) = day(resource, elements, &issues) else { return .drafts([]) }
        return .drafts([Draft(kind: .subsequentTherapy, value: therapy, date: date, paths: ["date": datePath, "value": concept.path])])
    }
}
