import CareNetwork
import Core

/// The follow-up visits a treated patient is owed, by product modality: CAR-T at day 30, day
/// 100 and month 6, then yearly; every genetically modified product (CAR-T included) yearly
/// for 15 years, as long-term follow-up of gene therapies requires.
///
/// A schedule turns "follow the patient for years" into dated visits a center can be held to,
/// and that completeness and timeliness can be counted against.
public struct FollowUpSchedule: Hashable, Sendable {
    /// One owed visit: its name, its day after infusion and the window it may fall in.
    public struct Visit: Hashable, Sendable, Codable {
        public var key: String
        public var name: String
        public var day: Int
        /// Days either side of `day` an assessment still counts for the visit.
        public var window: Int

        public init(key: String, name: String, day: Int, window: Int) {
            self.key = key
            self.name = name
            self.day = day
            self.window = window
        }
    }

    public var visits: [Visit]

    public init(visits: [Visit]) { self.visits = visits }

    /// Yearly visits from year `from` through year 15.
    static func yearly(from first: Int) -> [Visit] {
        (first...15).map { Visit(key: "y\($0)", name: "Year \($0)", day: 365 * $0, window: 60) }
    }

    public static let carT = FollowUpSchedule(visits: [
        Visit(key: "d30", name: "Day 30", day: 30, window: 7),
        Visit(key: "d100", name: "Day 100", day: 100, window: 14),
        Visit(key: "m6", name: "Month 6", day: 182, window: 30),
    ] + yearly(from: 1))

    public static let geneTherapy = FollowUpSchedule(visits: yearly(from: 1))

    public static func `for`(_ modality: Modality) -> FollowUpSchedule {
        switch modality {
        case .carT: .carT
        // Genetically modified products, given ex vivo or in vivo, are followed for 15 years.
        case .exVivoGeneTherapy, .inVivoGeneTherapy: .geneTherapy
        }
    }
}
