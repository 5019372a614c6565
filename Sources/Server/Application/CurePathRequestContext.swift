import Hummingbird
import NIOCore

/// The request context of every CurePath route: Hummingbird's basic context plus the address
/// of the peer that connected, which sign-in throttling keys on (``ClientAddress``).
public struct CurePathRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection's peer: the client itself, or the proxy in front of CurePath.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
