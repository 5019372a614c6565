import Core
import CareNetwork
import Criteria

/// Writes a prior-authorization request as a FHIR R4 Bundle in the shape of the Da Vinci
/// Prior Authorization Support (PAS) guide.
///
/// CMS's interoperability and prior authorization rule (CMS-0057-F) has payers accept PA
/// requests through a FHIR API built on PAS; a center that already keeps its evidence in
/// CurePath should send it without re-keying. The bundle is a `collection` whose first
/// entry is the Claim (`use` = `preauthorization`), followed by the Patient, Coverage,
/// payer and center Organizations, the requesting Practitioner, and one resource per piece
/// of evidence, each referenced from `Claim.supportingInfo`. Codes come from the same
/// tables the import reads, so the export reads back as the same facts.
///
/// The output is deterministic (sorted keys, ids derived from the request), so the same
/// submission always gives the same bytes. It follows PAS's shape but is not validated
/// against the PAS profiles, and it claims none of them in `meta.profile`.
public enum PriorAuthorizationBundle {
    /// Base of every `fullUrl`; references inside the bundle are relative (`Patient/pt-1`)
    /// and resolve against it, as FHIR's bundle reference rules say.
    public static let baseURL = "https://curepath.example/fhir/"
    /// Evidence ids append up to 24 characters to the request id and must stay within FHIR's 64.
    public static let maximumRequestIDLength = 40

    /// The bundle's JSON, pretty-printed with sorted keys and a final newline.
    public static func make(_ submission: PriorAuthorizationSubmission) throws(FHIRError) -> [UInt8] {
        try validate(submission)
        return JSONWriter.pretty(RequestWriter(submission).bundle())
    }

    /// Whether `text` may be a FHIR resource id: 1–64 letters, digits, `-` or `.`.
    public static func isFHIRID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D || $0 == 0x2E }
    }

    static func validate(_ submission: PriorAuthorizationSubmission) throws(FHIRError) {
        var issues = IssueList()
        let idProblem = "must be a FHIR id: 1 to 64 letters, digits, '-' or '.'"
        if !isFHIRID(submission.requestID) || submission.requestID.utf8.count > maximumRequestIDLength {
            issues.add("requestID", "must be 1 to \(maximumRequestIDLength) letters, digits, '-' or '.', got \"\(submission.requestID.prefix(80))\"")
        }
        for (field, id) in [
            ("patient", submission.patient.rawValue), ("payer", submission.payer.rawValue), ("center", submission.center.rawValue),
            ("coverageID", submission.coverageID),
        ] where !isFHIRID(id) {
            issues.add(field, "\(idProblem), got \"\(id.prefix(80))\"")
        }
        if submission.payer.rawValue == submission.center.rawValue {
            issues.add("center", "must differ from the payer: both become Organizations with the same id")
        }
        for (field, text) in [("payerName", submission.payerName), ("centerName", submission.centerName), ("productName", submission.productName)]
        where text.trimmingWhitespace.isEmpty {
            issues.add(field, "is required")
        }
        if let name = submission.practitionerName, name.trimmingWhitespace.isEmpty { issues.add("practitionerName", "must not be blank; leave it out instead") }
        if submission.diagnoses.isEmpty { issues.add("diagnoses", "name at least one diagnosis") }
        for (index, diagnosis) in submission.diagnoses.enumerated() where !ICD10.isWellFormed(diagnosis.code) {
            issues.add("diagnoses[\(index)].code", "must be an ICD-10-CM code such as C83.30, got \"\(diagnosis.code.prefix(20))\"")
        }
        if submission.evidence.patient != submission.patient {
            issues.add("evidence.patient", "is \(submission.evidence.patient), not the request's patient \(submission.patient)")
        }
        if let birthDate = submission.evidence.birthDate, let expected = submission.birthDate, birthDate != expected {
            issues.add("evidence.birthDate", "is \(birthDate), not the request's birth date \(expected)")
        }
        do {
            _ = try submission.evidence.validated()
        } catch {
            for issue in error.issues { issues.add("evidence.\(issue.field)", issue.problem) }
        }
        try issues.throwIfAny()
    }
}

extension String {
    var trimmingWhitespace: Substring {
        var text = self[...]
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return text
    }
}

