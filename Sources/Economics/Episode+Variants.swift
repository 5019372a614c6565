import Core

extension Episode {
    /// The episode with a longer or shorter stay and with or without its complications: the
    /// variants the sensitivity grid prices.
    ///
    /// A change of ICU (or acute) days goes to the first ICU (acute) line not flagged as a
    /// complication, or to the first ICU (acute) line when all are complications, and never
    /// takes a line below zero days. Without complications, every line flagged as a
    /// complication is dropped (after the change, so ICU days that exist only because of a
    /// complication disappear with it). Changing days of a kind the episode has no line for is
    /// refused: nothing says what such a day would cost.
    public func adjusted(icuDayChange: Int = 0, acuteDayChange: Int = 0, complications: Bool = true) throws(ValidationError) -> Episode {
        var episode = self
        try episode.changeDays(of: .icuDay, by: icuDayChange, field: "icuDayChange")
        try episode.changeDays(of: .acuteDay, by: acuteDayChange, field: "acuteDayChange")
        if !complications { episode.services.removeAll { $0.complication } }
        return episode
    }

    private mutating func changeDays(of kind: ServiceKind, by change: Int, field: String) throws(ValidationError) {
        guard change != 0 else { return }
        let target = services.firstIndex { $0.kind == kind && !$0.complication } ?? services.firstIndex { $0.kind == kind }
        guard let target else {
            throw ValidationError(field: field, problem: "cannot change \(kind.label): the episode has no \(kind.rawValue) line to say what a day costs")
        }
        services[target].quantity = max(0, services[target].quantity + change)
    }
}
