import Access
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import Storage

/// Serves repeated reads of cases, metrics and reference data from the ``ResponseCache``.
///
/// Runs after ``AccessMiddleware``, so every request is still authenticated and authorized;
/// only successful `GET`s of the actions in ``cacheableActions`` are kept. Reads that must
/// be audited each time (identifiers) and the audit log itself are never cached.
struct ResponseCacheMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Reads whose answer depends only on the stored data and the caller's scope.
    static var cacheableActions: Set<Action> { [.readCases, .readMetrics, .readReference] }

    let cache: ResponseCache
    let database: Database

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get, let current = RequestIdentity.current, let action = current.action,
            Self.cacheableActions.contains(action)
        else { return try await next(request, context) }

        let stamp = await database.changes.stamp(in: database)
        let key = ResponseCache.Key(
            credential: current.credentialKey, target: request.uri.description, accept: request.headers[.accept] ?? "")
        if let hit = cache.entry(for: key, at: stamp) {
            return Response(status: hit.status, headers: hit.headers, body: .init(byteBuffer: hit.body))
        }

        let response = try await next(request, context)
        guard response.status == .ok, response.headers[.setCookie] == nil else { return response }
        let collector = BodyCollector()
        var headers = response.headers
        try await response.body.write(collector)
        let body = collector.collected
        headers[.contentLength] = nil
        cache.store(.init(status: response.status, headers: headers, body: body, stamp: stamp, storedAt: .now), for: key)
        return Response(status: response.status, headers: headers, body: .init(byteBuffer: body))
    }
}

/// Gathers a response body into one buffer so it can be both sent and kept.
private struct BodyCollector: ResponseBodyWriter {
    private final class Sink: Sendable {
        let buffer = NIOLockedValueBox(ByteBuffer())
    }

    private let sink = Sink()

    var collected: ByteBuffer { sink.buffer.withLockedValue { $0 } }

    mutating func write(_ buffer: ByteBuffer) async throws {
        sink.buffer.withLockedValue { $0.writeImmutableBuffer(buffer) }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