/// Builds the request bundle's resources; one per submission.
private struct RequestWriter {
    let submission: PriorAuthorizationSubmission
    var evidence: [(type: String, id: String, resource: JSONValue, date: CalendarDate)] = []

    init(_ submission: PriorAuthorizationSubmission) {
        self.submission = submission
        evidence = evidenceResources()
    }

    var patientReference: JSONValue { reference("Patient", submission.patient.rawValue) }
    var practitionerID: String { "\(submission.requestID)-practitioner" }

    func reference(_ type: String, _ id: String, display: String? = nil) -> JSONValue {
        .fields(["reference": .string("\(type)/\(id)"), "display": display.map(JSONValue.string)])
    }

    func entry(_ type: String, _ id: String, _ resource: JSONValue) -> JSONValue {
        .fields(["fullUrl": .string(PriorAuthorizationBundle.baseURL + "\(type)/\(id)"), "resource": resource])
    }

    func bundle() -> JSONValue {
        var entries: [JSONValue] = [
            entry("Claim", submission.requestID, claim()),
            entry("Patient", submission.patient.rawValue, patient()),
            entry("Coverage", submission.coverageID, coverage()),
            entry("Organization", submission.payer.rawValue, organization(submission.payer.rawValue, submission.payerName, type: "pay")),
            entry("Organization", submission.center.rawValue, organization(submission.center.rawValue, submission.centerName, type: "prov")),
        ]
        if let name = submission.practitionerName {
            entries.append(entry("Practitioner", practitionerID, .fields(["resourceType": "Practitioner", "id": .string(practitionerID), "name": [.fields(["text": .string(name)])]])))
        }
        entries += evidence.map { entry($0.type, $0.id, $0.resource) }
        return .fields([
            "resourceType": "Bundle",
            "identifier": .fields(["system": .string(FHIRCodeSystem.curePathRequest), "value": .string(submission.requestID)]),
            "type": "collection",
            // Bundle.timestamp is an instant and needs a time; the request carries only its day.
            "timestamp": .string("\(submission.created)T00:00:00Z"),
            "entry": .array(entries),
        ])
    }

    func claim() -> JSONValue {
        let diagnoses = submission.diagnoses.enumerated().map { index, diagnosis in
            JSONValue.fields(["sequence": .integer(index + 1), "diagnosisCodeableConcept": CodingWriter.concept(FHIRCodeSystem.icd10CM, diagnosis.code)])
        }
        let supportingInfo = evidence.enumerated().map { index, item in
            JSONValue.fields([
                "sequence": .integer(index + 1),
                "category": CodingWriter.concept(FHIRCodeSystem.claimInformationCategory, "info"),
                "timingDate": .string(item.date.description),
                "valueReference": reference(item.type, item.id),
            ])
        }
        var productCodings: [JSONValue] = []
        if let code = submission.productCode { productCodings.append(CodingWriter.coding(code.system, code.code, display: code.display)) }
        productCodings.append(CodingWriter.coding(FHIRCodeSystem.curePathProduct, submission.product.rawValue, display: submission.productName))
        let hasPractitioner = submission.practitionerName != nil
        let item = JSONValue.fields([
            "sequence": 1,
            "productOrService": CodingWriter.concept(productCodings, text: submission.productName),
            "diagnosisSequence": .array((1...submission.diagnoses.count).map(JSONValue.integer)),
            "informationSequence": evidence.isEmpty ? nil : .array((1...evidence.count).map(JSONValue.integer)),
            "careTeamSequence": hasPractitioner ? [1] : nil,
        ])
        return .fields([
            "resourceType": "Claim",
            "id": .string(submission.requestID),
            "identifier": [.fields(["system": .string(FHIRCodeSystem.curePathRequest), "value": .string(submission.requestID)])],
            "status": "active",
            "type": CodingWriter.concept(FHIRCodeSystem.claimType, "institutional"),
            "use": "preauthorization",
            "patient": patientReference,
            "created": .string(submission.created.description),
            "insurer": reference("Organization", submission.payer.rawValue, display: submission.payerName),
            "provider": reference("Organization", submission.center.rawValue, display: submission.centerName),
            "priority": CodingWriter.concept(FHIRCodeSystem.processPriority, submission.priority == .expedited ? "stat" : "normal"),
            "careTeam": hasPractitioner ? [.fields(["sequence": 1, "provider": reference("Practitioner", practitionerID)])] : nil,
            "diagnosis": .array(diagnoses),
            "insurance": [.fields(["sequence": 1, "focal": true, "coverage": reference("Coverage", submission.coverageID)])],
            "item": [item],
            "supportingInfo": supportingInfo.isEmpty ? nil : .array(supportingInfo),
        ])
    }

