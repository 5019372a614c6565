import Core
import Foundation
import Journey
import Logging
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the heads of the audit log, of every custody chain and of the ledger are recorded
/// outside the database: how many entries each had and the last one's MAC (``HashChain/Head``,
/// ``LedgerHead``).
///
/// The MACs of the entries stop anyone without the audit key from rewriting history, but
/// not from deleting it: cutting off a chain's tail, or deleting a whole custody chain,
/// leaves a shorter chain whose every MAC is still valid. The database cannot be trusted to
/// remember what it lost, so the heads are kept in a file beside it (`<database>.heads` for
/// SQLite; a configured path for PostgreSQL), itself MACed under the audit key, and
/// verification compares the chain with them.
///
/// The file is advanced after each append commits, by replacing it whole (a temporary file,
/// flushed, then renamed over it), under an in-process lock and an advisory file lock that
/// serialise writers in this process and other processes on this host. A head only moves
/// forward, and only over a chain that still holds the head it replaces: an append onto a
/// chain whose tail was deleted leaves the checkpoint where it was, so verification keeps
/// reporting the loss. A checkpoint behind the database (a crash between commit and write,
/// an entry appended inside a larger transaction) is harmless: it is only a shorter promise.
public final class HeadCheckpoint: Sendable {
    /// The chains a checkpoint records.
    public enum Chain: Hashable, Sendable {
        case audit
        case custody(CaseID)
    }

    /// Everything the file records.
    public struct Heads: Hashable, Sendable, Codable {
        public var version = 1
        public var audit: HashChain.Head?
        /// By case ID.
        public var custody: [String: HashChain.Head] = [:]
        /// Nil until a commit posts to the ledger (``LedgerHead``); absent from files written
        /// before the ledger was checkpointed, which therefore keep their MAC.
        public var ledger: LedgerHead?

        public init() {}

        public subscript(chain: Chain) -> HashChain.Head? {
            get {
                switch chain {
                case .audit: audit
                case .custody(let id): custody[id.rawValue]
                }
            }
            set {
                switch chain {
                case .audit: audit = newValue
                case .custody(let id): custody[id.rawValue] = newValue
                }
            }
        }
    }

    /// What reading the checkpoint found.
    public enum Reading: Sendable {
        /// The file does not exist yet (nothing has been appended since it was configured) or
        /// was deleted.
        case absent(path: String)
        case heads(Heads)
        /// The file is not valid JSON or its MAC does not match: it was altered.
        case altered(path: String, problem: String)
    }

    /// The file, or nil when heads are kept in memory only, for this process's life (tests, an
    /// in-memory database, PostgreSQL without `CUREPATH_AUDIT_HEADS`).
    public let path: String?
    let keys: ChainKeys
    let logger: Logger
    private let lock = AsyncLock()
    /// The heads of a checkpoint without a file.
    private let memory = LockedHeads()

    public init(path: String?, keys: ChainKeys, logger: Logger = Logger(label: "curepath.checkpoint")) {
        self.path = path
        self.keys = keys
        self.logger = logger
    }

    /// The default place for a database's checkpoint: beside a SQLite file; none for an
    /// in-memory database or PostgreSQL (configure `CUREPATH_AUDIT_HEADS` there).
    public static func defaultPath(for location: DatabaseLocation) -> String? {
        if case .sqliteFile(let path) = location { return path + ".heads" }
        return nil
    }

    /// The recorded heads.
    public func read() -> Reading {
        guard let path else { return .heads(memory.value) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return FileManager.default.fileExists(atPath: path) ? .altered(path: path, problem: "it cannot be read") : .absent(path: path)
        }
        guard let file = try? JSONDecoder().decode(File.self, from: data) else {
            return .altered(path: path, problem: "it is not a checkpoint file")
        }
        switch keys.check(file.mac, of: Self.signedText(file.heads)) {
        case .valid: return .heads(file.heads)
        case .invalid: return .altered(path: path, problem: "its MAC does not match the audit key: it was edited")
        case .unknownKey(let id): return .altered(path: path, problem: "it is signed with audit key '\(id)', which is not configured")
        }
    }

    /// `chain` verified under the audit key and against its recorded head. A checkpoint file
    /// that was deleted while the chain holds signed entries, or that no longer carries a
    /// valid MAC, fails verification too: without it a deleted tail cannot be ruled out.
    public func verify<Entry: HashChained>(_ entries: [Entry], of chain: Chain) -> HashChain.Verification {
        let problem: String
        switch read() {
        case .heads(let heads): return HashChain.verify(entries, keys: keys, checkpoint: heads[chain])
        case .absent(let path):
            guard entries.contains(where: { $0.mac != nil }) else { return HashChain.verify(entries, keys: keys) }
            problem = "the head checkpoint \(path) is missing, though \(Self.name(chain)) holds signed entries: it was deleted or moved, and entries deleted at the tail cannot be ruled out"
        case .altered(let path, let reason):
            problem = "the head checkpoint \(path) is not valid (\(reason)): entries deleted at the tail cannot be ruled out"
        }
        var verification = HashChain.verify(entries, keys: keys)
        if verification.intact {
            verification.intact = false
            verification.problem = problem
        }
        return verification
    }

