import CareNetwork

/// A demo treatment center with what the generator needs beyond the ``Center`` record.
struct DemoCenter: Sendable {
    var center: Center
    /// First three digits of the area's ZIP codes, for synthetic patient addresses.
    var zipPrefix: String
    /// The area's telephone area code, for synthetic (555-01xx) phone numbers.
    var areaCode: String
    /// Relative referral volume.
    var volume: Double

    /// Only centers accredited for hematopoietic cell transplantation give ex vivo gene
    /// therapies, which need myeloablative conditioning and a transplant unit.
    var givesGeneTherapy: Bool { center.accreditations.contains(.factTransplant) }
}

extension DemoCenter {
    /// Ten fictional academic authorized treatment centers in nine states and four US time
    /// zones (Phoenix keeps no daylight saving time, a useful edge case for "today at the
    /// center"). Half work in parallel and half linearly, the two workflows the seed 004
    /// focus groups compare (about 70 versus about 100 days from referral to infusion).
    static let all: [DemoCenter] = [
        make("ctr-midwest-ucc", "Midwest University Cancer Center", "Minneapolis", "MN", "America/Chicago",
             [.factImmuneEffectorCells, .factTransplant, .centerOfExcellence], .parallel, zip: "554", area: "612", volume: 1.5),
        make("ctr-northeast-cci", "Northeast Comprehensive Cancer Institute", "Boston", "MA", "America/New_York",
             [.factImmuneEffectorCells, .factTransplant, .centerOfExcellence], .parallel, zip: "021", area: "617", volume: 1.5),
        make("ctr-empire-umc", "Empire University Medical Center", "New York", "NY", "America/New_York",
             [.factImmuneEffectorCells, .factTransplant], .linear, zip: "100", area: "212", volume: 1.3),
        make("ctr-lakeshore-uh", "Lakeshore University Hospitals", "Cleveland", "OH", "America/New_York",
             [.factImmuneEffectorCells, .factTransplant, .centerOfExcellence], .parallel, zip: "441", area: "216", volume: 1.2),
        make("ctr-gulf-coast-cc", "Gulf Coast Cancer Center", "Houston", "TX", "America/Chicago",
             [.factImmuneEffectorCells, .factTransplant, .centerOfExcellence], .parallel, zip: "770", area: "713", volume: 1.5),
        make("ctr-hill-country-mc", "Hill Country Medical Center", "San Antonio", "TX", "America/Chicago",
             [.factImmuneEffectorCells], .linear, zip: "782", area: "210", volume: 0.8),
        make("ctr-pacific-ucc", "Pacific University Cancer Center", "Los Angeles", "CA", "America/Los_Angeles",
             [.factImmuneEffectorCells, .factTransplant], .linear, zip: "900", area: "213", volume: 1.2),
        make("ctr-cascade-tc", "Cascade Regional Transplant Center", "Seattle", "WA", "America/Los_Angeles",
             [.factImmuneEffectorCells, .factTransplant, .centerOfExcellence], .parallel, zip: "981", area: "206", volume: 1.0),
        make("ctr-southeastern-uh", "Southeastern University Hospital", "Atlanta", "GA", "America/New_York",
             [.factImmuneEffectorCells, .factTransplant], .linear, zip: "303", area: "404", volume: 1.0),
        make("ctr-desert-smc", "Desert Southwest Medical Center", "Phoenix", "AZ", "America/Phoenix",
             [.factImmuneEffectorCells], .linear, zip: "850", area: "602", volume: 0.7),
    ]

    private static func make(
        _ id: String, _ name: String, _ city: String, _ state: String, _ timeZone: String,
        _ accreditations: [Accreditation], _ workflow: Workflow, zip: String, area: String, volume: Double
    ) -> DemoCenter {
        DemoCenter(
            center: Center(
                id: CenterID(id), name: name, city: city, state: state, timeZone: timeZone,
                accreditations: accreditations, workflow: workflow
            ),
            zipPrefix: zip,
            areaCode: area,
            volume: volume
        )
    }
}
