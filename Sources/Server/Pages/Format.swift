/// Number formats for people, shared by the pages, the charts and the command line, so a
/// figure reads the same everywhere.
public enum Format {
    /// At most one decimal, and none when it rounds to a whole number: `83`, `9.9`.
    public static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// A share as a percentage with at most one decimal: `38.9%`.
    public static func percent(_ share: Double) -> String {
        number(share * 100) + "%"
    }
}
