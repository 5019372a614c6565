import Testing
import Core
import CareNetwork
import Journey

/// A summary with the given referral-to-infusion days split over three critical stages.
private func infused(
    _ id: String, days: Int, center: String = "ctr-a", payer: String = "pay-a", product: String = "prd-a",
    referral: String = "2026-01-05", critical: [(StageKey, Int)]? = nil
) -> CaseSummary {
    let split = critical ?? [(.priorAuthorization, days / 2), (.manufacturing, days - days / 2 - 5), (.infusion, 5)]
    precondition(split.reduce(0) { $0 + $1.1 } == days)
    let referralDate = day(referral)
    var offset = 0
    let intervals = split.map { stage, critical in
        defer { offset += critical }
        return CaseSummary.Interval(
            stage: stage, start: offset, completed: offset + critical, cancelled: false, waitingDays: 0,
            blockedDays: 0, atRisk: false, criticalDays: critical
        )
    }
    return CaseSummary(
        caseID: CaseID(id), centerID: CenterID(center), payerID: PayerID(payer), productID: ProductID(product),
        referralDate: referralDate, status: .infused, lossReason: nil, closedOn: referralDate.adding(days: days),
        currentStages: [], intervals: intervals
    )
}

private func lost(_ id: String, _ reason: LossReason, center: String = "ctr-a", referral: String = "2026-01-05") -> CaseSummary {
    CaseSummary(
        caseID: CaseID(id), centerID: CenterID(center), payerID: "pay-a", productID: "prd-a", referralDate: day(referral),
        status: .lost, lossReason: reason, closedOn: day(referral).adding(days: 30), currentStages: [],
        intervals: [.init(stage: .priorAuthorization, start: 2, completed: nil, cancelled: false, waitingDays: 0,
                          blockedDays: 0, atRisk: false, criticalDays: 0)]
    )
}

private func open(_ id: String, center: String = "ctr-a") -> CaseSummary {
    CaseSummary(
        caseID: CaseID(id), centerID: CenterID(center), payerID: "pay-a", productID: "prd-a", referralDate: day("2026-03-01"),
        status: .open, lossReason: nil, closedOn: nil, currentStages: [.priorAuthorization],
        intervals: [.init(stage: .priorAuthorization, start: 3, completed: nil, cancelled: false, waitingDays: 3,
                          blockedDays: 0, atRisk: false, criticalDays: 0)]
    )
}

@Suite("NetworkMetrics")
struct NetworkMetricsTests {
    let summaries: [CaseSummary] = [
        infused("case-1", days: 40), infused("case-2", days: 50), infused("case-3", days: 60),
        infused("case-4", days: 70), infused("case-5", days: 100),
        lost("case-6", .progression), lost("case-7", .death), open("case-8"),
    ]

    @Test func countsCasesByStatusAndTheShareLost() {
        let metrics = NetworkMetrics(summaries: summaries)
        #expect(metrics.caseCount == 8)
        #expect(metrics.infusedCount == 5)
        #expect(metrics.lostCount == 2)
        #expect(metrics.openCount == 1)
        // Open cases have not ended: the share is of closed cases, 2 of 7.
        #expect(metrics.lostBeforeInfusionShare == 2.0 / 7.0)
        #expect(metrics.losses.map(\.reason) == [.progression, .death])
        #expect(metrics.losses.allSatisfy { $0.count == 1 && $0.share == 1.0 / 7.0 })
    }

    @Test func referralToInfusionPercentilesAreType7() throws {
        let interval = try #require(NetworkMetrics(summaries: summaries).interval("referral_to_infusion"))
        // 40, 50, 60, 70, 100: p25 50, median 60, p75 70, p90 at 3.6 → 70 + 0.6 × 30 = 88.
        #expect(interval.distribution.count == 5)
        #expect(interval.distribution.p25 == 50)
        #expect(interval.distribution.median == 60)
        #expect(interval.distribution.p75 == 70)
        #expect(abs(interval.distribution.p90! - 88) < 1e-9)
        #expect(interval.distribution.mean == 64)
    }

    @Test func stageAndWaitingIntervalsAreReported() throws {
        let metrics = NetworkMetrics(summaries: summaries)
        let authorization = try #require(metrics.interval("stage:prior_authorization"))
        #expect(authorization.distribution.count == 5)  // only completed stages have a duration
        #expect(authorization.distribution.median == 30)
        let waiting = try #require(metrics.interval("wait:prior_authorization"))
        #expect(waiting.distribution.count == 8)
        #expect(waiting.label == "Waiting before prior authorization")
        #expect(metrics.interval("stage:apheresis") == nil)
    }

    @Test func bottlenecksRankStagesAndTheirMeansAddUpToTheMeanTime() throws {
        let metrics = NetworkMetrics(summaries: summaries)
        // Prior authorization averages 32 critical days, manufacturing 27, infusion 5.
        #expect(metrics.bottlenecks.map(\.stage) == [.priorAuthorization, .manufacturing, .infusion])
        #expect(metrics.bottlenecks.map(\.meanCriticalDays) == [32, 27, 5])
        let total = metrics.bottlenecks.reduce(0) { $0 + $1.meanCriticalDays }
        #expect(abs(total - 64) < 1e-9)
        let infusion = try #require(metrics.bottlenecks.first { $0.stage == .infusion })
        #expect(infusion.meanCriticalDays == 5)
        #expect(infusion.shareOnCriticalPath == 1)
        #expect(!infusion.controllable)
        #expect(try #require(metrics.bottlenecks.first { $0.stage == .priorAuthorization }).controllable)
    }

