import Core

/// The outcome events that stand once corrections are applied, as known on a given day.
///
/// Events are append-only, so "what do we believe happened" is computed, never stored: an
/// event stands unless a later-recorded event corrects it, and an `entered-in-error`
/// correction withdraws it. Asking as of an earlier day ignores what was recorded after it,
/// which is how a settlement re-run for a past date sees exactly what it saw then.
public enum OutcomeHistory {
    /// The standing events, in the order given. When two events correct the same one, the one
    /// recorded later (then the greater id) wins and the other is superseded too.
    public static func effective(_ events: [OutcomeEvent], knownOn: CalendarDate? = nil) -> [OutcomeEvent] {
        var known = events
        if let day = knownOn, !events.allSatisfy({ $0.recordedOn <= day }) { known = events.filter { $0.recordedOn <= day } }
        // Fast path: most patients have no corrections at all.
        guard known.contains(where: { $0.corrects != nil }) else { return known }
        var latestCorrection: [OutcomeEventID: OutcomeEvent] = [:]
        for event in known {
            guard let target = event.corrects else { continue }
            if let current = latestCorrection[target],
                (current.recordedOn, current.id.rawValue) >= (event.recordedOn, event.id.rawValue)
            {
                continue
            }
            latestCorrection[target] = event
        }
        var superseded = Set(latestCorrection.keys)
        for event in known {
            if let target = event.corrects, latestCorrection[target]?.id != event.id { superseded.insert(event.id) }
        }
        return known.filter { !superseded.contains($0.id) && $0.kind != .enteredInError }
    }
}
