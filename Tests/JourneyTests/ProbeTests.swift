import Testing
import Core
import CareNetwork
import Journey
import DemoNetwork

@Test func probeDemo() throws {
    for count in [300, 5000] {
    let demo = DemoNetwork.build(caseCount: count)
    var summaries: [CaseSummary] = []
    var failures = 0
    for c in demo.cases {
        do {
            var j = CaseJourney(template: c.template, referralDate: c.record.referralDate)
            for e in c.events { try j.record(e, notAfter: demo.today) }
            summaries.append(CaseSummary(case: c.record, journey: j))
        } catch { failures += 1; if failures < 5 { print(c.record.id, error, c.events.map { "\($0.date) \($0.kind) \($0.stage?.rawValue ?? "-")" }) } }
    }
    print("count", count, "events", demo.eventCount, "per case", Double(demo.eventCount)/Double(count), "failures", failures)
    let carT = Set(demo.products.filter { $0.journeyTemplate == "car-t" }.map(\.id))
    let par = Set(demo.centers.filter { $0.workflow == .parallel }.map(\.id))
    let all = NetworkMetrics(summaries: summaries)
    let p = NetworkMetrics(summaries: summaries.filter { carT.contains($0.productID) && par.contains($0.centerID) })
    let l = NetworkMetrics(summaries: summaries.filter { carT.contains($0.productID) && !par.contains($0.centerID) })
    let g = NetworkMetrics(summaries: summaries.filter { !carT.contains($0.productID) })
    for (name, m) in [("all", all), ("par", p), ("lin", l), ("gt", g)] {
        print(name, m.caseCount, "open", m.openCount, "inf", m.infusedCount, "lost", m.lostCount, "share", m.lostBeforeInfusionShare ?? -1, "median", m.interval("referral_to_infusion")!.distribution.median ?? -1, "p25", m.interval("referral_to_infusion")!.distribution.p25 ?? -1, "p75", m.interval("referral_to_infusion")!.distribution.p75 ?? -1)
        print("  losses", m.losses.map { "\($0.reason.rawValue)=\($0.count)" })
        print("  bottlenecks", m.bottlenecks.map { "\($0.stage.rawValue)=\(($0.meanCriticalDays * 10).rounded() / 10)" })
        print("  ", m.intervals.map { "\($0.key)=\($0.distribution.median ?? -1)" })
    }
    }
}
