import Testing
import Core
import Journey

@Suite("CriticalPath")
struct CriticalPathTests {
    @Test func aLongAgreementPutsTheAgreementOnThePath() throws {
        let journey = try carTJourney(infusedCarT(agreementDone: "2026-02-20", apheresis: "2026-02-24"))
        let path = try #require(CriticalPath(journey: journey, asOf: day("2026-04-01")))
        #expect(path.steps.map(\.stage) == [
            .referral, .benefitsInvestigation, .financialAgreement, .apheresis, .manufacturing, .lymphodepletion, .infusion,
        ])
        #expect(!path.contains(.priorAuthorization))
        #expect(path.totalDays == 75)
        #expect(path.totalDays == day("2026-01-05").days(until: day("2026-03-21")))
        let agreement = try #require(path.steps.first { $0.stage == .financialAgreement })
        // Started the day after benefits investigation began, while it was still running:
        // that day belongs to benefits investigation, not to waiting.
        #expect(agreement.waitingDays == 0)
        let benefits = try #require(path.steps.first { $0.stage == .benefitsInvestigation })
        #expect(benefits.activeDays == 1)
        #expect(agreement.activeDays == 45)  // 01-06 to 02-20
        let apheresis = try #require(path.steps.first { $0.stage == .apheresis })
        #expect(apheresis.waitingDays == 4)  // agreement signed 02-20, collection 02-24
        let infusion = try #require(path.steps.last)
        #expect(infusion.waitingDays == 3)  // lymphodepletion ended 03-18, infusion 03-21
        #expect(infusion.activeDays == 0)
    }

    /// A linear center starts each step when the one before it is done. The days benefits
    /// investigation spends waiting for the referral work to finish are the referral's, and
    /// the prior authorization requested only after benefits are known is on the path.
    @Test func aLinearCenterPutsEachStepOnThePathInTurn() throws {
        let journey = try carTJourney([
            event(.started, .referral, "2026-01-05"),
            event(.completed, .referral, "2026-01-15"),
            event(.started, .benefitsInvestigation, "2026-01-15"),
            event(.completed, .benefitsInvestigation, "2026-01-22"),
            event(.started, .priorAuthorization, "2026-01-23"),
            event(.cancelled, .financialAgreement, "2026-01-22", reason: "Medicare: no agreement needed"),
            event(.completed, .priorAuthorization, "2026-02-02"),
            event(.started, .apheresis, "2026-02-09"),
            event(.completed, .apheresis, "2026-02-09"),
        ])
        let path = try #require(CriticalPath(journey: journey, asOf: day("2026-02-09")))
        #expect(path.steps.map(\.stage) == [.referral, .benefitsInvestigation, .priorAuthorization, .apheresis])
        #expect(path.steps.map(\.activeDays) == [10, 7, 10, 0])
        #expect(path.steps.map(\.waitingDays) == [0, 0, 1, 7])
        #expect(path.totalDays == day("2026-01-05").days(until: day("2026-02-09")))
    }

    @Test func aQuickAgreementLeavesPriorAuthorizationOnThePath() throws {
        let journey = try carTJourney(infusedCarT(agreementDone: "2026-01-15", apheresis: "2026-01-23"))
        let path = try #require(CriticalPath(journey: journey, asOf: day("2026-04-01")))
        #expect(path.contains(.priorAuthorization))
        #expect(!path.contains(.financialAgreement))
        let authorization = try #require(path.steps.first { $0.stage == .priorAuthorization })
        #expect(authorization.activeDays == 14)  // 01-06 to 01-20
        #expect(path.totalDays == 75)
    }

    @Test func theReferralIsOnThePathWhenTheConsultIsLast() throws {
        var events = infusedCarT(agreementDone: "2026-01-15", apheresis: "2026-02-02")
        // Move the referral's completion after every approval.
        events.removeAll { $0.kind == .completed && $0.stage == .referral }
        events.insert(event(.completed, .referral, "2026-01-30"), at: 7)
        let path = try #require(CriticalPath(journey: try carTJourney(events), asOf: day("2026-04-01")))
        #expect(path.steps.prefix(2).map(\.stage) == [.referral, .apheresis])
        #expect(path.steps[0].activeDays == 25)
        #expect(path.steps[1].waitingDays == 3)
        #expect(path.totalDays == 75)
    }

    @Test func anAtRiskStartDoesNotPutTheOverriddenAgreementOnThePath() throws {
        // Apheresis on 01-23 at risk; the agreement is signed on 02-20, before infusion.
        var events = awaitingAgreement
        events += [
            event(.started, .apheresis, "2026-01-23", atRisk: "Rapid progression"),
            event(.completed, .apheresis, "2026-01-23"),
            event(.started, .manufacturing, "2026-01-24"),
            event(.completed, .financialAgreement, "2026-02-20"),
            event(.completed, .manufacturing, "2026-02-22"),
            event(.started, .lymphodepletion, "2026-02-24"),
            event(.completed, .lymphodepletion, "2026-02-26"),
            event(.started, .infusion, "2026-03-01"),
            event(.completed, .infusion, "2026-03-01"),
        ]
        let journey = try carTJourney(events)
        let path = try #require(CriticalPath(journey: journey, asOf: day("2026-03-01")))
        #expect(path.contains(.priorAuthorization))
        #expect(!path.contains(.financialAgreement))
        #expect(path.totalDays == day("2026-01-05").days(until: day("2026-03-01")))
        let apheresis = try #require(path.steps.first { $0.stage == .apheresis })
        #expect(apheresis.waitingDays == 3)  // PA approved 01-20
    }

    @Test func stepsStillAddUpWhenTheOverriddenStageStartsLater() throws {
        // Apheresis at risk before the agreement even started; the agreement then runs 01-28 to 02-10.
        let events = [
            event(.started, .referral, "2026-01-05"),
            event(.started, .benefitsInvestigation, "2026-01-05"),
            event(.started, .priorAuthorization, "2026-01-06"),
            event(.completed, .benefitsInvestigation, "2026-01-09"),
            event(.completed, .referral, "2026-01-12"),
            event(.completed, .priorAuthorization, "2026-01-20"),
            event(.started, .apheresis, "2026-01-26", atRisk: "Agreement not yet requested; urgent"),
            event(.completed, .apheresis, "2026-01-26"),
            event(.started, .manufacturing, "2026-01-27"),
            event(.started, .financialAgreement, "2026-01-28"),
            event(.completed, .financialAgreement, "2026-02-10"),
            event(.completed, .manufacturing, "2026-02-14"),
            event(.started, .lymphodepletion, "2026-02-16"),
            event(.completed, .lymphodepletion, "2026-02-18"),
            event(.started, .infusion, "2026-02-21"),
            event(.completed, .infusion, "2026-02-21"),
        ]
        let journey = try carTJourney(events)
        let path = try #require(CriticalPath(journey: journey, asOf: day("2026-02-21")))
        #expect(path.totalDays == day("2026-01-05").days(until: day("2026-02-21")))
        #expect(path.steps.allSatisfy { $0.waitingDays >= 0 && $0.activeDays >= 0 })
        #expect(!path.contains(.financialAgreement))
    }

    @Test func anOpenCaseRunsToTheLatestStageAsOfToday() throws {
        let journey = try carTJourney([
            event(.started, .referral, "2026-01-05"),
            event(.started, .benefitsInvestigation, "2026-01-05"),
            event(.started, .priorAuthorization, "2026-01-06"),
            event(.completed, .benefitsInvestigation, "2026-01-09"),
            event(.started, .financialAgreement, "2026-01-10"),
            event(.completed, .referral, "2026-01-12"),
            event(.completed, .priorAuthorization, "2026-01-20"),
        ])
        let path = try #require(CriticalPath(journey: journey, asOf: day("2026-02-01")))
        #expect(path.steps.last?.stage == .financialAgreement)
        #expect(path.totalDays == day("2026-01-05").days(until: day("2026-02-01")))
    }

    @Test func noPathBeforeAnythingStarts() {
        let journey = CaseJourney(template: .carT, referralDate: day("2026-01-05"))
        #expect(CriticalPath(journey: journey, asOf: day("2026-01-06")) == nil)
    }
}