    /// The extension that gives a reason for a missing value.
    static let dataAbsentReason = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"

    func patient() -> JSONValue {
        .fields([
            "resourceType": "Patient",
            "id": .string(submission.patient.rawValue),
            "identifier": [.fields(["system": .string(FHIRCodeSystem.curePathPatient), "value": .string(submission.patient.rawValue)])],
            "birthDate": submission.birthDate.map { JSONValue.string($0.description) },
            // FHIR's way to say a value exists but is withheld from this reader.
            "_birthDate": submission.birthDate == nil
                ? JSONValue.fields(["extension": [.fields(["url": .string(Self.dataAbsentReason), "valueCode": "masked"])]]) : nil,
            "gender": submission.gender.map { JSONValue.string($0.rawValue) },
        ])
    }

    func coverage() -> JSONValue {
        .fields([
            "resourceType": "Coverage",
            "id": .string(submission.coverageID),
            "status": "active",
            "type": CodingWriter.concept(FHIRCodeSystem.curePathPlanType, submission.planType.rawValue),
            "beneficiary": patientReference,
            "payor": [reference("Organization", submission.payer.rawValue)],
            "class": [.fields(["type": CodingWriter.concept(FHIRCodeSystem.coverageClass, "plan"), "value": .string(submission.plan.rawValue)])],
        ])
    }

    func organization(_ id: String, _ name: String, type: String) -> JSONValue {
        .fields([
            "resourceType": "Organization",
            "id": .string(id),
            "name": .string(name),
            "type": [CodingWriter.concept("http://terminology.hl7.org/CodeSystem/organization-type", type)],
        ])
    }

    // MARK: Evidence

