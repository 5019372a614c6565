import Access
import Core
import Foundation
import HTTPTypes
import Hummingbird
import Outcomes
import FHIR
@testable import Server
import Storage
import Testing

@Suite("Every route declares who may use it and how much it reads")
struct RouteRulesTests {
    /// The only routes anyone may use without signing in.
    static let openRoutes: Set<String> = [
        "GET /health", "GET /openapi.yaml", "GET /static/curepath.css", "GET /sign-in", "POST /sign-in", "POST /sign-out",
    ]

    static func routes() async throws -> (routes: [RouteRules.Key], rules: [RouteRules.Key: RouteRule]) {
        let store = try await Store.open(.sqliteInMemory)
        var configuration = AppConfiguration()
        configuration.loadDemo = false
        do {
            let (router, rules) = try await buildRoutes(configuration, store: store)
            await store.close()
            return (router.routes.map { RouteRules.Key(method: $0.method, path: $0.path.description) }, rules.all)
        } catch {
            await store.close()
            throw error
        }
    }

    /// Whether `uri` (a request target) is a request for the route `template` (`/cases/{caseId}`).
    static func matches(_ template: String, _ uri: String) -> Bool {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let want = template.split(separator: "/"), have = path.split(separator: "/")
        return want.count == have.count && zip(want, have).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }

    /// How many segments of a route's path are constant (not `{parameter}`).
    static func constants(_ template: String) -> Int {
        template.split(separator: "/").filter { !$0.hasPrefix("{") }.count
    }

    @Test("every route the server serves has a rule, and every rule a route")
    func everyRouteHasARule() async throws {
        let (routes, rules) = try await Self.routes()
        #expect(routes.count > 70)
        for route in routes {
            #expect(rules[route] != nil, "\(route) is served but declares no rule (x-curepath-action in openapi.yaml, or DeclaredRoutes)")
        }
        for declared in rules.keys {
            #expect(routes.contains(declared), "\(declared) has a rule but no handler")
        }
    }

    @Test("every route that needs an action has a row in the role × endpoint matrix with that action; only the known few are open")
    func everyRouteIsInTheMatrix() async throws {
        let (routes, rules) = try await Self.routes()
        for route in routes {
            switch rules[route]?.access {
            case .open:
                #expect(Self.openRoutes.contains(route.description), "\(route) is open to anyone: is that meant?")
            case .action(let action):
                // A row belongs to the route the router picks for it: a constant segment
                // (`/cases/new`) before a parameter (`/cases/{caseId}`).
                let rows = AccessControlTests.endpoints.filter { endpoint in
                    endpoint.method == route.method && Self.matches(route.path, endpoint.uri)
                        && !routes.contains { other in
                            other.method == route.method && Self.matches(other.path, endpoint.uri) && Self.constants(other.path) > Self.constants(route.path)
                        }
                }
                #expect(!rows.isEmpty, "\(route) has no row in AccessControlTests.endpoints (the role × endpoint matrix)")
                #expect(rows.allSatisfy { $0.action == action }, "\(route) performs \(action.rawValue) but its matrix row says otherwise")
            case nil:
                Issue.record("\(route) has no rule")
            }
        }
        // And the matrix names no route the server does not have.
        for endpoint in AccessControlTests.endpoints {
            #expect(routes.contains { $0.method == endpoint.method && Self.matches($0.path, endpoint.uri) }, "\(endpoint) is not a route")
        }
    }

    @Test("an operation without x-curepath-action stops the server from starting, naming the operation")
    func missingActionIsRefused() throws {
        let spec = String(decoding: try StaticResource.load("openapi.yaml"), as: UTF8.self)
        let without = spec.replacingOccurrences(of: "      operationId: listPayers\n      x-curepath-action: read-reference\n",
                                                with: "      operationId: listPayers\n")
        #expect(without != spec)
        #expect(throws: ValidationError.self) { try OperationRules.read(spec: Data(without.utf8), prefix: "/api/v1") }
        do {
            _ = try OperationRules.read(spec: Data(without.utf8), prefix: "/api/v1")
        } catch {
            #expect("\(error)".contains("listPayers.x-curepath-action"))
        }
        let unknown = spec.replacingOccurrences(of: "operationId: listPayers\n      x-curepath-action: read-reference",
                                                with: "operationId: listPayers\n      x-curepath-action: read-everything")
        #expect(throws: ValidationError.self) { try OperationRules.read(spec: Data(unknown.utf8), prefix: "/api/v1") }
        let badLimit = spec.replacingOccurrences(of: "x-curepath-body-limit: 50 MiB", with: "x-curepath-body-limit: fifty")
        #expect(throws: ValidationError.self) { try OperationRules.read(spec: Data(badLimit.utf8), prefix: "/api/v1") }
    }

    @Test("body limits are declared with the routes and match the file formats they carry")
    func bodyLimits() async throws {
        let (_, rules) = try await Self.routes()
        func limit(_ method: HTTPRequest.Method, _ path: String) -> Int? { rules[RouteRules.Key(method: method, path: path)]?.bodyLimit }
        #expect(limit(.post, "/api/v1/outcome-events") == OutcomeEventFile.maximumBytes)
        #expect(limit(.post, "/api/v1/outcome-events/fhir") == OutcomeBundleImport.maximumBytes)
        #expect(limit(.post, "/api/v1/patients/{patientId}/clinical-facts/fhir") == OutcomeBundleImport.maximumBytes)
        #expect(limit(.post, "/api/v1/prior-authorizations/{requestId}/claim-response") == OutcomeBundleImport.maximumBytes)
        #expect(limit(.post, "/api/v1/linkage/tokens") == CurePathAPI.maximumLinkageBytes)
        #expect(limit(.post, "/api/v1/linkage/clks") == CurePathAPI.maximumLinkageBytes)
        #expect(limit(.post, "/api/v1/reference-imports/{kind}") == ReferenceCSV.maximumBytes)
        #expect(limit(.post, "/reference/{kind}/import") == 3 * ReferenceCSV.maximumBytes)
        #expect(limit(.post, "/api/v1/cases") == RouteRule.defaultBodyLimit)
        #expect(limit(.post, "/sign-in") == 16 * 1024)
        #expect(limit(.post, "/cases/{caseId}/events") == RouteRule.formBodyLimit)
        #expect(limit(.get, "/cases/{caseId}") == 0)
        #expect(RouteRule.bytes("50 MiB") == 52_428_800)
        #expect(RouteRule.bytes("64 KiB") == 65_536)
        #expect(RouteRule.bytes("1000") == 1000)
        #expect(RouteRule.bytes("-1") == nil && RouteRule.bytes("5 GB") == nil && RouteRule.bytes("1 MiB extra") == nil)
    }
}
