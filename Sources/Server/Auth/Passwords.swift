import Core
import Foundation
import HummingbirdBcrypt

/// Password hashing with bcrypt (hummingbird-auth). Only hashes are stored.
public enum Passwords {
    /// bcrypt's cost factor for people's passwords; the demo users use a lower one so a first
    /// start stays quick (their passwords are published in the README anyway).
    public static let defaultCost: UInt8 = 12

    /// Checks the password rules and hashes it.
    public static func hash(_ password: String, cost: UInt8 = defaultCost) throws(ValidationError) -> String {
        guard password.count >= 12 else { throw ValidationError(field: "password", problem: "must be at least 12 characters") }
        // bcrypt reads at most 72 bytes; refuse longer rather than silently ignore the rest.
        guard password.utf8.count <= 72 else { throw ValidationError(field: "password", problem: "must be at most 72 bytes") }
        return Bcrypt.hash(password, cost: cost)
    }

    public static func verify(_ password: String, hash: String) -> Bool {
        guard password.utf8.count <= 72 else { return false }
        return Bcrypt.verify(password, hash: hash)
    }
}

extension Passwords {
    /// A hash of a random password at ``defaultCost``, checked against when a sign-in names
    /// no account, so that an unknown email takes as long as a wrong password. Made once, on
    /// first use. (Demo users are hashed at a lower cost; their passwords are public anyway.)
    static let unknownUserHash: String = Bcrypt.hash(UUID().uuidString + UUID().uuidString, cost: defaultCost)
}
