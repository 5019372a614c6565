import CareNetwork
import Core

/// The facts about a patient that bound when an outcome could have happened: born in
/// `birthYear`, and infused on `infusedOn` (the earliest infusion on file), if ever.
public struct OutcomeTimeline: Hashable, Sendable {
    public var birthYear: Int
    public var infusedOn: CalendarDate?

    public init(birthYear: Int, infusedOn: CalendarDate?) {
        self.birthYear = birthYear
        self.infusedOn = infusedOn
    }

    /// Kinds that exist only after the therapy was given: a response to it, the toxicities
    /// it causes, and being lost to its follow-up. (Deaths, transfusions, admissions and
    /// laboratory values also happen before infusion, and contracts read some of those.)
    public static let postInfusionKinds: Set<OutcomeKindCode> = [.responseAssessment, .cytokineReleaseSyndrome, .neurotoxicity, .lostToFollowUp]

    /// Why `event` cannot have happened to this patient, naming `field` (`events[3].date`).
    ///
    /// With no infusion on file yet a post-infusion event is accepted: outcomes are ingested
    /// once, from whichever source sends them first, and a registry may hear of a response
    /// before the center records the infusion. Once the infusion is on file, nothing
    /// post-infusion may precede it.
    public func issues(_ event: OutcomeEvent, field: String) -> [ValidationError.Issue] {
        if event.date.year < birthYear {
            return [.init(field: field, problem: "\(event.date) is before the patient was born (\(birthYear))", rule: "time-order")]
        }
        guard Self.postInfusionKinds.contains(event.kind.code), let infusedOn else { return [] }
        if event.date < infusedOn {
            return [.init(field: field, problem: "\(event.date) is before the infusion on \(infusedOn); a \(event.kind.code.rawValue) event follows the therapy", rule: "after-infusion")]
        }
        return []
    }
}
