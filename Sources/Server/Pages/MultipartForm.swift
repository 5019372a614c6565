/// A `multipart/form-data` body (RFC 7578) as a browser sends a form with a file input:
/// each part's name, its file name when it is a file, and its bytes.
///
/// The body has already been read within its route's declared limit
/// (``RequestBodyMiddleware``); reading it is one pass over the bytes, and at most
/// ``maximumParts`` parts are kept, so a hostile body costs no more than its size.
struct MultipartForm {
    struct Part {
        var name: String
        var fileName: String?
        var bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    static let maximumParts = 32
    var parts: [Part]

    /// The part named `name`, if the form sent one.
    subscript(name: String) -> Part? { parts.first { $0.name == name } }

    /// Reads `body` sent with `contentType`; `nil` when it is not multipart form data or has
    /// no boundary.
    init?(_ body: [UInt8], contentType: String?) {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundary = Self.parameter("boundary", in: contentType), !boundary.isEmpty, boundary.utf8.count <= 70
        else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        var starts = Self.occurrences(of: delimiter, in: body)
        // Each part lies between one delimiter and the next; the last delimiter ends with "--".
        starts = Array(starts.prefix(Self.maximumParts + 1))
        for (start, end) in zip(starts, starts.dropFirst()) {
            var from = start + delimiter.count
            // Skip the CRLF after the delimiter; the part ends with a CRLF before the next one.
            if body[from..<min(from + 2, body.count)].elementsEqual([13, 10]) { from += 2 }
            var to = end
            if to - 2 >= from, body[(to - 2)..<to].elementsEqual([13, 10]) { to -= 2 }
            guard from <= to else { continue }
            let part = Array(body[from..<to])
            guard let split = Self.occurrences(of: [13, 10, 13, 10], in: part).first else { continue }
            let headers = String(decoding: part[..<split], as: UTF8.self)
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                  let name = Self.parameter("name", in: String(disposition))
            else { continue }
            parts.append(Part(name: name, fileName: Self.parameter("filename", in: String(disposition)), bytes: Array(part[(split + 4)...])))
        }
        self.parts = parts
    }

    /// A `key=value` or `key="value"` parameter of a header value.
    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// Where `needle` starts in `haystack`, left to right, not overlapping: Knuth–Morris–
    /// Pratt, so a body built to defeat a naive search still costs one pass.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard !needle.isEmpty, haystack.count >= needle.count else { return [] }
        var failure = [Int](repeating: 0, count: needle.count)
        var k = 0
        for i in 1..<max(needle.count, 1) {
            while k > 0, needle[i] != needle[k] { k = failure[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            failure[i] = k
        }
        var found: [Int] = []
        var matched = 0
        for (index, byte) in haystack.enumerated() {
            while matched > 0, byte != needle[matched] { matched = failure[matched - 1] }
            if byte == needle[matched] { matched += 1 }
            if matched == needle.count {
                found.append(index - needle.count + 1)
                matched = 0
            }
        }
        return found
    }
}
