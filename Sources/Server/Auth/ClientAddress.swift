import Foundation
import HTTPTypes
import Hummingbird

/// Where CurePath learns which client sent a request, for sign-in throttling.
///
/// Served directly, that is the TCP peer. Behind a TLS-terminating proxy every peer is the
/// proxy, so the client is the address the proxy appended last to a header it sets
/// (`CUREPATH_CLIENT_ADDRESS_HEADER=X-Forwarded-For`). Earlier entries of that header are
/// the client's own claims and are ignored; only configure a header your proxy overwrites
/// or appends to.
public enum ClientAddress: Sendable, Equatable {
    case peer
    case forwarded(header: String)

    /// The client of `request`, at most 64 characters; `unknown` when there is none (an
    /// in-process test, a proxy that sent no header).
    func of(_ request: Request, context: some RequestContext) -> String {
        let address: String?
        switch self {
        case .peer:
            address = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress
        case .forwarded(let header):
            address = HTTPField.Name(header).flatMap { request.headers[values: $0].last }?
                .split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let address, !address.isEmpty else { return "unknown" }
        return String(address.prefix(64))
    }
}
