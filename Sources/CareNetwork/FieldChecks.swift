import Core

/// Collects every problem with a draft of reference data, each naming its field, so that an
/// operator fixes a form or a CSV row in one pass instead of one refusal at a time.
///
/// Each check returns the value it read (or a placeholder after recording an issue), so a
/// validator reads on past a bad field and reports the next one too; ``finish()`` throws
/// what was collected.
struct FieldChecks {
    private(set) var issues: [ValidationError.Issue] = []

    mutating func fail(_ field: String, _ problem: String) {
        issues.append(.init(field: field, problem: problem))
    }

    /// Text a person typed, trimmed: required unless `optional`, at most `maximum`
    /// characters, no control characters. An empty optional field reads as `nil`.
    mutating func text(_ raw: String?, field: String, maximum: Int = 200, optional: Bool = false) -> String? {
        let trimmed = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            if !optional { fail(field, "is required") }
            return nil
        }
        guard trimmed.count <= maximum else {
            fail(field, "must be at most \(maximum) characters, got \(trimmed.count)")
            return nil
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            fail(field, "must not contain control characters")
            return nil
        }
        // Names travel on into CSV reports (`report journey --format csv`) that people open in
        // spreadsheets, which run a cell starting with one of these as a formula.
        if let first = trimmed.first, "=+-@".contains(first) {
            fail(field, "must not start with \(first) (a spreadsheet would run it as a formula)")
            return nil
        }
        return trimmed
    }

    /// A required text field, `""` after an issue.
    mutating func required(_ raw: String?, field: String, maximum: Int = 200) -> String {
        text(raw, field: field, maximum: maximum) ?? ""
    }

    mutating func identifier<Tag>(_ raw: String, field: String) -> Identifier<Tag> {
        do { return try Identifier<Tag>.validated(raw.trimmingCharacters(in: .whitespaces), field: field) } catch {
            issues += error.issues
            return Identifier(rawValue: raw)
        }
    }

    /// One of an enumeration's raw values, listing them when it is not.
    mutating func choice<Value: RawRepresentable & CaseIterable>(_ raw: String, field: String, as: Value.Type) -> Value?
    where Value.RawValue == String {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if let value = Value(rawValue: trimmed) { return value }
        let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
        fail(field, trimmed.isEmpty ? "is required; one of \(allowed)" : "must be one of \(allowed), got \"\(trimmed.prefix(40))\"")
        return nil
    }

    mutating func date(_ raw: String, field: String) -> CalendarDate? {
        do { return try CalendarDate.parse(raw.trimmingCharacters(in: .whitespaces), field: field) } catch {
            issues += error.issues
            return nil
        }
    }

    func finish() throws(ValidationError) {
        if !issues.isEmpty { throw ValidationError(issues: issues) }
    }
}
