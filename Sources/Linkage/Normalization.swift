import Core
import Foundation

/// Normalization of identifiers, rule for rule as openlinktoken 2.2.1 defines it
/// (`openlinktoken/attributes/person/*.py`), so a CurePath token equals the token the
/// reference library derives from the same raw input.
///
/// Each function returns `nil` where the reference rejects the value (its validators),
/// because the reference then emits no token for any rule using that field; producing a
/// token from a value it rejects would silently break compatibility.
public enum Normalization {
    // Values sources type when they have no name; the reference refuses them, case-insensitively.
    static let placeholderNames: Set<String> = [
        "unknown", "n/a", "none", "test", "sample", "donor", "patient", "automation test", "automationtest",
        "patient not found", "patientnotfound", "<masked>", "anonymous", "zzztrash", "missing", "unavailable",
        "not available", "notavailable",
    ]

    // Letters NFD cannot decompose (Ø, ß, Ł…), transliterated as the reference does before stripping marks.
    static let transliteration: [Character: String] = [
        "Æ": "AE", "æ": "ae", "Ð": "D", "ð": "d", "Ø": "O", "ø": "o", "Þ": "TH", "þ": "th", "ß": "ss", "ẞ": "SS",
        "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ĳ": "IJ", "ĳ": "ij", "Ŀ": "L", "ŀ": "l", "Ł": "L", "ł": "l",
        "ŉ": "n", "Ŋ": "NG", "ŋ": "ng", "Œ": "OE", "œ": "oe", "Ŧ": "T", "ŧ": "t", "ſ": "s", "Ƒ": "F", "ƒ": "f",
        "Ǆ": "DZ", "ǅ": "Dz", "ǆ": "dz", "Ǉ": "LJ", "ǈ": "Lj", "ǉ": "lj", "Ǌ": "NJ", "ǋ": "Nj", "ǌ": "nj",
        "Ǳ": "DZ", "ǲ": "Dz", "ǳ": "dz", "Ǽ": "AE", "ǽ": "ae", "Ǿ": "O", "ǿ": "o",
    ]

    /// Common English nicknames → formal given name. Not part of the token rules (the reference has no
    /// such table, and applying it would break token compatibility); used by the CLK path so that
    /// "Bill" and "William" share n-grams. Kept small on purpose: a long table merges distinct people.
    public static let nicknames: [String: String] = [
        "BILL": "WILLIAM", "BILLY": "WILLIAM", "WILL": "WILLIAM", "LIZ": "ELIZABETH", "BETH": "ELIZABETH",
        "BETTY": "ELIZABETH", "BOB": "ROBERT", "BOBBY": "ROBERT", "ROB": "ROBERT", "JIM": "JAMES", "JIMMY": "JAMES",
        "MIKE": "MICHAEL", "DAVE": "DAVID", "TOM": "THOMAS", "TOMMY": "THOMAS", "DICK": "RICHARD", "RICK": "RICHARD",
        "JOE": "JOSEPH", "KATE": "KATHERINE", "KATHY": "KATHERINE", "PEGGY": "MARGARET", "MAGGIE": "MARGARET",
        "SUE": "SUSAN", "CHRIS": "CHRISTOPHER", "TONY": "ANTHONY", "DAN": "DANIEL", "STEVE": "STEVEN",
        "JENNY": "JENNIFER", "JEN": "JENNIFER", "PATTY": "PATRICIA", "TRISH": "PATRICIA", "ED": "EDWARD",
        "TED": "EDWARD", "CHUCK": "CHARLES", "CHARLIE": "CHARLES", "NICK": "NICHOLAS", "SAM": "SAMUEL",
        "ALEX": "ALEXANDER", "ANDY": "ANDREW", "MATT": "MATTHEW", "BEN": "BENJAMIN", "ABBY": "ABIGAIL",
    ]

    private static func regex(_ pattern: String, caseInsensitive: Bool = false) -> NSRegularExpression {
        // Patterns are constants copied from the reference; a failure here is a programming error.
        try! NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
    }

