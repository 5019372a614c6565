import Access
import Core
import Foundation
import HTTPTypes
import Hummingbird
import Yams

/// The ``RouteRule`` of every API operation, read from `openapi.yaml` where the operation is
/// defined:
///
/// ```yaml
/// /outcome-events:
///   post:
///     operationId: recordOutcomeEvents
///     x-curepath-action: write-outcomes     # required: an Action's raw value
///     x-curepath-body-limit: 50 MiB         # optional: bytes, KiB or MiB; default 2 MiB
/// ```
///
/// An operation without a known action stops the server from starting, naming the operation,
/// so a new endpoint cannot be served before someone has said who may call it.
enum OperationRules {
    struct Operation: Sendable {
        var operationID: String
        var method: HTTPRequest.Method
        /// The path as the router prints it, under `prefix` (`/api/v1/cases/{caseId}`).
        var path: RouterPath
        var rule: RouteRule
    }

    static let methods = ["get", "put", "post", "delete", "patch", "head", "options"]
    /// Where the API's operations are served (the spec's `servers` entry).
    static let apiPrefix = "/api/v1"

    /// The operations of the spec bundled with the server, read once per process.
    static func bundled() throws -> [Operation] { try bundledOperations.get() }
    private static let bundledOperations = Result { try read(spec: StaticResource.load("openapi.yaml"), prefix: apiPrefix) }

    /// Reads every operation of `spec` (the YAML text); paths are placed under `prefix`.
    static func read(spec: Data, prefix: String) throws -> [Operation] {
        guard let text = String(data: spec, encoding: .utf8),
            let document = try Yams.load(yaml: text) as? [String: Any],
            let paths = document["paths"] as? [String: Any]
        else { throw ValidationError(field: "openapi.yaml", problem: "has no paths") }
        var operations: [Operation] = []
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            guard let item = item as? [String: Any] else { continue }
            for method in methods {
                guard let operation = item[method] as? [String: Any] else { continue }
                let id = operation["operationId"] as? String ?? "\(method.uppercased()) \(path)"
                guard let name = operation["x-curepath-action"] as? String, let action = Action(rawValue: name) else {
                    throw ValidationError(
                        field: "openapi.yaml: \(id).x-curepath-action",
                        problem: "must name the action the operation performs, one of \(Action.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                var rule = RouteRule(.action(action))
                if let limit = operation["x-curepath-body-limit"] {
                    guard let bytes = RouteRule.bytes("\(limit)") else {
                        throw ValidationError(field: "openapi.yaml: \(id).x-curepath-body-limit", problem: "must be bytes, \"N KiB\" or \"N MiB\", got \(limit)")
                    }
                    rule.bodyLimit = bytes
                }
                operations.append(Operation(
                    operationID: id, method: HTTPRequest.Method(rawValue: method.uppercased())!,
                    path: RouterPath(prefix).appendingPath(RouterPath(path)), rule: rule))
            }
        }
        return operations
    }
}
