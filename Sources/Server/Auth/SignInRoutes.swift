import Access
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// Signing in and out of the pages. A session is a random secret in an HttpOnly, SameSite
/// cookie; only its hash is stored, with the CSRF token forms must echo.
struct SignInRoutes<Context: RequestContext>: Sendable {
    let store: Store
    let renderer: PageRenderer
    let clock: @Sendable () -> Date
    let throttle: SignInThrottle
    /// Mark cookies Secure (when served over HTTPS, directly or behind a TLS proxy).
    let secureCookies: Bool
    static var sessionLifetime: TimeInterval { 8 * 3600 }

    struct Page {
        var next: String
        var email: String
        var error: String?
    }

    func register(on router: Router<Context>) {
        router.get("/sign-in") { request, _ in
            try renderer.render(Page(next: Self.safeNext(request.uri.queryParameters["next"].map(String.init)), email: "", error: nil), template: "sign-in")
        }
        router.post("/sign-in", use: signIn)
        router.post("/sign-out", use: signOut)
    }

    /// Only local paths, so the form cannot be used to bounce users to another site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/network" }
        return next
    }

    func signIn(_ request: Request, context: Context) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        let fields = WebRoutes<Context>.formFields(String(buffer: body))
        let email = (fields["email"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let next = Self.safeNext(fields["next"])
        let now = clock()
        let requestID = context.logger[metadataKey: "request_id"].map { "\($0)" }
        guard throttle.allows(email, now: now) else {
            try await store.audit.append(AuditRecord(at: now, userID: nil, organizationID: nil, action: "sign-in", object: "email:\(email)", outcome: .denied, requestID: requestID, detail: "too many failed attempts"))
            return try renderer.render(Page(next: next, email: email, error: "Too many failed attempts; wait a few minutes and try again."), template: "sign-in", status: .tooManyRequests)
        }
        guard let (user, hash) = try await store.identities.user(email: email), !user.disabled, Passwords.verify(fields["password"] ?? "", hash: hash) else {
            throttle.recordFailure(email, now: now)
            try await store.audit.append(AuditRecord(at: now, userID: nil, organizationID: nil, action: "sign-in", object: "email:\(email)", outcome: .denied, requestID: requestID, detail: "wrong email or password"))
            return try renderer.render(Page(next: next, email: email, error: "Wrong email or password."), template: "sign-in", status: .unauthorized)
        }
        throttle.reset(email)
        let secret = Secret.generate()
        try await store.identities.createSession(
            idHash: Secret.storedHash(secret), userID: user.id, csrfToken: Secret.generate(), expiresAt: now.addingTimeInterval(Self.sessionLifetime)
        )
        try await store.audit.append(AuditRecord(at: now, userID: user.id.rawValue, organizationID: user.organizationID.rawValue, action: "sign-in", object: "user:\(user.id)", outcome: .allowed, requestID: requestID))
        var response = Response(status: .seeOther, headers: [.location: next])
        response.setCookie(Cookie(name: AccessMiddleware<Context>.sessionCookie, value: secret, maxAge: Int(Self.sessionLifetime), path: "/",
                                  secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    func signOut(_ request: Request, context: Context) async throws -> Response {
        if let cookie = request.cookies[AccessMiddleware<Context>.sessionCookie]?.value {
            try await store.identities.deleteSession(idHash: Secret.storedHash(cookie))
        }
        var response = Response(status: .seeOther, headers: [.location: "/sign-in"])
        response.setCookie(Cookie(name: AccessMiddleware<Context>.sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }
}