    /// ``verify(_:of:)`` for an appender: a chain recorded before keyed MACs (no entry has
    /// one, and the checkpoint has never seen it) is accepted on its unkeyed links, so that
    /// the entry appended now, MACed, anchors it. Once the checkpoint knows a chain, clearing
    /// its MACs no longer passes.
    public func verifyBeforeAppending<Entry: HashChained>(_ entries: [Entry], to chain: Chain) -> HashChain.Verification {
        if entries.allSatisfy({ $0.mac == nil }), case .heads(let heads) = read(), heads[chain] == nil {
            return HashChain.verify(entries)
        }
        return verify(entries, of: chain)
    }

    /// One chain's head moving forward after an append committed.
    public struct Step: Sendable {
        public var chain: Chain
        public var head: HashChain.Head
        /// The MAC of the entry before the head, as the appender read it (nil for a first
        /// entry): the head moves by one only over the head it replaces.
        public var previous: String?

        public init(_ chain: Chain, to head: HashChain.Head, previous: String?) {
            self.chain = chain
            self.head = head
            self.previous = previous
        }
    }

    /// Moves heads forward after appends committed, in one write of the file.
    ///
    /// `macAt` reads an entry's stored MAC, for a checkpoint more than one entry behind the
    /// chain (its head must still be in the chain). Failures are logged, never thrown: the
    /// append has committed, and a checkpoint left behind only promises less.
    public func advance(_ steps: [Step], macAt: @Sendable (Chain, Int) async throws -> String?) async {
        await advance { heads in
            var working = heads
            var moves: [(chain: Chain, from: HashChain.Head?, to: HashChain.Head)] = []
            for step in steps {
                if let current = working[step.chain] {
                    guard step.head.count > current.count else { continue }
                    let continues = step.head.count == current.count + 1
                        ? step.previous == current.mac : try await macAt(step.chain, current.count) == current.mac
                    guard continues else {
                        logger.error("tamper evidence: \(Self.name(step.chain)) no longer holds entry \(current.count) as the checkpoint recorded it; the checkpoint is kept as evidence")
                        continue
                    }
                }
                moves.append((step.chain, heads[step.chain], step.head))
                working[step.chain] = step.head
            }
            guard !moves.isEmpty else { return nil }
            return { recorded in
                for move in moves where recorded[move.chain] == move.from { recorded[move.chain] = move.to }
            }
        }
    }

    /// One update of the file, under the in-process lock: `plan` sees the recorded heads and
    /// returns the change to make, or nil to leave them. The change is applied to the file as
    /// re-read under the file lock, so it must only move a head still where `plan` saw it.
    /// Failures are logged, never thrown.
    func advance(_ plan: (Heads) async throws -> ((inout Heads) -> Void)?) async {
        do {
            try await lock.withLock {
                guard case .heads(let heads) = readForUpdate(), let change = try await plan(heads) else { return }
                try write(change)
            }
        } catch {
            logger.error("tamper evidence: the head checkpoint could not be advanced: \(error)")
        }
    }

    /// Reads the heads before an update; an altered file is never overwritten.
    private func readForUpdate() -> Reading {
        let reading = read()
        switch reading {
        case .absent: return .heads(Heads())
        case .altered(let path, let problem):
            logger.error("tamper evidence: the checkpoint \(path) is not valid (\(problem)); it is kept as evidence and not advanced")
        case .heads: break
        }
        return reading
    }

    /// Applies a change under the file lock, re-reading the file first so that heads another
    /// process wrote since are kept: a head that moved in between is left for that process.
    private func write(_ apply: (inout Heads) -> Void) throws {
        guard let path else {
            memory.update(apply)
            return
        }
        let lockFile = open(path + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lockFile >= 0 else { throw StorageError.configuration("cannot open \(path).lock: \(String(cString: strerror(errno)))") }
        defer { close(lockFile) }
        guard flock(lockFile, LOCK_EX) == 0 else { throw StorageError.configuration("cannot lock \(path).lock") }
        defer { flock(lockFile, LOCK_UN) }
        var heads: Heads
        switch read() {
        case .heads(let stored): heads = stored
        case .absent: heads = Heads()
        case .altered: return
        }
        apply(&heads)
        let text = Self.signedText(heads)
        let data = try JSONEncoder().encode(File(heads: heads, mac: keys.mac(text)))
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw StorageError.configuration("cannot write \(temporary)")
        }
        // Flushed before the rename, so a crash leaves the old file or the new one, never an empty one.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw StorageError.configuration("cannot replace \(path): \(String(cString: strerror(errno)))")
        }
    }

    private struct File: Codable {
        var heads: Heads
        var mac: String
    }

    /// The exact text MACed: the heads as JSON with sorted keys, so it is the same however
    /// the file was written.
    private static func signedText(_ heads: Heads) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(heads)) ?? Data(), as: UTF8.self)
    }

    static func name(_ chain: Chain) -> String {
        switch chain {
        case .audit: "the audit log"
        case .custody(let id): "the custody log of case \(id)"
        }
    }
}

/// The heads of a checkpoint kept in memory.
private final class LockedHeads: Sendable {
    private let box = NIOLockedValueBox(HeadCheckpoint.Heads())
    var value: HeadCheckpoint.Heads { box.withLockedValue { $0 } }
    func update(_ body: (inout HeadCheckpoint.Heads) -> Void) { box.withLockedValue { body(&$0) } }
}
