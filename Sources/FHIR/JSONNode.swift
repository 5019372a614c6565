/// A JSON value together with its path in the document, so that every problem found while
/// reading it can name where it is.
///
/// The accessors report type errors into an ``IssueList`` and return `nil` instead of
/// throwing, so one pass over a bundle collects every problem. Absent members and `null`
/// read alike: FHIR leaves out what it does not know.
struct JSONNode {
    let value: JSONValue
    /// `entry[3].resource.code`; empty for the document itself.
    let path: String

    init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    /// The path as shown to people: `$` for the document.
    var shownPath: String { path.isEmpty ? "$" : path }

    func path(of key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The member `key`, if this is an object that has it.
    func member(_ key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        for member in members where member.key == key {
            if case .null = member.value { return nil }
            return JSONNode(member.value, path: path(of: key))
        }
        return nil
    }

    var isObject: Bool { if case .object = value { true } else { false } }

    var stringValue: String? { if case .string(let text) = value { text } else { nil } }

    /// Whether the object has a member `key` with a value.
    func has(_ key: String) -> Bool { member(key) != nil }

    func string(_ key: String, _ issues: inout IssueList, required: Bool = false) -> String? {
        guard let node = member(key) else {
            if required { issues.add(path(of: key), "is required") }
            return nil
        }
        guard case .string(let text) = node.value else {
            issues.add(node.path, "must be a string, got \(node.value.typeName)")
            return nil
        }
        return text
    }

    func object(_ key: String, _ issues: inout IssueList, required: Bool = false) -> JSONNode? {
        guard let node = member(key) else {
            if required { issues.add(path(of: key), "is required") }
            return nil
        }
        guard node.isObject else {
            issues.add(node.path, "must be an object, got \(node.value.typeName)")
            return nil
        }
        return node
    }

    /// The elements of the array `key`; empty when absent or not an array (reported).
    func array(_ key: String, _ issues: inout IssueList) -> [JSONNode] {
        guard let node = member(key) else { return [] }
        guard case .array(let elements) = node.value else {
            issues.add(node.path, "must be an array, got \(node.value.typeName)")
            return []
        }
        return elements.enumerated().map { JSONNode($1, path: "\(node.path)[\($0)]") }
    }

    /// The array's elements that are objects; others are reported.
    func objects(_ key: String, _ issues: inout IssueList) -> [JSONNode] {
        array(key, &issues).filter { element in
            guard element.isObject else {
                issues.add(element.path, "must be an object, got \(element.value.typeName)")
                return false
            }
            return true
        }
    }

    func bool(_ key: String, _ issues: inout IssueList) -> Bool? {
        guard let node = member(key) else { return nil }
        guard case .bool(let flag) = node.value else {
            issues.add(node.path, "must be true or false, got \(node.value.typeName)")
            return nil
        }
        return flag
    }

    /// A number's text exactly as written.
    func number(_ key: String, _ issues: inout IssueList) -> String? {
        guard let node = member(key) else { return nil }
        guard case .number(let text) = node.value else {
            issues.add(node.path, "must be a number, got \(node.value.typeName)")
            return nil
        }
        return text
    }

    /// A whole number (no fraction, no exponent) that fits in an `Int`.
    func integer(_ key: String, _ issues: inout IssueList) -> Int? {
        guard let text = number(key, &issues) else { return nil }
        guard let value = Int(text) else {
            issues.add(path(of: key), "must be a whole number, got \(text.prefix(40))")
            return nil
        }
        return value
    }

    /// A FHIR date or dateTime; malformed text is reported.
    func date(_ key: String, _ issues: inout IssueList) -> FHIRDate? {
        guard let text = string(key, &issues) else { return nil }
        guard let date = FHIRDate(text) else {
            issues.add(path(of: key), "must be a FHIR date (YYYY-MM-DD) or dateTime (YYYY-MM-DDThh:mm:ss+zz:zz), got \"\(text.prefix(40))\"")
            return nil
        }
        return date
    }
}

/// Problems found while reading, in the order found.
struct IssueList {
    private(set) var issues: [FHIRError.Issue] = []

    var isEmpty: Bool { issues.isEmpty }

    mutating func add(_ path: String, _ problem: String) { issues.append(.init(path: path.isEmpty ? "$" : path, problem: problem)) }

    /// Throws everything found so far, if anything was.
    func throwIfAny() throws(FHIRError) {
        guard issues.isEmpty else { throw FHIRError(issues: issues) }
    }
}
