/// Comparison of secrets in time that does not depend on where they first differ, so a
/// caller cannot learn a token byte by byte from how long refusals take. Lengths are not
/// secret (every token of a kind has the same).
enum ConstantTime {
    static func equal(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        let a = Array(a.utf8), b = Array(b.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
