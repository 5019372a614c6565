/// Reads RFC 4180 CSV one record at a time, keeping the line each record starts on.
///
/// Outcome files run to tens of megabytes, so records are read and turned into events one
/// by one rather than split into a table first; a quoted field may span lines, which is
/// why the record's first line is kept rather than counted from the record number.
public struct CSVReader {
    public struct Record {
        public var line: Int
        public var fields: [String]
    }

    public enum Failure: Error {
        case malformed(line: Int, problem: String)
    }

    /// The most fields one record may have. The widest file CurePath reads (outcome events)
    /// has 12 columns; without a bound a 50 MB line of commas would become 50 million
    /// strings (about 800 MB) before the header check could refuse it.
    public static let maximumFields = 1_000

    private let bytes: UnsafeRawBufferPointer
    private var index: Int
    private var line = 1

    public init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        // A byte-order mark from a spreadsheet export is not part of the first header.
        index = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// Where a reader over the same bytes stopped: the next record's offset and line. A
    /// large file is read a chunk of records at a time, the bytes staying where they are.
    public struct Position: Sendable, Hashable {
        public var offset: Int
        public var line: Int
    }

    public var position: Position { Position(offset: index, line: line) }

    /// Carries on reading `bytes` from `position`, as the reader that reached it would have.
    public init(bytes: UnsafeRawBufferPointer, from position: Position) {
        self.bytes = bytes
        index = position.offset
        line = position.line
    }

    /// The next record; `nil` at the end. A malformed record is reported and skipped to the
    /// end of its line, so the rest of the file is still checked.
    public mutating func next() -> Result<Record, Failure>? {
        // Blank lines between records carry nothing.
        while index < bytes.count, bytes[index] == 0x0A || bytes[index] == 0x0D {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        while true {
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                guard field.isEmpty else { return skip(startLine, "a quote inside an unquoted field; quote the whole field and double the quote") }
                index += 1
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "\"") {
                        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                            field.append(byte)
                            index += 1
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        if byte == 0x0A { line += 1 }
                        field.append(byte)
                    }
                }
                guard closed else { return .failure(.malformed(line: startLine, problem: "a quoted field is never closed")) }
                if index < bytes.count, ![UInt8(ascii: ","), 0x0A, 0x0D].contains(bytes[index]) {
                    return skip(startLine, "text after a closing quote; a field is either wholly quoted or not at all")
                }
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ",") || byte == 0x0A || byte == 0x0D { break }
                if byte == UInt8(ascii: "\"") { return skip(startLine, "a quote inside an unquoted field; quote the whole field and double the quote") }
                field.append(byte)
                index += 1
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                guard fields.count < CSVReader.maximumFields else {
                    return skip(startLine, "has more than \(CSVReader.maximumFields) fields; no file CurePath reads has that many columns")
                }
                index += 1
                continue
            }
            // End of record: CRLF, LF or end of input.
            if index < bytes.count, bytes[index] == 0x0D { index += 1 }
            if index < bytes.count, bytes[index] == 0x0A {
                index += 1
                line += 1
            }
            return .success(Record(line: startLine, fields: fields))
        }
    }

    private mutating func skip(_ startLine: Int, _ problem: String) -> Result<Record, Failure> {
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
        return .failure(.malformed(line: startLine, problem: problem))
    }
}
