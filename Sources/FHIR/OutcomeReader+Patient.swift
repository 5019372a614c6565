import CareNetwork
import Outcomes

/// Patients: who each resource is about (resolved by the caller from identifiers), and deaths.
extension OutcomeReader {
    // MARK: Death

    /// A Patient is read for its identifiers; `deceasedDateTime` is a death. `deceasedBoolean`
    /// `true` says a death without its day, which an outcome cannot be without: refused.
    mutating func mapPatient(_ entry: inout Entry, _ issues: inout IssueList) -> Reading {
        let resource = entry.resource
        if resource.has("deceasedDateTime") {
            guard let (date, path) = day(resource, ["deceasedDateTime"], &issues) else { return .drafts([]) }
            return .drafts([Draft(kind: .death, date: date, paths: ["date": path])])
        }
        if resource.bool("deceasedBoolean", &issues) == true {
            issues.add(resource.path(of: "deceasedBoolean"), "true says the patient died but not when; send deceasedDateTime")
        }
        return .drafts([])
    }

    // MARK: Subject

    /// The CurePath patient a resource is about, or `nil` with the reason reported.
    ///
    /// The subject's reference is followed to a Patient in the bundle (by `Patient/<id>`, by
    /// fullUrl, by an absolute URL ending in `/Patient/<id>`) or contained in the resource
    /// (`#p1`); its identifiers and the subject's own logical identifier go to the caller's
    /// resolver. A Patient resource is its own subject.
    func patient(of entry: Entry, _ issues: inout IssueList) -> PatientID? {
        let resource = entry.resource
        var identifiers: [OutcomeBundleImport.PatientIdentifiers.Identifier] = []
        let reference: String?
        let at: String
        if entry.resourceType == "Patient" {
            reference = entry.id.map { "Patient/\($0)" }
            at = resource.path
            identifiers = OutcomeReader.identifiers(of: resource, &issues)
        } else {
            guard let subject = resource.object("subject", &issues) else {
                if !resource.has("subject") { issues.add(resource.path(of: "subject"), "is required: whose outcome it is") }
                return nil
            }
            at = subject.path
            reference = subject.string("reference", &issues)
            if let logical = subject.object("identifier", &issues), let value = logical.string("value", &issues) {
                identifiers.append(.init(system: logical.string("system", &issues), value: value))
            }
            if let reference {
                guard let target = target(of: reference, in: resource) else {
                    if identifiers.isEmpty {
                        issues.add(subject.path(of: "reference"), "\(reference.prefix(80)) is not a Patient in the bundle, and the subject has no identifier: nothing says who it is")
                        return nil
                    }
                    return resolved(reference: reference, identifiers, at: at, &issues)
                }
                guard target.string("resourceType", &issues) == "Patient" else {
                    issues.add(subject.path(of: "reference"), "\(reference.prefix(80)) is not a Patient; outcomes are about patients")
                    return nil
                }
                for identifier in OutcomeReader.identifiers(of: target, &issues) where !identifiers.contains(identifier) { identifiers.append(identifier) }
            }
        }
        return resolved(reference: reference, identifiers, at: at, &issues)
    }

    private func resolved(reference: String?, _ identifiers: [OutcomeBundleImport.PatientIdentifiers.Identifier], at path: String, _ issues: inout IssueList) -> PatientID? {
        if let patient = resolve(.init(reference: reference, identifiers: identifiers)) { return patient }
        // Identifier values (an MRN) stay out of messages: the reference and the systems are
        // enough to find the record, and errors travel further than the data.
        let systems = Set(identifiers.map { $0.system ?? "(no system)" }).sorted()
        let named = reference.map { String($0.prefix(80)) } ?? "the subject"
        let detail = systems.isEmpty ? "no identifiers" : "identifier systems: \(systems.joined(separator: ", ").prefix(300))"
        issues.add(path, "no CurePath patient for \(named) (\(detail))")
        return nil
    }

    /// The resource a reference names: contained (`#id`), or in the bundle by exact reference
    /// (`Patient/p1`, a fullUrl), or by the `Type/id` an absolute URL ends in.
    func target(of reference: String, in resource: JSONNode) -> JSONNode? {
        if reference.hasPrefix("#") {
            var ignored = IssueList()
            let wanted = String(reference.dropFirst())
            return resource.objects("contained", &ignored).first { $0.string("id", &ignored) == wanted }
        }
        if let found = byReference[reference] { return found }
        return OutcomeReader.relativeReference(reference).flatMap { byReference[$0] }
    }

    /// `Patient/p1` for `https://ehr.example.org/fhir/Patient/p1`; `nil` for other references.
    static func relativeReference(_ reference: String) -> String? {
        guard reference.contains("://") else { return nil }
        let parts = reference.split(separator: "/")
        guard parts.count > 3 else { return nil }
        return "\(parts[parts.count - 2])/\(parts[parts.count - 1])"
    }

    /// A Patient's identifiers that have a value.
    static func identifiers(of patient: JSONNode, _ issues: inout IssueList) -> [OutcomeBundleImport.PatientIdentifiers.Identifier] {
        patient.objects("identifier", &issues).compactMap { identifier in
            identifier.string("value", &issues).map { .init(system: identifier.string("system", &issues), value: $0) }
        }
    }
}
