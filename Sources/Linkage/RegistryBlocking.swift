/// The blocking keys CurePath links ``RegistrySchema`` rows on at registry scale.
///
/// Three keys a record, each surviving errors the others do not, so a pair is lost to blocking only
/// when all three break together:
/// - `D` + the birth date: survives any name error (typo, nickname, married name);
/// - `F` + the first three letters of the family name + the birth year: survives a swapped day and
///   month and given-name errors;
/// - `N` + the first three letters of the canonical given name + of the family name: survives a
///   wrong or missing birth date.
///
/// Finer than the population tests' birth-year / two-letter keys, which at a million records a side
/// would put ten thousand records in each block and make blocking pointless.
public enum RegistryBlocking {
    /// Keys of a row as ``RegistrySchema/row(_:)`` builds it; a field too short or missing drops the
    /// keys that need it.
    public static func keys(_ row: [String]) -> [String] {
        guard row.count >= 3 else { return [] }
        let given = row[0], family = row[1], date = row[2]
        var keys: [String] = []
        if date.count == 8 { keys.append("D" + date) }
        if date.count == 8, family.count >= 2 { keys.append("F" + family.prefix(3) + "|" + date.prefix(4)) }
        if given.count >= 2, family.count >= 2 { keys.append("N" + given.prefix(3) + "|" + family.prefix(3)) }
        return keys
    }
}
