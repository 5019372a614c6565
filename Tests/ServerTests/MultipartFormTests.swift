import Foundation
@testable import Server
import Testing

/// The reader behind the filing pages' uploads (and their CSRF check): hostile bodies cost
/// one pass and a bounded number of parts.
@Suite("Multipart form reading")
struct MultipartFormTests {
    @Test("parts are read by name with their file names; a body built to defeat the boundary search costs one pass and at most 32 parts")
    func hostile() throws {
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.yaml\"\r\n\r\nx: 1\r\n--b--\r\n".utf8)
        let form = try #require(MultipartForm(body, contentType: "multipart/form-data; boundary=b"))
        #expect(form["csrf"]?.text == "tok")
        #expect(form["file"]?.fileName == "a.yaml" && form["file"]?.text == "x: 1")
        #expect(MultipartForm(body, contentType: "application/x-www-form-urlencoded") == nil)
        #expect(MultipartForm(body, contentType: "multipart/form-data") == nil)

        // Nearly the boundary, over and over: a naive search compares ~70 bytes at each of 2 MiB.
        let boundary = String(repeating: "a", count: 70)
        let nearly = Array(String(repeating: "--" + String(repeating: "a", count: 69) + "b", count: 2 * 1_048_576 / 72).utf8)
        let started = ContinuousClock.now
        let hostile = MultipartForm(nearly, contentType: "multipart/form-data; boundary=\(boundary)")
        #expect(hostile?.parts.isEmpty == true)
        #expect(ContinuousClock.now - started < .seconds(10))

        let many = Array(String(repeating: "--b\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nv\r\n", count: 10_000).utf8)
        #expect(try #require(MultipartForm(many, contentType: "multipart/form-data; boundary=b")).parts.count <= MultipartForm.maximumParts)
    }
}
