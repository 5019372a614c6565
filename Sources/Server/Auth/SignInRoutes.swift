import Access
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// Signing in and out of the pages. A session is a random secret in an HttpOnly, SameSite
/// cookie; only its hash is stored, with the CSRF token forms must echo.
///
/// A failed sign-in reveals nothing about the account: an unknown email costs the same
/// bcrypt check as a wrong password (against ``Passwords/unknownUserHash``), a disabled
/// account the same as an enabled one, and both answer the same words. Guessing is slowed
/// per client and per account by ``SignInThrottle``.
struct SignInRoutes<Context: RequestContext>: Sendable {
    let store: Store
    let renderer: PageRenderer
    let clock: @Sendable () -> Date
    let throttle: SignInThrottle
    let clientAddress: ClientAddress
    /// Mark cookies Secure (when served over HTTPS, directly or behind a TLS proxy).
    let secureCookies: Bool
    static var sessionLifetime: TimeInterval { 8 * 3600 }
    /// How long a browser stays a known device of the accounts signed in from it.
    static var knownDeviceLifetime: TimeInterval { 30 * 86_400 }
    /// The sign-in form: an email, a password of at most 72 bytes, `next` and little else.
    static var formBodyLimit: Int { 16 * 1024 }

    struct Page {
        var next: String
        var email: String
        var error: String?
    }

    func register(on routes: DeclaredRoutes<Context>) {
        routes.get("/sign-in", access: .open) { request, _ in
            try renderer.render(Page(next: SafeRedirect.target(request.uri.queryParameters["next"].map(String.init)), email: "", error: nil), template: "sign-in")
        }
        routes.post("/sign-in", access: .open, bodyLimit: Self.formBodyLimit, use: signIn)
        routes.post("/sign-out", access: .open, bodyLimit: 0, use: signOut)
    }

    func signIn(_ request: Request, context: Context) async throws -> Response {
        let fields = WebRoutes<Context>.postedForm
        let email = SignInEmail.normalized(fields["email"] ?? "")
        let next = SafeRedirect.target(fields["next"])
        let now = clock()
        let requestID = context.logger[metadataKey: "request_id"].map { "\($0)" }
        let account = email ?? SignInEmail.malformed
        let attempt = SignInThrottle.Attempt(
            account: account, client: clientAddress.of(request, context: context),
            knownDevice: email.flatMap { throttle.knownDevice(request.cookies[SignInThrottle.deviceCookieName]?.value, account: $0) })
        // What the audit log records of the email: the normalized address, never raw input.
        let object = "email:" + account
        func refuse(_ detail: String, _ message: String, status: HTTPResponse.Status) async throws -> Response {
            throttle.recordFailure(attempt, now: now)
            try await store.audit.append(AuditRecord(at: now, userID: nil, organizationID: nil, action: "sign-in", object: object, outcome: .denied, requestID: requestID, detail: detail))
            return try renderer.render(Page(next: next, email: email ?? "", error: message), template: "sign-in", status: status)
        }

        if case .refused(let until, let audit) = throttle.check(attempt, now: now) {
            if audit {
                try await store.audit.append(AuditRecord(
                    at: now, userID: nil, organizationID: nil, action: "sign-in", object: object, outcome: .denied, requestID: requestID,
                    detail: "too many failed attempts; this client's further refusals until \(ISO8601DateFormatter().string(from: until)) are not audited one by one"))
            }
            var response = try renderer.render(Page(next: next, email: email ?? "", error: "Too many failed attempts; wait a few minutes and try again."),
                                               template: "sign-in", status: .tooManyRequests)
            response.headers[.retryAfter] = "\(max(1, Int(until.timeIntervalSince(now).rounded(.up))))"
            return response
        }
        guard let email else {
            return try await refuse("malformed email", "Enter your email address (at most \(SignInEmail.maximumLength) characters).", status: .badRequest)
        }
        let found = try await store.identities.user(email: email)
        // Always one bcrypt check, at the cost people's passwords use, known account or not.
        let matches = Passwords.verify(fields["password"] ?? "", hash: found?.passwordHash ?? Passwords.unknownUserHash)
        guard let user = found?.user, !user.disabled, matches else {
            return try await refuse("wrong email or password", "Wrong email or password.", status: .unauthorized)
        }
        throttle.recordSuccess(attempt)
        let secret = Secret.generate()
        try await store.identities.createSession(
            idHash: Secret.storedHash(secret), userID: user.id, csrfToken: Secret.generate(), expiresAt: now.addingTimeInterval(Self.sessionLifetime)
        )
        try await store.audit.append(AuditRecord(at: now, userID: user.id.rawValue, organizationID: user.organizationID.rawValue, action: "sign-in", object: "user:\(user.id)", outcome: .allowed, requestID: requestID))
        var response = Response(status: .seeOther, headers: [.location: next])
        response.setCookie(Cookie(name: AccessMiddleware<Context>.sessionCookie, value: secret, maxAge: Int(Self.sessionLifetime), path: "/",
                                  secure: secureCookies, httpOnly: true, sameSite: .lax))
        if attempt.knownDevice == nil {
            response.setCookie(Cookie(name: SignInThrottle.deviceCookieName, value: throttle.deviceCookie(for: email), maxAge: Int(Self.knownDeviceLifetime),
                                      path: "/sign-in", secure: secureCookies, httpOnly: true, sameSite: .strict))
        }
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
