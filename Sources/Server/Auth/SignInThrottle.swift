import Crypto
import Foundation

/// Slows password guessing without letting a stranger keep an account's owner out.
///
/// The rule (docs/SECURITY.md, "Signing in"): within a 15-minute window,
/// - one client (its address, ``ClientAddress``) may fail 5 times for one account, and 30
///   times across all accounts;
/// - one account may fail 100 times from all clients together.
///
/// Past any of these, that client waits for the window to end (429 with `Retry-After`) —
/// unless it is a **known device** of the account: a browser that signed in to it
/// successfully before carries a cookie (``deviceCookie(for:)``) that passes those limits and
/// is held only to its own 5 failures per window. So someone who knows an email can slow
/// down guessing from their own address, and can at worst make the owner wait out a window on
/// a new browser, never on the browser the owner uses.
///
/// Counts live in this process (each server of a deployment keeps its own), in bounded
/// memory (``FailureCounter``); device cookies are signed with a key made at start, so a
/// restart forgets both together.
final class SignInThrottle: Sendable {
    struct Limits: Sendable {
        var window: TimeInterval = 15 * 60
        var perAccountAndClient = 5
        var perClient = 30
        var perAccount = 100
        var perKnownDevice = 5
        /// Keys counted at most (accounts, clients and their pairs together).
        var capacity = 20_000
    }

    /// One attempt to sign in: the account (a normalized email, known or not), the client, and
    /// the device ID of a valid known-device cookie for that account, if one was sent.
    struct Attempt: Sendable {
        var account: String
        var client: String
        var knownDevice: String? = nil
    }

    enum Verdict: Equatable {
        case allowed
        /// Refused until `until`; `audit` is true for the first refusal of the client in the
        /// window, so a flood adds one audit row, not one per request.
        case refused(until: Date, audit: Bool)
    }

    let limits: Limits
    private let counter: FailureCounter
    private let deviceKey = SymmetricKey(size: .bits256)

    init(limits: Limits = Limits()) {
        self.limits = limits
        self.counter = FailureCounter(window: limits.window, capacity: limits.capacity)
    }

    func check(_ attempt: Attempt, now: Date) -> Verdict {
        let over = keys(attempt).first { key, limit in counter.failures(key, now: now) >= limit }
        guard let (key, _) = over else { return .allowed }
        let until = counter.windowEnd(key, now: now) ?? now.addingTimeInterval(limits.window)
        return .refused(until: until, audit: counter.firstRefusal(Self.clientKey(attempt), now: now))
    }

    func recordFailure(_ attempt: Attempt, now: Date) {
        for (key, _) in keys(attempt) { counter.recordFailure(key, now: now) }
    }

    /// The right password: this client's and this device's failures for the account are
    /// forgiven (the account's and the client's totals are not: they bound floods).
    func recordSuccess(_ attempt: Attempt) {
        counter.forget(Self.accountAndClientKey(attempt))
        if let device = attempt.knownDevice { counter.forget(Self.deviceKey(attempt.account, device)) }
    }

    /// The counters an attempt is held to, with their limits.
    private func keys(_ attempt: Attempt) -> [(String, Int)] {
        if let device = attempt.knownDevice { return [(Self.deviceKey(attempt.account, device), limits.perKnownDevice)] }
        return [
            (Self.accountAndClientKey(attempt), limits.perAccountAndClient),
            (Self.clientKey(attempt), limits.perClient),
            ("account:" + attempt.account, limits.perAccount),
        ]
    }

    private static func accountAndClientKey(_ attempt: Attempt) -> String { "account+client:\(attempt.account)\n\(attempt.client)" }
    private static func clientKey(_ attempt: Attempt) -> String { "client:" + attempt.client }
    private static func deviceKey(_ account: String, _ device: String) -> String { "account+device:\(account)\n\(device)" }

    /// Keys counted now (bounded by ``Limits/capacity``).
    var trackedKeys: Int { counter.count }

    // MARK: Known devices

    static var deviceCookieName: String { "curepath_device" }

    /// A new known-device cookie value for `account`: a random device ID and its signature.
    func deviceCookie(for account: String) -> String {
        let device = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined()
        return device + "." + signature(account, device)
    }

    /// The device ID of `cookie` if it was made by ``deviceCookie(for:)`` for `account`.
    func knownDevice(_ cookie: String?, account: String) -> String? {
        guard let cookie, cookie.utf8.count <= 128 else { return nil }
        let parts = cookie.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let device = String(parts[0])
        return ConstantTime.equal(signature(account, device), parts[1]) ? device : nil
    }

    private func signature(_ account: String, _ device: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data("\(account)\n\(device)".utf8), using: deviceKey)
            .map { String(format: "%02x", $0) }.joined()
    }
}
