import Foundation

/// The typed query parameters of the API, so a parameter the OpenAPI runtime could not
/// decode can be named in the problem (the runtime's error carries no parameter name).
/// Keep in step with `openapi.yaml`; `ProblemTests` checks each one.
enum QueryParameters {
    static let integers: Set<String> = ["limit", "offset"]
    static let enumerations: [String: Set<String>] = [
        "status": ["open", "infused", "lost"],
        "by": ["center", "payer", "product"],
    ]

    /// The first query parameter in `path` whose value does not fit its type.
    static func blame(_ path: String) -> (field: String, problem: String)? {
        guard let query = URLComponents(string: path)?.queryItems else { return nil }
        for item in query {
            let value = item.value ?? ""
            if integers.contains(item.name), Int(value) == nil {
                return (item.name, "must be an integer, got \"\(value.prefix(40))\"")
            }
            if let allowed = enumerations[item.name], !allowed.contains(value) {
                return (item.name, "must be one of \(allowed.sorted().joined(separator: ", ")), got \"\(value.prefix(40))\"")
            }
        }
        return nil
    }
}
