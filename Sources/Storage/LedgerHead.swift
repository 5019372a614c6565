import Core
import Foundation
import SQLKit

/// The head of the ledger as the checkpoint outside the database recorded it: how far the
/// posting sequence reached, how many settlement runs there were, and a MAC of the last
/// posting under the audit key.
///
/// `ledger verify` proves that every posting equals its entries, that the sequence has no
/// gap and that every run is what the engine derives again; none of that notices postings
/// deleted at the end together with their runs, or the whole ledger deleted, since what is
/// left is still a perfect ledger of fewer runs. The database cannot remember what it lost,
/// so the head is kept in the head checkpoint (``HeadCheckpoint``) beside the audit and
/// custody heads, advanced once per commit that posts — never per posting, so a settlement
/// of a million patients pays for one read of the last posting and one file write.
public struct LedgerHead: Hashable, Sendable, Codable {
    /// The last posting's sequence: the number of postings, since they are numbered 1, 2, 3 …
    public var postings: Int
    /// Settlement runs recorded; every commit that posts records one, even when it posts nothing.
    public var runs: Int
    /// The last posting's sequence, key and body MACed under the audit key (``text(sequence:key:body:)``);
    /// nil while there are no postings.
    public var mac: String?

    public init(postings: Int, runs: Int, mac: String?) {
        self.postings = postings
        self.runs = runs
        self.mac = mac
    }

    /// What the MAC of a posting covers: its place in the sequence, its key and its stored
    /// body (which the verifier checks its entry rows against).
    static func text(sequence: Int64, key: String, body: String) -> String {
        HashChain.canonical(["ledger", String(sequence), key, body])
    }

    /// The head of the ledger `db` holds, MACed under `keys`; read inside the transaction
    /// that posts, before and after it writes, so that it is the head that commits.
    static func read(in db: any SQLDatabase, keys: ChainKeys) async throws -> LedgerHead {
        let runs = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("settlement_runs").first()?.int("n") ?? 0
        guard let last = try await db.select().columns("sequence", "key", "body").from("ledger_transactions")
            .orderBy("sequence", .descending).limit(1).first()
        else { return LedgerHead(postings: 0, runs: runs, mac: nil) }
        let sequence = try last.int64("sequence")
        return LedgerHead(
            postings: Int(sequence), runs: runs, mac: keys.mac(text(sequence: sequence, key: try last.string("key"), body: try last.string("body"))))
    }

    /// The text of the posting at `sequence` as ``text(sequence:key:body:)`` MACs it; nil
    /// when the ledger does not hold it.
    static func postingText(at sequence: Int, in db: any SQLDatabase) async throws -> String? {
        guard let row = try await db.select().columns("key", "body").from("ledger_transactions").where("sequence", .equal, SQLBind(Int64(sequence))).first()
        else { return nil }
        return text(sequence: Int64(sequence), key: try row.string("key"), body: try row.string("body"))
    }

    /// What a ledger ending at posting `lastPosting` and holding `runs` runs lost against this
    /// head; `recorded` is how the posting at ``postings`` checks against ``mac`` (nil when
    /// the ledger does not hold it).
    func losses(lastPosting: Int, runs: Int, recorded: ChainKeys.Check?) -> [String] {
        var problems: [String] = []
        if lastPosting < postings {
            let missing = lastPosting + 1 == postings ? "posting \(postings) is missing" : "postings \(lastPosting + 1)–\(postings) are missing"
            problems.append(lastPosting == 0
                ? "the ledger holds no postings but the checkpoint records \(Self.count(postings, "posting")): \(missing)"
                : "the ledger ends at posting \(lastPosting) but the checkpoint records \(Self.count(postings, "posting")): \(missing)")
        } else if postings > 0 {
            switch recorded {
            case .valid?: break
            case nil: problems.append("posting \(postings), the last the checkpoint records, is missing")
            case .invalid?: problems.append("posting \(postings) is not the posting the checkpoint recorded: the ledger was rewritten up to there")
            case .unknownKey(let id)?: problems.append("the checkpoint's MAC of posting \(postings) is under audit key '\(id)', which is not configured")
            }
        }
        if runs < self.runs {
            problems.append("the checkpoint records \(Self.count(self.runs, "settlement run")); the database holds \(runs)")
        }
        return problems
    }

    private static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}

extension HeadCheckpoint {
    /// Moves the ledger's head forward after a commit that posted, from the head the commit
    /// read before writing to the head it wrote (``LedgerHead/read(in:keys:)``, both inside
    /// its transaction).
    ///
    /// As with the chains' heads, the head moves only forward and only over a ledger that
    /// still holds what the checkpoint recorded: the commit must have started from at least
    /// the recorded counts, and the recorded last posting must still be in the database with
    /// its MAC. A ledger whose tail or runs were deleted therefore leaves the checkpoint where
    /// it was, and verification keeps reporting the loss. Failures are logged, never thrown:
    /// the postings have committed.
    func advanceLedger(from previous: LedgerHead, to head: LedgerHead, reading database: Database) async {
        await advance { heads in
            if let current = heads.ledger {
                // A later commit's head is recorded already (two writers finishing out of order).
                guard head.postings > current.postings || head.runs > current.runs else { return nil }
                var continues = previous.postings >= current.postings && previous.runs >= current.runs
                if continues, current.postings > 0, previous != current {
                    let text = try await database.withConnection { db in try await LedgerHead.postingText(at: current.postings, in: db) }
                    continues = text.map { self.keys.check(current.mac ?? "", of: $0) } == .valid
                }
                guard continues else {
                    self.logger.error("tamper evidence: the ledger no longer holds the \(current.postings) postings and \(current.runs) settlement runs the checkpoint recorded; the checkpoint is kept as evidence")
                    return nil
                }
            }
            let from = heads.ledger
            return { recorded in
                if recorded.ledger == from { recorded.ledger = head }
            }
        }
    }
}
