import Core
import Crypto
import Foundation

/// The secret research IDs are computed under: 32 or more random bytes from configuration
/// (`--research-key-file` or `CUREPATH_RESEARCH_KEY`), never from the database.
///
/// Whoever holds the key can recompute a patient's research ID from the internal ID and so
/// link an extract back to CurePath; whoever holds only the extract cannot. Keeping the same
/// key makes repeated exports line up person by person; a new key starts unlinkable ones.
public struct ResearchKey: Sendable {
    /// Fewer bytes than SHA-256's output would weaken the HMAC below its design strength.
    public static let minimumBytes = 32

    let symmetric: SymmetricKey

    public init(bytes: [UInt8], field: String = "researchKey") throws(ValidationError) {
        guard bytes.count >= Self.minimumBytes else {
            throw ValidationError(field: field, problem: "must be at least \(Self.minimumBytes) random bytes, got \(bytes.count)")
        }
        symmetric = SymmetricKey(data: bytes)
    }

    /// Reads a key written as hexadecimal (64 digits or more) or base64, surrounding white
    /// space ignored; `field` names where it came from in the error.
    public static func parse(_ text: String, field: String) throws(ValidationError) -> ResearchKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValidationError(field: field, problem: "is empty; it must hold a research key of 32 random bytes") }
        if trimmed.utf8.count.isMultiple(of: 2), trimmed.utf8.allSatisfy({ $0.isHexDigit }) {
            return try ResearchKey(bytes: hexBytes(trimmed), field: field)
        }
        if let data = Data(base64Encoded: trimmed) {
            return try ResearchKey(bytes: Array(data), field: field)
        }
        throw ValidationError(field: field, problem: "must be 32 random bytes written as 64 hexadecimal digits or in base64 (e.g. `openssl rand -hex 32`)")
    }

    private static func hexBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var high: UInt8?
        for byte in text.utf8 {
            let nibble = byte.hexValue
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool { (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self) }

    fileprivate var hexValue: UInt8 {
        switch self {
        case 0x30...0x39: self - 0x30
        case 0x41...0x46: self - 0x41 + 10
        default: self - 0x61 + 10
        }
    }
}