@Suite("CaseMetrics")
struct CaseMetricsTests {
    @Test func waitingDaysCountFromTheLastPredecessorReady() throws {
        let journey = try carTJourney(infusedCarT(agreementDone: "2026-02-20", apheresis: "2026-02-24"))
        let metrics = CaseMetrics(journey: journey, asOf: day("2026-04-01"))
        func stage(_ key: StageKey) throws -> CaseMetrics.StageMetrics {
            try #require(metrics.stages.first { $0.stage == key })
        }
        #expect(try stage(.apheresis).waitingDays == 4)
        #expect(try stage(.manufacturing).waitingDays == 1)
        #expect(try stage(.lymphodepletion).waitingDays == 2)
        #expect(try stage(.infusion).waitingDays == 3)
        #expect(try stage(.benefitsInvestigation).waitingDays == 0)
        #expect(try stage(.referral).waitingDays == nil)  // nothing to wait for
        #expect(try stage(.followUp).waitingDays == nil)  // not started
        #expect(try stage(.financialAgreement).days == 45)
        #expect(try stage(.financialAgreement).onCriticalPath)
        #expect(try !stage(.priorAuthorization).onCriticalPath)
        #expect(metrics.referralToInfusionDays == 75)
        #expect(metrics.elapsedDays == 75)
        #expect(metrics.status == .infused)
        #expect(metrics.currentStages.isEmpty)
    }

