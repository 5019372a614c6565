/// Checks shared by every file CurePath reads: a size limit and valid UTF-8, reported with
/// the line of the first bad byte so a hex editor is not needed to find it.
public enum TextInput {
    /// Where the first byte that is not valid UTF-8 is, or `nil` when the whole input is valid.
    public static func firstInvalidUTF8(in bytes: UnsafeRawBufferPointer) -> (offset: Int, line: Int)? {
        var index = 0
        var line = 1
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == 0x0A { line += 1 }
                index += 1
                continue
            }
            let length: Int
            let minimum: UInt32
            var scalar: UInt32
            switch byte {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(byte & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(byte & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(byte & 0x07)
            default: return (index, line)
            }
            guard index + length <= count else { return (index, line) }
            for next in 1..<length {
                let continuation = bytes[index + next]
                guard continuation & 0xC0 == 0x80 else { return (index, line) }
                scalar = scalar << 6 | UInt32(continuation & 0x3F)
            }
            // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return (index, line) }
            index += length
        }
        return nil
    }

    /// Decodes validated bytes, dropping a leading byte-order mark that spreadsheet programs add.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        var slice = UnsafeRawBufferPointer(rebasing: bytes[...])
        if slice.count >= 3, slice[0] == 0xEF, slice[1] == 0xBB, slice[2] == 0xBF {
            slice = UnsafeRawBufferPointer(rebasing: bytes[3...])
        }
        return String(decoding: slice, as: UTF8.self)
    }

    /// The size in words: `50 MB`.
    public static func describe(bytes: Int) -> String {
        bytes >= 1_048_576 ? "\(bytes / 1_048_576) MB" : bytes >= 1024 ? "\(bytes / 1024) KB" : "\(bytes) bytes"
    }
}
