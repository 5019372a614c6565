import Logging
import Server
import Storage

extension AppConfiguration {
    /// Opens (and migrates) the configured store with every configured key, so that whatever
    /// a command appends is sealed and MACed as the server would, and its chains are
    /// checkpointed in the same head file.
    func openStore(logger: Logger = Logger(label: "curepath.storage")) async throws -> Store {
        try await Store.open(
            database, identityKeys: identityKeys, decisionClocks: decisionClocks, linkageKeys: linkageKeys, auditKeys: auditKeys,
            headsPath: auditHeadsPath, logger: logger)
    }
}
