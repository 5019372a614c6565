/// A strict RFC 8259 reader for FHIR JSON that refuses hostile input instead of crashing.
///
/// Foundation's `JSONSerialization` turns `49.99` into a binary float and recurses without
/// a bound; this reader keeps every number's text, stops at a nesting depth, a size and
/// invalid UTF-8, refuses duplicate keys (FHIR forbids them), and names the JSON path and
/// line of every problem so that a health system's interface team can find it.
struct JSONParser {
    /// Larger bundles are refused before any parsing: a patient's PA evidence is kilobytes.
    static let maximumBytes = 10 * 1024 * 1024
    /// Real FHIR resources nest about a dozen levels; the limit keeps recursion shallow.
    static let maximumDepth = 64
    /// The most values in one document. Real resources spend about 30 bytes a value, so a
    /// bundle at the size limit holds some 350,000; bytes alone do not bound the tree's
    /// memory, since `[[],[],…]` spends two bytes a value. Strings need no bound of their
    /// own: one can be no longer than the input, and is stored once.
    static let maximumValues = 1_000_000

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private var values = 0
    /// Where the value being read sits, for error messages.
    private var path: [PathComponent] = []

    private enum PathComponent {
        case key(String)
        case index(Int)
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses a whole document, checking size and encoding first.
    static func parse(_ input: some Collection<UInt8>) throws(FHIRError) -> JSONValue {
        let count = input.count
        guard count <= maximumBytes else {
            throw FHIRError(path: "$", problem: "the input is \(count) bytes; the limit is \(maximumBytes) bytes (10 MB)")
        }
        var parser = JSONParser(bytes: Array(input))
        if let offset = parser.firstInvalidUTF8() {
            throw FHIRError(path: "$", problem: "the input is not valid UTF-8 at byte \(offset) (\(parser.position(of: offset)))")
        }
        if parser.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        parser.skipWhitespace()
        guard parser.index < parser.bytes.count else { throw FHIRError(path: "$", problem: "the input is empty; expected a JSON object") }
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else {
            throw FHIRError(path: "$", problem: "unexpected content after the JSON value (\(parser.position(of: parser.index)))")
        }
        return value
    }

    /// The offset of the first byte that is not part of well-formed UTF-8, or `nil`.
    private func firstInvalidUTF8() -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// "line 3, column 14" for a byte offset, computed only when an error is reported.
    private func position(of offset: Int) -> String {
        var line = 1, lineStart = 0
        for current in 0..<min(offset, bytes.count) where bytes[current] == 0x0A {
            line += 1
            lineStart = current + 1
        }
        return "line \(line), column \(offset - lineStart + 1)"
    }

    private var renderedPath: String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let position): text += "[\(position)]"
            }
        }
        return text.isEmpty ? "$" : text
    }

    private func failure(_ problem: String, at offset: Int? = nil) -> FHIRError {
        FHIRError(path: renderedPath, problem: "\(problem) (\(position(of: offset ?? index)))")
    }

    /// What was found where something else was expected, in words.
    private func unexpected(_ expected: String) -> FHIRError {
        guard index < bytes.count else { return FHIRError(path: renderedPath, problem: "the input ends where \(expected) was expected") }
        let found = bytes[index]
        let shown = found >= 0x20 && found < 0x7F ? "'\(Character(Unicode.Scalar(found)))'" : "byte 0x" + String(found, radix: 16)
        return failure("expected \(expected), found \(shown)")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func parseValue() throws(FHIRError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw unexpected("a value") }
        values += 1
        guard values <= JSONParser.maximumValues else { throw failure("the input holds more than \(JSONParser.maximumValues) values") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw unexpected("a value")
        }
    }

    private mutating func enter() throws(FHIRError) {
        depth += 1
        guard depth <= JSONParser.maximumDepth else { throw failure("nested deeper than \(JSONParser.maximumDepth) levels") }
        index += 1
    }

    private mutating func parseObject() throws(FHIRError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        var members: [(key: String, value: JSONValue)] = []
        // Duplicate keys are found by hashing, not by scanning the members so far: a scan made
        // one object of 40,000 keys cost 800 million comparisons and stalled the server.
        var keys: Set<String> = []
        if consume(UInt8(ascii: "}")) { return .object(members) }
        repeat {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw unexpected("a quoted key") }
            let keyOffset = index
            let key = try parseString()
            if !keys.insert(key).inserted {
                path.append(.key(key))
                defer { path.removeLast() }
                throw failure("the key \"\(key.prefix(40))\" appears twice in one object", at: keyOffset)
            }
            guard consume(UInt8(ascii: ":")) else { throw unexpected("':' after a key") }
            path.append(.key(key))
            let value = try parseValue()
            path.removeLast()
            members.append((key, value))
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "}")) else { throw unexpected("',' or '}'") }
        return .object(members)
    }

    private mutating func parseArray() throws(FHIRError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        if consume(UInt8(ascii: "]")) { return .array(elements) }
        repeat {
            path.append(.index(elements.count))
            let element = try parseValue()
            path.removeLast()
            elements.append(element)
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "]")) else { throw unexpected("',' or ']'") }
        return .array(elements)
    }

    private mutating func literal(_ word: String) throws(FHIRError) {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
            throw unexpected("a value")
        }
        index += expected.count
    }

    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
        return index - start
    }

    private mutating func parseNumber() throws(FHIRError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else { throw unexpected("a digit") }
        if bytes[index] == 0x30 { index += 1 } else { _ = digits() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw unexpected("a digit after the decimal point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw unexpected("a digit in the exponent") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func parseString() throws(FHIRError) -> String {
        let opening = index
        index += 1
        let start = index
        // Most strings have no escapes: decode them straight from the input.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: bytes[start..<(index - 1)], as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw failure("a control character inside a string; write it as an escape such as \\n") }
            index += 1
        }
        var decoded = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw failure("a \\u escape names half of a surrogate pair")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure("a \\u escape names half of a surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw failure("a \\u escape names half of a surrogate pair")
                    }
                    // Surrogates are excluded above, so every remaining code is a scalar.
                    guard let scalar = Unicode.Scalar(code) else { throw failure("a \\u escape does not name a character") }
                    decoded.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    index -= 1
                    throw unexpected("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
                }
            case 0x00..<0x20:
                throw failure("a control character inside a string; write it as an escape such as \\n", at: index - 1)
            default:
                decoded.append(byte)
            }
        }
        throw failure("a string is never closed", at: opening)
    }

    private mutating func hex4() throws(FHIRError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw failure("a \\u escape needs four hex digits")
            }
            index += 1
            value = value << 4 | digit
        }
        return value
    }
}