    func evidenceResources() -> [(type: String, id: String, resource: JSONValue, date: CalendarDate)] {
        let facts = submission.evidence
        let prefix = submission.requestID
        var resources: [(type: String, id: String, resource: JSONValue, date: CalendarDate)] = []
        func add(_ type: String, _ id: String, _ date: CalendarDate, _ members: KeyValuePairs<String, JSONValue?>) {
            var resource: [(key: String, value: JSONValue)] = [("resourceType", .string(type)), ("id", .string(id)), ("subject", patientReference)]
            resource += members.compactMap { member in member.value.map { (key: member.key, value: $0) } }
            resources.append((type, id, .object(resource), date))
        }
        for (index, diagnosis) in facts.diagnoses.enumerated() {
            add("Condition", "\(prefix)-condition-\(index + 1)", diagnosis.date, [
                "clinicalStatus": CodingWriter.concept(FHIRCodeSystem.conditionClinicalStatus, "active"),
                "verificationStatus": CodingWriter.concept(FHIRCodeSystem.conditionVerificationStatus, "confirmed"),
                "category": [CodingWriter.concept(FHIRCodeSystem.conditionCategory, "problem-list-item")],
                "code": CodingWriter.concept(FHIRCodeSystem.icd10CM, diagnosis.code),
                "onsetDateTime": .string(diagnosis.date.description),
            ])
        }
        let ecog = PerformanceStatusTerminology.codes[0]
        for (index, status) in facts.performanceStatus.enumerated() {
            add("Observation", "\(prefix)-ecog-\(index + 1)", status.date, [
                "status": "final",
                "category": [CodingWriter.concept(FHIRCodeSystem.observationCategory, "survey")],
                "code": CodingWriter.concept(ecog.system, ecog.code, display: "ECOG Performance Status score"),
                "effectiveDateTime": .string(status.date.description),
                "valueCodeableConcept": CodingWriter.concept(FHIRCodeSystem.loinc, PerformanceStatusTerminology.answers[status.score], text: "ECOG \(status.score)"),
            ])
        }
        for (index, lab) in facts.labs.enumerated() {
            // Validation has refused lab codes outside the table.
            guard let term = LabTerminology.term(for: lab.code) else { continue }
            func quantity(_ value: String) -> JSONValue {
                .fields(["value": .number(value), "unit": .string(lab.code.unit), "system": .string(FHIRCodeSystem.ucum), "code": .string(term.ucum)])
            }
            add("Observation", "\(prefix)-lab-\(index + 1)", lab.date, [
                "status": "final",
                "category": [CodingWriter.concept(FHIRCodeSystem.observationCategory, term.category)],
                "code": CodingWriter.concept(FHIRCodeSystem.loinc, term.loinc[0], display: term.display),
                "effectiveDateTime": .string(lab.date.description),
                "valueQuantity": quantity(lab.value.description),
                "referenceRange": lab.upperLimitOfNormal.map { [.fields(["high": quantity($0.description)])] },
            ])
        }
        for (index, exclusion) in facts.exclusions.enumerated() {
            add("Observation", "\(prefix)-exclusion-\(index + 1)", exclusion.date, [
                "status": "final",
                "code": CodingWriter.concept(FHIRCodeSystem.curePathExclusion, exclusion.kind.rawValue),
                "effectiveDateTime": .string(exclusion.date.description),
                "valueBoolean": .bool(exclusion.present),
            ])
        }
        for (index, pretest) in facts.pretests.enumerated() {
            var codings: [JSONValue] = []
            if let term = ProcedureTerminology.preferred(for: .pretest(pretest.code)) { codings.append(CodingWriter.coding(term.system, term.code, display: term.display)) }
            codings.append(CodingWriter.coding(FHIRCodeSystem.curePathPretest, pretest.code))
            add("Procedure", "\(prefix)-pretest-\(index + 1)", pretest.date, [
                "status": "completed",
                "code": CodingWriter.concept(codings, text: pretest.code),
                "performedDateTime": .string(pretest.date.description),
            ])
        }
        for (lineIndex, line) in facts.therapyLines.enumerated() {
            var extensions: [JSONValue] = [.fields(["url": .string(FHIRCodeSystem.therapyLineExtension), "valueInteger": .integer(lineIndex + 1)])]
            if let outcome = line.outcome {
                extensions.append(.fields(["url": .string(FHIRCodeSystem.therapyLineOutcomeExtension), "valueCode": .string(outcome.rawValue)]))
            }
            if let outcomeDate = line.outcomeDate {
                extensions.append(.fields(["url": .string(FHIRCodeSystem.therapyLineOutcomeDateExtension), "valueDate": .string(outcomeDate.description)]))
            }
            let period = JSONValue.fields(["start": .string(line.start.description), "end": line.end.map { JSONValue.string($0.description) }])
            var part = 0
            func nextID() -> String {
                part += 1
                return "\(prefix)-line-\(lineIndex + 1)-\(part)"
            }
            func statement(_ medication: JSONValue) {
                add("MedicationStatement", nextID(), line.start, [
                    "extension": .array(extensions),
                    "status": line.end == nil ? "active" : "completed",
                    "medicationCodeableConcept": medication,
                    "effectivePeriod": period,
                ])
            }
            var implied: [String] = []
            for agent in line.agents {
                if let term = MedicationTerminology.term(agent: agent) {
                    implied += term.classes
                    let codings = term.rxNorm.map { [CodingWriter.coding(FHIRCodeSystem.rxNorm, $0, display: term.names[0])] } ?? []
                    statement(CodingWriter.concept(codings, text: term.names[0]))
                } else {
                    // Not in the table: sent by name, and reported as unmapped if read back.
                    statement(.fields(["text": .string(agent)]))
                }
            }
            for therapyClass in line.classes where !implied.contains(therapyClass) {
                if let term = ProcedureTerminology.preferred(for: .therapy(therapyClass)) {
                    add("Procedure", nextID(), line.start, [
                        "extension": .array(extensions),
                        "status": "completed",
                        "code": CodingWriter.concept(
                            [CodingWriter.coding(term.system, term.code, display: term.display), CodingWriter.coding(FHIRCodeSystem.curePathTherapyClass, therapyClass)],
                            text: therapyClass),
                        "performedPeriod": period,
                    ])
                } else {
                    statement(CodingWriter.concept(FHIRCodeSystem.curePathTherapyClass, therapyClass, text: therapyClass))
                }
            }
        }
        return resources
    }
}
