/// The two-letter codes of the US states, the District of Columbia and the territories with
/// Medicaid programs: where a center stands and whose Medicaid program a payer or plan is.
public enum USState {
    public static let codes: Set<String> = [
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
        "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK",
        "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
        "DC", "PR", "GU", "VI", "AS", "MP",
    ]

    /// Whether `code` (upper case, as stored) names a state or territory.
    public static func isValid(_ code: String) -> Bool { codes.contains(code) }
}

extension FieldChecks {
    /// A state or territory code, upper-cased.
    mutating func state(_ raw: String?, field: String, optional: Bool = false) -> String? {
        guard let text = text(raw, field: field, maximum: 40, optional: optional) else { return nil }
        let code = text.uppercased()
        guard USState.isValid(code) else {
            fail(field, "must be a two-letter US state or territory code such as TX or PR, got \"\(text)\"")
            return nil
        }
        return code
    }
}
