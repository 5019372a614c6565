import Core

/// One diagnosis, as an ICD-10-CM code and the date it was made.
public struct Diagnosis: Hashable, Sendable, Codable {
    /// With or without the dot (`C83.30` or `C8330`); compared without it.
    public var code: String
    public var date: CalendarDate

    public init(code: String, date: CalendarDate) {
        self.code = code
        self.date = date
    }

    /// The code without its dot and in upper case, the form matching is done on.
    public var normalizedCode: String { ICD10.normalized(code) }
}

/// ICD-10-CM code shape, enough to refuse typing mistakes; the code list itself is not kept.
public enum ICD10 {
    /// Upper case, dot removed.
    public static func normalized(_ code: String) -> String { code.uppercased().replacingOccurrences(of: ".", with: "") }

    /// Whether `code` starts with `prefix` (or equals it, with `whole`), ignoring dots and case,
    /// without allocating: evaluation runs this for every diagnosis of every patient.
    public static func matches(_ code: String, _ prefix: String, whole: Bool) -> Bool {
        var codeBytes = code.utf8.makeIterator()
        func nextCode() -> UInt8? {
            while let byte = codeBytes.next() { if byte != 0x2E { return byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte } }
            return nil
        }
        for byte in prefix.utf8 where byte != 0x2E {
            let wanted = byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
            guard nextCode() == wanted else { return false }
        }
        return !whole || nextCode() == nil
    }

    /// A letter, two characters, then up to four more after an optional dot: `C83.30`, `C8330`, `Z94.84`.
    public static func isWellFormed(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count >= 3, bytes.count <= 8 else { return false }
        let isLetter = { (byte: UInt8) in (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        let isAlnum = { (byte: UInt8) in isLetter(byte) || (0x30...0x39).contains(byte) }
        guard isLetter(bytes[0]), (0x30...0x39).contains(bytes[1]), isAlnum(bytes[2]) else { return false }
        var rest = bytes[3...]
        if rest.first == 0x2E {
            rest = rest.dropFirst()
            guard !rest.isEmpty else { return false }
        }
        return rest.count <= 4 && rest.allSatisfy(isAlnum)
    }
}
