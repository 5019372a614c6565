import Access
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Storage

/// Authentication and authorization, in one place for the API and the pages. It runs before
/// any request body is read (``RequestBodyMiddleware`` comes after it).
///
/// 1. Every route declares its ``RouteRule`` (``RouteRules``); routes declared open (health,
///    the spec, static files, sign-in) pass untouched.
/// 2. The caller is identified by an API token (`Authorization: Bearer …`) or a sign-in
///    session cookie; otherwise the API answers 401 and pages redirect to the sign-in page.
/// 3. The route's rule names the action (a route with none is a 404); ``AccessPolicy``
///    decides. A denial is a 403 and is audited.
/// 4. The principal is made available to handlers (``RequestIdentity``), which scope case
///    data by it, and every write is audited with its outcome and request ID, including a
///    refusal by ``CSRFMiddleware`` (denied).
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    static var sessionCookie: String { "curepath_session" }

    let store: Store
    let clock: @Sendable () -> Date
    let credentials: CredentialCache
    let rules: RouteRules

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let method = request.method
        let path = request.uri.path
        let rule = rules.rule(method, endpointPath: context.endpointPath)
        if rule?.access == .open { return try await next(request, context) }
        let requestID = context.logger[metadataKey: "request_id"].map { "\($0)" }
        let isAPI = path.hasPrefix("/api/")

        guard var current = try await authenticate(request, requestID: requestID ?? "") else {
            if isAPI {
                var response = ProblemMiddleware<Context>.response(for: Problem(
                    status: .unauthorized, type: "unauthenticated", title: "Not signed in",
                    detail: "send an API token as 'Authorization: Bearer <token>' (curepath admin issue-token)"))
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
            let next = path + (request.uri.query.map { "?" + $0 } ?? "")
            return Response(status: .seeOther, headers: [.location: "/sign-in?next=" + WebRoutes<Context>.encode(next)])
        }

        guard let action = rule?.action else {
            throw Problem(status: .notFound, type: "not-found", title: "Not found", detail: "no route \(method.rawValue) \(path)")
        }
        current.action = action
        let principal = current.principal
        if case .deny(let reason) = AccessPolicy.decide(principal, action) {
            try await store.audit.append(AuditRecord(principal, action, object: path, outcome: .denied, at: clock(), requestID: requestID, detail: reason))
            throw Problem(status: .forbidden, type: "forbidden", title: "Not allowed", detail: reason)
        }

        // A write's audit row names the records the handler touched (the patient, the case),
        // not only the path; the path goes in the detail.
        let touched = TouchedRecords()
        let object = { touched.summary ?? path }
        let response: Response
        do {
            response = try await RequestIdentity.$touched.withValue(touched) {
                try await RequestIdentity.$current.withValue(current) { try await next(request, context) }
            }
        } catch let refusal as CSRFRefusal {
            try await store.audit.append(AuditRecord(principal, action, object: path, outcome: .denied, at: clock(), requestID: requestID, detail: "missing or wrong CSRF token"))
            throw refusal.problem
        } catch {
            if method != .get {
                _ = try? await store.audit.append(AuditRecord(
                    principal, action, object: object(), outcome: .failed, at: clock(), requestID: requestID,
                    detail: "\(method.rawValue) \(path): \(type(of: error))"))
            }
            throw error
        }
        if method != .get {
            let outcome: AuditOutcome = response.status.code < 400 ? .allowed : .failed
            try await store.audit.append(AuditRecord(
                principal, action, object: object(), outcome: outcome, at: clock(), requestID: requestID,
                detail: "\(method.rawValue) \(path): HTTP \(response.status.code)"))
        }
        return response
    }

    /// Who sent the request: an API token (`Authorization: Bearer …`), else a session
    /// cookie, else nobody. A malformed, unknown, expired or revoked token is refused
    /// outright rather than falling back to the cookie.
    private func authenticate(_ request: Request, requestID: String) async throws -> RequestIdentity.Current? {
        let now = clock()
        let stamp = await store.database.changes.stamp(in: store.database)
        if let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer ") else { throw Self.badToken }
            let hash = Secret.storedHash(String(authorization.dropFirst(7)))
            let key = "token:" + hash
            if let known = credentials.entry(for: key, at: stamp, now: now) {
                return .init(principal: known.principal, requestID: requestID, csrfToken: nil, credentialKey: key)
            }
            guard let found = try await store.identities.principal(tokenHash: hash, now: now) else { throw Self.badToken }
            credentials.store(.init(principal: found.principal, csrfToken: nil, expiresAt: found.expiresAt, stamp: stamp), for: key)
            return .init(principal: found.principal, requestID: requestID, csrfToken: nil, credentialKey: key)
        }
        guard let cookie = request.cookies[Self.sessionCookie]?.value else { return nil }
        let hash = Secret.storedHash(cookie)
        let key = "session:" + hash
        if let known = credentials.entry(for: key, at: stamp, now: now) {
            return .init(principal: known.principal, requestID: requestID, csrfToken: known.csrfToken, credentialKey: key)
        }
        guard let session = try await store.identities.session(idHash: hash, now: now) else { return nil }
        credentials.store(.init(principal: session.principal, csrfToken: session.csrfToken, expiresAt: session.expiresAt, stamp: stamp), for: key)
        return .init(principal: session.principal, requestID: requestID, csrfToken: session.csrfToken, credentialKey: key)
    }

    private static var badToken: Problem {
        Problem(status: .unauthorized, type: "unauthenticated", title: "Not signed in",
                detail: "the API token is missing, malformed, expired or revoked")
    }
}
