/// A JSON value as FHIR exchanges it, with numbers kept as the text that was written.
///
/// FHIR decimals carry their precision in their text (`49.99`, `0.80`), and lab thresholds
/// are decided on it, so a number never passes through a binary float: it is read and
/// written as the digits themselves. Objects keep their members in the order read; the
/// writer sorts them.
indirect enum JSONValue: Sendable {
    case string(String)
    /// The number exactly as written (`49.99`, `1e3`).
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// The JSON type's name, for "must be a string, got a number".
    var typeName: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .bool: "true or false"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// An object from members, leaving out those without a value so that optional
    /// elements are simply absent, as FHIR wants, rather than `null`.
    static func fields(_ members: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        .object(members.compactMap { member in member.value.map { (key: member.key, value: $0) } })
    }

    /// A whole number.
    static func integer(_ value: Int) -> JSONValue { .number(String(value)) }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    init(stringLiteral value: String) { self = .string(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(integerLiteral value: Int) { self = .number(String(value)) }
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}
