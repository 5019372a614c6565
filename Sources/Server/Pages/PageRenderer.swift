import Foundation
import Hummingbird
import Mustache
import NIOCore

/// The Mustache templates of the web pages, loaded once from the module's resources.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> PageRenderer {
        let directory = StaticResource.url("Templates").path
        let library = try await MustacheLibrary(directory: directory)
        guard library.getTemplate(named: "layout") != nil else {
            throw HTTPError(.internalServerError, message: "page templates are missing from \(directory)")
        }
        return PageRenderer(library: library)
    }

    func render(_ model: Any, template: String, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = library.render(model, withTemplate: template) else {
            throw HTTPError(.internalServerError, message: "no template '\(template)'")
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// An `<option>` of a select box.
struct Option {
    var value: String
    var label: String
    var selected: Bool
}
