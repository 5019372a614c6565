import Core

/// How the CLI reports a verified hash chain (the audit log, a custody log): one line, the
/// same shape for both.
enum ChainVerificationText {
    /// `audit log intact (12 entries); the checkpoint records 12`.
    static func intact(_ name: String, _ verification: HashChain.Verification) -> String {
        let checkpoint = verification.checkpointCount.map { "; the checkpoint records \($0)" } ?? "; no checkpoint recorded"
        return "\(name) intact (\(verification.entryCount) entries)\(checkpoint)"
    }

    /// `audit log broken at entry 8: the log ends at entry 7 but the checkpoint records 9 entries: …`.
    static func broken(_ name: String, _ verification: HashChain.Verification) -> String {
        let at = verification.firstBrokenSequence.map { " at entry \($0)" } ?? ""
        return "\(name) broken\(at): \(verification.problem ?? "unknown problem")"
    }
}
