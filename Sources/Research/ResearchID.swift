import CareNetwork
import Core
import Crypto
import Foundation

/// The identifier a patient has in research extracts: HMAC-SHA256 of the internal patient ID
/// under the ``ResearchKey``, its first 128 bits in lower-case hexadecimal.
///
/// It is neither the internal ID nor a linkage token, so an extract joins with nothing else
/// CurePath hands out; it is deterministic under one key, so this year's extract and last
/// year's name the same person alike. 128 bits make a collision between two patients
/// practically impossible, and 32 characters fit `person_source_value` (varchar(50)).
public struct ResearchID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let text: String
    /// The first 31 bits of the MAC, never 0: the person_id this patient gets unless another
    /// patient had it first (``PersonNumbering``).
    public let preferredPersonID: Int

    /// Separates this use of the key from any other use of the same bytes.
    static let context = "curepath.research-id.v1"

    public static func make(for patient: PatientID, key: ResearchKey) -> ResearchID {
        let message = Data((context + "\u{0}" + patient.rawValue).utf8)
        let mac = Array(HMAC<SHA256>.authenticationCode(for: message, using: key.symmetric))
        let text = mac.prefix(16).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
        let leading = mac.prefix(4).reduce(0) { $0 << 8 | Int($1) } & 0x7FFF_FFFF
        return ResearchID(text: text, preferredPersonID: leading == 0 ? 1 : leading)
    }

    public var description: String { text }

    public static func < (lhs: ResearchID, rhs: ResearchID) -> Bool { lhs.text < rhs.text }
}
