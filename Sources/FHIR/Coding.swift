/// One FHIR Coding as read: the system and code that decide every mapping, the display
/// for name matching, and where it sits for error messages.
struct Coding: Hashable, Sendable {
    var system: String?
    var code: String?
    var display: String?

    /// `system|code`, the FHIR token form used in reports of unmapped resources.
    var token: String { "\(system ?? "")|\(code ?? "")" }

    /// `LOINC 2345-7`, for reasons written to people.
    var shown: String { "\(FHIRCodeSystem.shortName(system)) \(code ?? "(no code)")" }

    /// The codings of a CodeableConcept, type errors reported.
    static func all(in concept: JSONNode?, _ issues: inout IssueList) -> [Coding] {
        guard let concept else { return [] }
        guard concept.isObject else {
            issues.add(concept.path, "must be an object (a CodeableConcept), got \(concept.value.typeName)")
            return []
        }
        return concept.objects("coding", &issues).map { coding in
            Coding(system: coding.string("system", &issues), code: coding.string("code", &issues), display: coding.string("display", &issues))
        }
    }

    /// The code of the first coding in `system` (or of the first coding at all), for status
    /// concepts such as Condition.clinicalStatus.
    static func firstCode(in concept: JSONNode?, system: String, _ issues: inout IssueList) -> String? {
        let codings = all(in: concept, &issues)
        return (codings.first { $0.system == system } ?? codings.first)?.code
    }
}

/// Writes Codings and CodeableConcepts for the export.
enum CodingWriter {
    static func coding(_ system: String, _ code: String, display: String? = nil) -> JSONValue {
        .fields(["system": .string(system), "code": .string(code), "display": display.map(JSONValue.string)])
    }

    static func concept(_ codings: [JSONValue], text: String? = nil) -> JSONValue {
        .fields(["coding": .array(codings), "text": text.map(JSONValue.string)])
    }

    static func concept(_ system: String, _ code: String, display: String? = nil, text: String? = nil) -> JSONValue {
        concept([coding(system, code, display: display)], text: text)
    }
}
