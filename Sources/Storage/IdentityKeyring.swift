import CareNetwork
import Core
import Crypto
import Foundation

/// The keys personal identifiers are encrypted with at rest (AES-256-GCM).
///
/// Each stored row names the key that sealed it, so keys can be rotated: the first key is
/// the current one, used for every new seal; the others can still open older rows until
/// `curepath admin rotate-identity-key` has re-sealed them. Keys come from configuration
/// (`CUREPATH_IDENTITY_KEYS="k2:<base64 32 bytes>,k1:<base64>"`), never from the database.
public struct IdentityKeyring: Sendable {
    public let currentID: String
    private let keys: [String: SymmetricKey]

    public init(keys: [(id: String, key: SymmetricKey)]) throws(StorageError) {
        guard let first = keys.first else { throw StorageError.configuration("identity keys: at least one key is required") }
        for (id, key) in keys where id.isEmpty || id.contains(":") || id.contains(",") || key.bitCount != 256 {
            throw StorageError.configuration("identity key '\(id)': ids must be plain words and keys 32 bytes")
        }
        currentID = first.id
        self.keys = Dictionary(keys.map { ($0.id, $0.key) }) { first, _ in first }
    }

    /// Parses `id:base64,id:base64`; the first is current.
    public static func parse(_ text: String) throws(StorageError) -> IdentityKeyring {
        let keys: [(id: String, key: SymmetricKey)]
        do {
            keys = try ChainKeys.parseKeyList(text, field: "CUREPATH_IDENTITY_KEYS")
        } catch {
            throw StorageError.configuration("identity keys must look like 'k1:<base64 of 32 random bytes>[,k0:…]'")
        }
        return try IdentityKeyring(keys: keys)
    }

    /// A fixed, published key for development, tests and the demo. It keeps identifiers out of
    /// plain sight in the file but protects nothing: `curepath serve` warns while it is in use.
    public static let development: IdentityKeyring = {
        let key = SymmetricKey(data: SHA256.hash(data: Data("curepath development identity key — not a secret".utf8)))
        return try! IdentityKeyring(keys: [("dev", key)])
    }()

    public var isDevelopment: Bool { currentID == "dev" }

    /// A new random key in the configuration format, for operators.
    public static func generateKey(id: String) -> String { ChainKeys.generateKey(id: id) }

    /// Encrypts identifiers with the current key; the patient ID is authenticated with them,
    /// so a sealed row cannot be moved to another patient.
    func seal(_ identifiers: PersonalIdentifiers) throws -> (keyID: String, sealed: String) {
        try seal(try JSONEncoder().encode(identifiers), boundTo: identifiers.patientID.rawValue)
    }

    func open(_ sealed: String, keyID: String, patientID: PatientID) throws -> PersonalIdentifiers {
        let plaintext = try open(sealed, keyID: keyID, boundTo: patientID.rawValue, naming: "identifiers of \(patientID)")
        return try JSONDecoder().decode(PersonalIdentifiers.self, from: plaintext)
    }

    /// Encrypts a member ID (the payer's identifier of the patient, an identifier like a name)
    /// with the current key, bound to its coverage period so it cannot be moved to another.
    func seal(memberID: String, of coverage: CoveragePeriodID) throws -> (keyID: String, sealed: String) {
        try seal(Data(memberID.utf8), boundTo: "coverage:\(coverage)")
    }

    func openMemberID(_ sealed: String, keyID: String, of coverage: CoveragePeriodID) throws -> String {
        String(decoding: try open(sealed, keyID: keyID, boundTo: "coverage:\(coverage)", naming: "member ID of \(coverage)"), as: UTF8.self)
    }

    private func seal(_ plaintext: Data, boundTo owner: String) throws -> (keyID: String, sealed: String) {
        let box = try AES.GCM.seal(plaintext, using: keys[currentID]!, authenticating: Data(owner.utf8))
        return (currentID, box.combined!.base64EncodedString())
    }

    private func open(_ sealed: String, keyID: String, boundTo owner: String, naming what: String) throws -> Data {
        guard let key = keys[keyID] else {
            throw StorageError.configuration("\(what): sealed with key '\(keyID)', which is not configured")
        }
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
            let plaintext = try? AES.GCM.open(box, using: key, authenticating: Data(owner.utf8))
        else { throw StorageError.corrupt("\(what): does not open with key '\(keyID)'") }
        return plaintext
    }
}
