/// The aligned rows every benchmark prints: measure, result, floor, verdict.
struct BenchTable {
    /// Column widths for the measure, the result and the floor.
    var widths: (name: Int, value: Int, floor: Int)
    /// What a missed floor is called (`BELOW FLOOR` for rates, `ABOVE FLOOR` for times).
    var missed: String
    /// Whether the floors apply to this run; the issues state them for the default SQLite.
    var floorsApply: Bool

    func row(_ name: String, _ value: String, _ floor: String, _ ok: Bool?) -> String {
        let verdict = ok.map { $0 ? "ok" : floorsApply ? missed : "(floor is for SQLite)" } ?? ""
        return name.padding(toLength: widths.name, withPad: " ", startingAt: 0) + value.padding(toLength: widths.value, withPad: " ", startingAt: 0)
            + floor.padding(toLength: widths.floor, withPad: " ", startingAt: 0) + verdict
    }
}
