import Core
import ArgumentParser
import Foundation
import Server
import Storage

/// The database flags every command shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL (postgres://user:pass@host:port/db). Default: $CUREPATH_DATABASE_URL, else SQLite.")
    var databaseURL: String?

    @Option(name: .customLong("database"), help: "SQLite file used when no database URL is given. Default: $CUREPATH_DATABASE_PATH or ./curepath.sqlite.")
    var databasePath: String?

    func configuration(host: String? = nil, port: Int? = nil, noDemo: Bool = false) throws -> AppConfiguration {
        do {
            return try AppConfiguration.fromEnvironment(host: host, port: port, databaseURL: databaseURL, databasePath: databasePath, noDemo: noDemo)
        } catch {
            throw refusal("\(error)")
        }
    }
}

/// Prints one line to standard error: how the CLI reports a refusal.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("curepath: \(message)\n".utf8))
}

/// The bytes of a command's input file; one line on stderr when it cannot be read or is
/// larger than `limit`, saying what to do instead (`split the file`). At most `limit + 1`
/// bytes are ever read, so a huge file (or `/dev/zero`) costs no more than a small one.
func readInput(_ file: String, upTo limit: Int, or advice: String) throws -> Data {
    guard let handle = FileHandle(forReadingAtPath: file) else { throw refusal("\(file): cannot be read") }
    defer { try? handle.close() }
    guard let read = try? handle.read(upToCount: limit + 1) else { throw refusal("\(file): cannot be read") }
    let data = read ?? Data()
    guard data.count <= limit else {
        let size = limit >= 1_048_576 ? "\(limit / 1_048_576) MB" : "\(limit / 1024) KB"
        throw refusal("\(file): the file is larger than the \(size) limit; \(advice) [size-limit]")
    }
    return data
}

/// Reports bad input as one line on stderr and returns the exit code to throw (64, EX_USAGE),
/// instead of ArgumentParser's multi-line usage dump.
func refusal(_ message: String) -> ExitCode {
    printError(message)
    return ExitCode(64)
}

extension DatabaseOptions {
    /// Opens (and migrates) the configured store, runs `body`, and closes the store whatever happens.
    func withStore<T>(_ body: (Store) async throws -> T) async throws -> T {
        let configuration = try configuration()
        let store = try await configuration.openStore()
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

extension DatabaseOptions {
    /// ``withStore(_:)`` for a command acting on one input file: a refusal by the domain or
    /// the store becomes one line on stderr naming the file, and a non-zero exit.
    func withStore<T>(filing file: String, _ body: (Store) async throws -> T) async throws -> T {
        do {
            return try await withStore(body)
        } catch let error as Core.ValidationError {
            throw refusal("\(file): " + error.issues.map { "\($0.field): \($0.problem)" }.joined(separator: "; "))
        } catch let error as StorageError {
            throw refusal("\(file): \(error)")
        }
    }
}
