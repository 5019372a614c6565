/// The formats of the codes a product is billed and dispensed under. Both are optional on a
/// product (a new therapy waits months for its HCPCS code), but a code given must have the
/// shape its registry issues, so a typo is caught here and not on a claim.
public enum ProductCodes {
    /// A National Drug Code as the label prints it, in one of the FDA's three 10-digit shapes
    /// (4-4-2, 5-3-2, 5-4-1), or the 11-digit 5-4-2 form claims use, with or without hyphens.
    public static func isNDC(_ code: String) -> Bool {
        let groups = code.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isDigit) }) else { return false }
        let shape = groups.map(\.count)
        return [[4, 4, 2], [5, 3, 2], [5, 4, 1], [5, 4, 2], [11]].contains(shape)
    }

    /// A HCPCS code: Level II, a letter and four digits (`Q2041`, `J3399`), or Level I (CPT),
    /// four digits and a digit, `F` or `T` (`38225`, `0537T`).
    public static func isHCPCS(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count == 5 else { return false }
        if (0x41...0x5A).contains(bytes[0]) { return bytes.dropFirst().allSatisfy(isDigit) }
        return bytes.prefix(4).allSatisfy(isDigit) && (isDigit(bytes[4]) || bytes[4] == UInt8(ascii: "F") || bytes[4] == UInt8(ascii: "T"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
}
