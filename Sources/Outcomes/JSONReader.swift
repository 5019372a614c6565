/// A JSON value with the line it starts on.
struct JSONItem {
    indirect enum Value {
        case string(String)
        /// The number exactly as written, so that no digit is lost to a binary float.
        case number(String)
        case bool(Bool)
        case null
        case array([JSONItem])
        case object([(key: String, item: JSONItem)])
    }

    var line: Int
    var value: Value

    /// The JSON type's name, for "must be text, got a number".
    var typeName: String {
        switch value {
        case .string: "text"
        case .number: "a number"
        case .bool: "true or false"
        case .null: "null"
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// A strict RFC 8259 reader that knows the line of every value and refuses to nest deeper
/// than a limit, so a hostile file can neither exhaust the stack nor hide where it is wrong.
///
/// Foundation's reader gives neither line numbers nor exact numbers; outcome files need both.
struct JSONReader {
    struct SyntaxError: Error {
        var line: Int
        var problem: String
    }

    static let maximumDepth = 32
    /// The most values in one item read from the top (one event, or the value of one
    /// top-level key). An event has about a dozen; the bound keeps the tree of any one item
    /// small, since the file is read an item at a time and bytes alone do not bound it
    /// (`[[],[],…]` is two bytes a value).
    static let maximumValuesPerItem = 10_000

    private let bytes: UnsafeRawBufferPointer
    private(set) var index = 0
    private(set) var line = 1
    private var depth = 0
    /// Values read in the current top-level item.
    private var values = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    var atEnd: Bool { index >= bytes.count }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                line += 1
                index += 1
            default: return
            }
        }
    }

    /// The next significant byte without consuming it.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(SyntaxError) {
        guard peek() == byte else { throw unexpected(what) }
        index += 1
    }

    /// Consumes `byte` when it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    func unexpected(_ expected: String) -> SyntaxError {
        guard index < bytes.count else { return SyntaxError(line: line, problem: "the file ends where \(expected) was expected") }
        let found = bytes[index]
        let shown = found >= 0x20 && found < 0x7F ? "'\(Character(Unicode.Scalar(found)))'" : "byte 0x" + String(found, radix: 16)
        return SyntaxError(line: line, problem: "expected \(expected), found \(shown)")
    }

    mutating func parseValue() throws(SyntaxError) -> JSONItem {
        guard let byte = peek() else { throw unexpected("a value") }
        if depth == 0 { values = 0 }
        values += 1
        guard values <= JSONReader.maximumValuesPerItem else {
            throw SyntaxError(line: line, problem: "one item holds more than \(JSONReader.maximumValuesPerItem) values; an outcome event has about a dozen")
        }
        let startLine = line
        switch byte {
        case UInt8(ascii: "{"):
            depth += 1
            guard depth <= JSONReader.maximumDepth else { throw SyntaxError(line: line, problem: "nested deeper than \(JSONReader.maximumDepth) levels") }
            defer { depth -= 1 }
            index += 1
            var members: [(key: String, item: JSONItem)] = []
            if consume(UInt8(ascii: "}")) { return JSONItem(line: startLine, value: .object(members)) }
            repeat {
                guard peek() == UInt8(ascii: "\"") else { throw unexpected("a quoted key") }
                let key = try parseString()
                try expect(UInt8(ascii: ":"), "':' after a key")
                members.append((key, try parseValue()))
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return JSONItem(line: startLine, value: .object(members))
        case UInt8(ascii: "["):
            depth += 1
            guard depth <= JSONReader.maximumDepth else { throw SyntaxError(line: line, problem: "nested deeper than \(JSONReader.maximumDepth) levels") }
            defer { depth -= 1 }
            index += 1
            var elements: [JSONItem] = []
            if consume(UInt8(ascii: "]")) { return JSONItem(line: startLine, value: .array(elements)) }
            repeat { elements.append(try parseValue()) } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return JSONItem(line: startLine, value: .array(elements))
        case UInt8(ascii: "\""):
            return JSONItem(line: startLine, value: .string(try parseString()))
        case UInt8(ascii: "t"):
            try literal("true")
            return JSONItem(line: startLine, value: .bool(true))
        case UInt8(ascii: "f"):
            try literal("false")
            return JSONItem(line: startLine, value: .bool(false))
        case UInt8(ascii: "n"):
            try literal("null")
            return JSONItem(line: startLine, value: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONItem(line: startLine, value: .number(try parseNumber()))
        default:
            throw unexpected("a value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw unexpected("'\(word)'") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw unexpected("'\(word)'")
        }
        index += count
    }

    private mutating func parseNumber() throws(SyntaxError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits(_ reader: inout JSONReader) -> Int {
            var count = 0
            while reader.index < reader.bytes.count, (0x30...0x39).contains(reader.bytes[reader.index]) {
                reader.index += 1
                count += 1
            }
            return count
        }
        guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else { throw unexpected("a digit") }
        if bytes[index] == 0x30 { index += 1 } else { _ = digits(&self) }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw unexpected("a digit after the decimal point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw unexpected("a digit in the exponent") }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        index += 1  // opening quote
        var scalars: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw SyntaxError(line: line, problem: "a \\u escape names half of a surrogate pair")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw SyntaxError(line: line, problem: "a \\u escape names half of a surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw SyntaxError(line: line, problem: "a \\u escape names half of a surrogate pair")
                    }
                    scalars.append(contentsOf: Array(String(Character(Unicode.Scalar(code)!)).utf8))
                default:
                    throw SyntaxError(line: line, problem: "unknown escape '\\\(Character(Unicode.Scalar(escape)))' in a string")
                }
            case 0x00..<0x20:
                throw SyntaxError(line: line, problem: "a control character inside a string; write it as an escape such as \\n")
            default:
                scalars.append(byte)
            }
        }
        throw SyntaxError(line: line, problem: "a string is never closed")
    }

    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw SyntaxError(line: line, problem: "a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw SyntaxError(line: line, problem: "a \\u escape needs four hex digits")
            }
            value = value << 4 | digit
        }
        return value
    }
}