    @Test func anAtRiskStartWaitedNoDays() throws {
        var journey = try carTJourney(awaitingAgreement)
        try journey.record(event(.started, .apheresis, "2026-01-25", atRisk: "Rapid progression"))
        let metrics = CaseMetrics(journey: journey, asOf: day("2026-01-25"))
        let apheresis = try #require(metrics.stages.first { $0.stage == .apheresis })
        #expect(apheresis.waitingDays == 0)
        #expect(apheresis.atRiskOverride == "Rapid progression")
    }

    @Test func openStagesRunToAsOfAndLostStagesToTheLoss() throws {
        var journey = try carTJourney(awaitingAgreement)
        try journey.record(event(.blocked, .financialAgreement, "2026-01-26", reason: "Payer contracting review"))
        let open = CaseMetrics(journey: journey, asOf: day("2026-02-05"))
        let agreement = try #require(open.stages.first { $0.stage == .financialAgreement })
        #expect(agreement.days == 30)  // 01-06 to 02-05
        #expect(agreement.blockedDays == 10)
        #expect(agreement.status == .blocked)
        #expect(open.currentStages == [.financialAgreement])
        #expect(open.referralToInfusionDays == nil)
        #expect(open.elapsedDays == 31)

        try journey.record(event(.lost, nil, "2026-02-01", loss: .progression))
        let lost = CaseMetrics(journey: journey, asOf: day("2026-03-01"))
        let stopped = try #require(lost.stages.first { $0.stage == .financialAgreement })
        #expect(stopped.days == 26)  // to the loss on 02-01, not to asOf
        #expect(stopped.blockedDays == 6)
        #expect(lost.elapsedDays == 27)
        #expect(lost.lossReason == .progression)
    }

    @Test func anOpenCaseBetweenStagesSaysWhatItIsWaitingToStart() throws {
        // Manufacturing done on 03-14, lymphodepletion not yet begun: nothing in progress, but
        // the case is not "in no stage" — it waits to start lymphodepletion.
        let journey = try carTJourney(Array(infusedCarT().prefix(12)))
        let metrics = CaseMetrics(journey: journey, asOf: day("2026-03-15"))
        #expect(metrics.status == .open)
        #expect(metrics.currentStages.isEmpty)
        #expect(metrics.readyStages == [.lymphodepletion])
        // Once it is infused there is nothing to wait for.
        #expect(CaseMetrics(journey: try carTJourney(infusedCarT()), asOf: day("2026-04-01")).readyStages.isEmpty)
    }
}
