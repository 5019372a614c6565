import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers

/// Every route's ``RouteRule``, keyed by method and the route's path as the router prints it
/// (`/api/v1/cases/{caseId}`), which is also what a request's `context.endpointPath` names
/// once the router has matched it. A route is declared once; declaring it twice is a
/// programming error caught at startup.
final class RouteRules: Sendable {
    struct Key: Hashable, Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var description: String { "\(method.rawValue) \(path)" }
    }

    private let rules = NIOLockedValueBox([Key: RouteRule]())

    func declare(_ method: HTTPRequest.Method, _ path: RouterPath, _ rule: RouteRule) {
        let key = Key(method: method, path: path.description)
        rules.withLockedValue { rules in
            precondition(rules[key] == nil, "route \(key) is declared twice")
            rules[key] = rule
        }
    }

    /// The rule of the route the router matched, or `nil` when it matched none (or the route
    /// was registered without a rule, which ``AccessMiddleware`` refuses all the same).
    func rule(_ method: HTTPRequest.Method, endpointPath: String?) -> RouteRule? {
        guard let endpointPath else { return nil }
        return rules.withLockedValue { $0[Key(method: method, path: endpointPath)] }
    }

    /// Every declared route and its rule.
    var all: [Key: RouteRule] { rules.withLockedValue { $0 } }
}