    private static let title = regex(
        #"^\s*(?:(?:mr|mrs|ms|miss|dr|prof|capt|sir|col|gen|cmdr|lt|rabbi|father|brother|sister|hon|honorable|reverend|rev|doctor)\.?\s+)+"#,
        caseInsensitive: true)
    private static let generationalSuffix = regex(
        #"(?:\s+(?:jr\.?|junior|sr\.?|senior|I{1,3}|IV|V|VI{0,3}|IX|X|\d+(?:st|nd|rd|th)))+$"#, caseInsensitive: true)
    private static let trailingInitial = regex(#"\s[^\s]\.?$"#)
    private static let firstPart = regex(
        #"^([A-Za-z]{3,})[\s./]+[A-Za-z]+(?:[\s./\-\x{2010}-\x{2015}\x{2212}]+[A-Za-z]+)*$"#)
    private static let lastNameShape = regex(
        #"^\s*(?:(?:.{3,})|(?:[^aeiouAEIOU\s][aeiouAEIOU])|(?:[aeiouAEIOU][^aeiouAEIOU\s])|(?:[aeiouAEIOU]{2})|(?:[Nn][Gg]))\s*$"#)
    private static let sexShape = regex(#"^\s*([Mm](ale)?|[Ff](emale)?)\s*$"#)
    private static let dateShape = regex(
        #"^(?:\d{4}[-/]\d{2}[-/]\d{2}|\d{2}[-./]\d{2}[-./]\d{4}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?(?:Z|[+-]\d{2}:\d{2})?)$"#)
    private static let usZip = regex(#"^\s*(\d{3}|\d{4}|\d{5}(-\d{4})?|\d{9})\s*$"#)

    private static func replacing(_ re: NSRegularExpression, in s: String, with t: String = "") -> String {
        re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: t)
    }

    private static func matches(_ re: NSRegularExpression, _ s: String) -> Bool {
        re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    /// Python's `str.strip()`: Unicode whitespace both ends.
    static func trim(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func asciiLettersOnly(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") }))
    }

    /// Removes accents: transliterates letters without a decomposition, then drops combining marks after NFD.
    public static func removeDiacritics(_ value: String) -> String {
        let transliterated = trim(value).map { transliteration[$0] ?? String($0) }.joined()
        let decomposed = transliterated.decomposedStringWithCanonicalMapping.unicodeScalars.filter {
            switch $0.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: false
            default: true
            }
        }
        return String(String.UnicodeScalarView(decomposed))
    }

    /// Given name as the reference's `FirstNameAttribute.normalize` (titles, suffixes, trailing initial,
    /// first part of a multi-part name, letters only), or `nil` where its validation refuses the value.
    public static func givenName(_ raw: String?) -> String? {
        guard let raw, !trim(raw).isEmpty, !placeholderNames.contains(raw.lowercased()) else { return nil }
        var value = removeDiacritics(raw)
        let withoutTitle = trim(replacing(title, in: value))
        if !withoutTitle.isEmpty { value = withoutTitle }
        let withoutSuffix = trim(replacing(generationalSuffix, in: value))
        if !withoutSuffix.isEmpty { value = withoutSuffix }
        value = trim(replacing(trailingInitial, in: value))
        let ns = NSRange(value.startIndex..., in: value)
        if let m = firstPart.firstMatch(in: value, range: ns), let r = Range(m.range(at: 1), in: value) {
            value = String(value[r])
        }
        value = asciiLettersOnly(value)
        guard !value.isEmpty, !placeholderNames.contains(value.lowercased()) else { return nil }
        return value
    }

    /// Family name as the reference's `LastNameAttribute` (suffix removed, letters only; two-letter
    /// names only in the shapes it accepts), or `nil` where it refuses the value.
    public static func familyName(_ raw: String?) -> String? {
        guard let raw, !trim(raw).isEmpty, !placeholderNames.contains(raw.lowercased()) else { return nil }
        var value = removeDiacritics(raw)
        let withoutSuffix = replacing(generationalSuffix, in: value)
        if !trim(withoutSuffix).isEmpty { value = withoutSuffix }
        value = asciiLettersOnly(value)
        guard value.count != 1, !placeholderNames.contains(value.lowercased()), matches(lastNameShape, value) else {
            return nil
        }
        return value
    }

    /// Sex as the reference codes it (`Male`/`Female` from M, F, male, female in any case), else `nil`.
    public static func sex(_ raw: String?) -> String? {
        guard let raw, !trim(raw).isEmpty, matches(sexShape, raw) else { return nil }
        return trim(raw).lowercased().hasPrefix("m") ? "Male" : "Female"
    }

    /// Birth date as `YYYY-MM-DD` from the formats the reference accepts (YYYY-MM-DD, YYYY/MM/DD,
    /// MM/DD/YYYY, MM-DD-YYYY, DD.MM.YYYY, ISO 8601 timestamps), on or after 1910-01-01 and not after
    /// `latest` (the reference uses today; the caller passes it so this stays pure).
    public static func birthDate(_ raw: String?, latest: CalendarDate? = nil) -> CalendarDate? {
        guard let raw, !trim(raw).isEmpty, matches(dateShape, raw) else { return nil }
        let s = Array(trim(raw).utf8)
        func num(_ a: Int, _ b: Int) -> Int { s[a..<b].reduce(0) { $0 * 10 + Int($1 - 48) } }
        let sep = { (i: Int) in Character(UnicodeScalar(s[i])) }
        var ymd: (Int, Int, Int)?
        if s.count >= 10, sep(4) == "-" || sep(4) == "/" {
            // YYYY-MM-DD or YYYY/MM/DD (separators must agree), or an ISO timestamp whose date part counts.
            if s.count == 10 ? sep(7) == sep(4) : sep(4) == "-" && sep(7) == "-" { ymd = (num(0, 4), num(5, 7), num(8, 10)) }
        } else if s.count == 10 {
            switch (sep(2), sep(5)) {
            case ("/", "/"), ("-", "-"): ymd = (num(6, 10), num(0, 2), num(3, 5))
            case (".", "."): ymd = (num(6, 10), num(3, 5), num(0, 2))
            default: ymd = nil
            }
        }
        guard let (y, m, d) = ymd, let date = CalendarDate(year: y, month: m, day: d),
            date >= CalendarDate(year: 1910, month: 1, day: 1)!
        else { return nil }
        if let latest, date > latest { return nil }
        return date
    }

    // Prefixes the reference treats as fake ZIP codes.
    static let invalidZipPrefixes = [
        "11111", "22222", "33333", "66666", "77777", "99999", "01234", "12345", "54321", "98765", "000", "555", "888",
    ]

    /// US postal code as five digits (ZIP+4 truncated; ZIP3/ZIP4 right-padded with zeros, as the
    /// reference's `PostalCodeAttribute` does), or `nil` for anything else. Canadian codes, which the
    /// reference also accepts, are not supported yet (documented in docs/linkage.md).
    public static func postalCode(_ raw: String?) -> String? {
        guard let raw, !trim(raw).isEmpty, matches(usZip, raw) else { return nil }
        let trimmed = trim(raw)
        guard !invalidZipPrefixes.contains(where: { trimmed.hasPrefix($0) }) else { return nil }
        let digits = trimmed.filter { !$0.isWhitespace }
        switch digits.count {
        case 3: return digits + "00"
        case 4: return digits + "0"
        default: return String(digits.prefix(5))
        }
    }

    /// Phone as digits only, a leading US country code 1 dropped from 11 digits; `nil` when fewer than 7 digits.
    /// (Not in the reference's rules; used by the CLK path and for blocking.)
    public static func phone(_ raw: String?) -> String? {
        guard let raw else { return nil }
        var digits = raw.filter { $0.isASCII && $0.isNumber }
        if digits.count == 11, digits.hasPrefix("1") { digits.removeFirst() }
        return digits.count >= 7 ? digits : nil
    }

    /// Given name with the nickname table applied, upper case; for fuzzy matching only.
    public static func canonicalGivenName(_ raw: String?) -> String? {
        guard let name = givenName(raw)?.uppercased() else { return nil }
        return nicknames[name] ?? name
    }
}