    @Test func aStageOnSomePathsCountsZeroOnTheOthers() throws {
        let metrics = NetworkMetrics(summaries: [
            infused("case-1", days: 60, critical: [(.financialAgreement, 40), (.manufacturing, 20)]),
            infused("case-2", days: 40, critical: [(.priorAuthorization, 20), (.manufacturing, 20)]),
        ])
        let agreement = try #require(metrics.bottlenecks.first { $0.stage == .financialAgreement })
        #expect(agreement.meanCriticalDays == 20)
        #expect(agreement.medianCriticalDays == 20)
        #expect(agreement.shareOnCriticalPath == 0.5)
        #expect(abs(metrics.bottlenecks.reduce(0) { $0 + $1.meanCriticalDays } - 50) < 1e-9)
        // Ties rank alphabetically, so the order is stable from one report to the next.
        #expect(metrics.bottlenecks.map(\.stage) == [.financialAgreement, .manufacturing, .priorAuthorization])
    }

    @Test func filtersByCenterPayerProductAndReferralPeriod() {
        let mixed = [
            infused("case-1", days: 40, center: "ctr-a", payer: "pay-a", product: "prd-a", referral: "2025-06-01"),
            infused("case-2", days: 50, center: "ctr-b", payer: "pay-a", product: "prd-b", referral: "2025-12-31"),
            infused("case-3", days: 60, center: "ctr-b", payer: "pay-b", product: "prd-a", referral: "2026-01-01"),
        ]
        #expect(NetworkMetrics(summaries: mixed, filter: JourneyFilter(centerID: "ctr-b")).caseCount == 2)
        #expect(NetworkMetrics(summaries: mixed, filter: JourneyFilter(payerID: "pay-a")).caseCount == 2)
        #expect(NetworkMetrics(summaries: mixed, filter: JourneyFilter(productID: "prd-a")).caseCount == 2)
        let year2025 = JourneyFilter(referred: DateInterval(start: day("2025-01-01"), end: day("2025-12-31")))
        let metrics = NetworkMetrics(summaries: mixed, filter: year2025)
        #expect(metrics.caseCount == 2)
        #expect(metrics.interval("referral_to_infusion")?.distribution.median == 45)
        #expect(NetworkMetrics(summaries: mixed, filter: JourneyFilter(centerID: "ctr-b", payerID: "pay-b")).caseCount == 1)
        #expect(NetworkMetrics(summaries: mixed, filter: JourneyFilter(centerID: "ctr-z")).caseCount == 0)
    }

    @Test func groupsLargestFirst() throws {
        let mixed = summaries + [infused("case-9", days: 80, center: "ctr-b"), lost("case-10", .denied, center: "ctr-b"),
                                 infused("case-11", days: 90, center: "ctr-c")]
        let groups = NetworkMetrics.grouped(mixed, by: .center)
        #expect(groups.map(\.group) == ["ctr-a", "ctr-b", "ctr-c"])
        #expect(groups.map(\.metrics.caseCount) == [8, 2, 1])
        let b = try #require(groups.first { $0.group == "ctr-b" })
        #expect(b.metrics.lostBeforeInfusionShare == 0.5)
        #expect(b.metrics.losses.map(\.reason) == [.denied])
        let filtered = NetworkMetrics.grouped(mixed, by: .center, filter: JourneyFilter(centerID: "ctr-c"))
        #expect(filtered.map(\.group) == ["ctr-c"])
    }

    @Test func noCasesMeansNoShares() {
        let metrics = NetworkMetrics(summaries: [CaseSummary]())
        #expect(metrics.caseCount == 0)
        #expect(metrics.lostBeforeInfusionShare == nil)
        #expect(metrics.losses.isEmpty)
        #expect(metrics.bottlenecks.isEmpty)
        #expect(metrics.interval("referral_to_infusion")?.distribution.count == 0)
    }

    @Test func summariesOfRealJourneysFeedTheBottlenecks() throws {
        let long = try carTJourney(infusedCarT(agreementDone: "2026-02-20", apheresis: "2026-02-24"))
        let quick = try carTJourney(infusedCarT(agreementDone: "2026-01-15", apheresis: "2026-01-23"))
        let record = { (id: String) in
            Case(id: CaseID(id), patientID: "pat-1", productID: "prd-a", centerID: "ctr-a", payerID: "pay-a",
                 templateID: "car-t", referralDate: day("2026-01-05"))
        }
        let metrics = NetworkMetrics(summaries: [
            CaseSummary(case: record("case-1"), journey: long), CaseSummary(case: record("case-2"), journey: quick),
        ])
        let agreement = try #require(metrics.bottlenecks.first { $0.stage == .financialAgreement })
        #expect(agreement.shareOnCriticalPath == 0.5)
        #expect(agreement.meanCriticalDays == 22.5)  // (45 + 0) / 2: the day before it started was benefits investigation's
        #expect(abs(metrics.bottlenecks.reduce(0) { $0 + $1.meanCriticalDays } - 75) < 1e-9)
    }
}

@Suite("CaseSummary")
struct CaseSummaryTests {
    @Test func anOpenCaseBetweenStagesIsReadyForTheNextOne() throws {
        let events = infusedCarT(agreementDone: "2026-02-20", apheresis: "2026-02-24").prefix { $0.stage != .apheresis }
        let journey = try carTJourney(Array(events))
        let record = Case(id: "case-1", patientID: "pat-1", productID: "prd-a", centerID: "ctr-a", payerID: "pay-a",
                          templateID: "car-t", referralDate: day("2026-01-05"))
        let summary = CaseSummary(case: record, journey: journey)
        #expect(summary.currentStages.isEmpty)
        #expect(summary.readyStages(in: .carT) == [.apheresis])
        let infused = CaseSummary(case: record, journey: try carTJourney(infusedCarT()))
        #expect(infused.readyStages(in: .carT).isEmpty)
    }
}
