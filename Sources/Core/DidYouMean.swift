/// The "did you mean" of an error message: a known word close to a mistyped one.
///
/// Contract files, criteria files and the criteria expression language all refuse unknown
/// names; pointing at the likely intended one (`ecgo` → `ecog`) turns a refusal into a fix.
public enum DidYouMean {
    /// A word of `candidates` within two edits (Levenshtein, case-insensitive) of `word`, the
    /// closest first; `nil` when none is that close or `word` is too long to be a typo.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var current = [i + 1] + Array(repeating: 0, count: b.count)
                for (j, y) in b.enumerated() {
                    current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
                }
                previous = current
            }
            return previous[b.count]
        }
        let lowered = Array(word.lowercased())
        guard lowered.count <= 40 else { return nil }
        return candidates.map { ($0, distance(lowered, Array($0.lowercased()))) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }
}
