import Foundation

/// Names the field of a JSON request body that JSONDecoder refused without saying where.
///
/// Foundation's JSONDecoder reports a number that does not fit its Swift type (`1.5`, `1e30`
/// or `99999999999999999999` for an integer) as "not valid JSON" with an empty coding path,
/// and the OpenAPI runtime's date-time decoder drops the path too. The body is then read
/// again here with JSONSerialization, and the first typed field whose value does not fit is
/// blamed. Keep the lists in step with `openapi.yaml`; `APITests` checks each one.
enum RequestBodies {
    /// Integer fields of request bodies, by operation.
    static let integers: [String: [String]] = [
        "registerPatient": ["birthYear"],
    ]
    /// `format: date-time` fields of request bodies, by operation.
    static let dateTimes: [String: [String]] = [
        "appendCustodyEntry": ["occurredAt"],
    ]

    static func blame(_ body: [UInt8], operationID: String, error: DecodingError) -> (field: String, problem: String) {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return ("body", "is required: send a JSON object")
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            return ("body", "is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            return ("body", "must be a JSON object")
        }
        for field in integers[operationID] ?? [] {
            guard let value = object[field], !(value is NSNull) else { continue }
            // (A boolean here would have been a type mismatch with a path, so it cannot reach this.)
            if let number = value as? NSNumber, Int(exactly: number) != nil { continue }
            return (field, "must be an integer, got \(String(describing: value).prefix(40))")
        }
        for field in dateTimes[operationID] ?? [] {
            guard let value = object[field], !(value is NSNull) else { continue }
            if let text = value as? String, ISO8601DateFormatter().date(from: text) != nil { continue }
            return (field, "must be a date and time as YYYY-MM-DDThh:mm:ssZ (or with an offset such as +01:00), got \"\(String(describing: value).prefix(40))\"")
        }
        if case .dataCorrupted(let context) = error, !context.debugDescription.isEmpty {
            return ("body", context.debugDescription)
        }
        return ("body", "is not valid")
    }
}
