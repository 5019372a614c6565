import Testing
import Core
import Journey

@Suite("CaseJourney: time order")
struct CaseJourneyTimeOrderTests {
    @Test func nothingHappensBeforeTheReferral() throws {
        var journey = CaseJourney(template: .carT, referralDate: day("2026-01-05"))
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.started, .referral, "2026-01-04"))
        }
        #expect(error?.issues.first?.rule == "time-order")
        #expect(error?.issues.first?.field == "date")
        #expect(journey.events.isEmpty)
    }

    @Test func aStageEventCannotPrecedeTheStagesPreviousEvent() throws {
        var journey = try carTJourney([
            event(.started, .referral, "2026-01-05"),
            event(.started, .benefitsInvestigation, "2026-01-05"),
            event(.started, .priorAuthorization, "2026-01-10"),
            event(.blocked, .priorAuthorization, "2026-01-12", reason: "Payer pended: pathology requested"),
        ])
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.unblocked, .priorAuthorization, "2026-01-11"))
        }
        #expect(error?.issues.first?.rule == "time-order")
        #expect(error?.issues.first?.problem.contains("2026-01-12") == true)
        #expect(journey.state(of: .priorAuthorization).status == .blocked)
    }

    @Test func aStageCannotCompleteBeforeItStarted() throws {
        var journey = try carTJourney(Array(awaitingAgreement.prefix(3)))  // PA started 01-06
        let before = JourneySnapshot(journey)
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.completed, .priorAuthorization, "2026-01-05"))
        }
        #expect(error?.issues.first?.rule == "time-order")
        #expect(error?.issues.first?.field == "date")
        #expect(JourneySnapshot(journey) == before)
    }

    @Test func eventsInTheFutureAtTheCenterAreRefused() throws {
        var journey = try carTJourney([event(.started, .referral, "2026-01-05")])
        let today = day("2026-01-10")
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.started, .benefitsInvestigation, "2026-01-11"), notAfter: today)
        }
        #expect(error?.issues.first?.rule == "time-order")
        #expect(error?.issues.first?.problem.contains("future") == true)
        try journey.record(event(.started, .benefitsInvestigation, "2026-01-10"), notAfter: today)
        // A loss dated tomorrow is refused as well.
        #expect(throws: ValidationError.self) {
            try journey.record(event(.lost, nil, "2026-01-11", loss: .progression), notAfter: today)
        }
    }

    @Test func aLossCannotPrecedeTheLatestEvent() throws {
        var journey = try carTJourney(awaitingAgreement)  // latest event 01-20
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.lost, nil, "2026-01-19", loss: .progression))
        }
        #expect(error?.issues.first?.rule == "time-order")
        #expect(journey.status == .open)
        try journey.record(event(.lost, nil, "2026-01-20", loss: .progression))
        #expect(journey.status == .lost)
    }
}

@Suite("CaseJourney: blocks, cancellations and losses")
struct CaseJourneyStageStateTests {
    @Test func onlyAStageInProgressCanBeBlocked() throws {
        var journey = try carTJourney(Array(awaitingAgreement.prefix(2)))
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.blocked, .priorAuthorization, "2026-01-07", reason: "pended"))
        }
        #expect(error?.issues.first?.rule == "stage-state")
    }

    @Test("a block needs a reason", arguments: [nil, "", "  "] as [String?])
    func blockNeedsAReason(reason: String?) throws {
        var journey = try carTJourney(Array(awaitingAgreement.prefix(3)))
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.blocked, .priorAuthorization, "2026-01-07", reason: reason))
        }
        #expect(error?.issues.first?.field == "reason")
        #expect(journey.state(of: .priorAuthorization).status == .inProgress)
    }

    @Test func aBlockedStageMustBeUnblockedBeforeItCompletes() throws {
        var journey = try carTJourney(Array(awaitingAgreement.prefix(3)))
        try journey.record(event(.blocked, .priorAuthorization, "2026-01-08", reason: "Payer pended: PET-CT requested"))
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.completed, .priorAuthorization, "2026-01-15"))
        }
        #expect(error?.issues.first?.rule == "stage-state")
        #expect(error?.issues.first?.problem.contains("unblocked") == true)
        try journey.record(event(.unblocked, .priorAuthorization, "2026-01-13"))
        try journey.record(event(.completed, .priorAuthorization, "2026-01-15"))
        let state = journey.state(of: .priorAuthorization)
        #expect(state.status == .completed)
        #expect(state.blocks.count == 1)
        #expect(state.blockedDays(asOf: day("2026-02-01")) == 5)
    }

    @Test func unblockingAStageThatIsNotBlockedIsRefused() throws {
        var journey = try carTJourney(Array(awaitingAgreement.prefix(3)))
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.unblocked, .priorAuthorization, "2026-01-08"))
        }
        #expect(error?.issues.first?.rule == "stage-state")
    }

    @Test("required stages cannot be cancelled", arguments: [StageKey.referral, .apheresis, .manufacturing, .infusion])
    func requiredStageCannotBeCancelled(stage: StageKey) throws {
        var journey = try carTJourney(Array(awaitingAgreement.prefix(2)))
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.cancelled, stage, "2026-01-07", reason: "not needed"))
        }
        #expect(error?.issues.first?.rule == "required-stage")
        #expect(error?.issues.first?.problem.contains("lost") == true)
        #expect(journey.state(of: stage).cancelled == nil)
    }

    @Test func cancellingNeedsAReason() throws {
        var journey = try carTJourney(Array(awaitingAgreement.prefix(2)))
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.cancelled, .financialAgreement, "2026-01-07", reason: " "))
        }
        #expect(error?.issues.first?.field == "reason")
        #expect(journey.state(of: .financialAgreement).status == .notStarted)
    }

    @Test func aCancelledStageCannotStartOrCompleteOrBeCancelledAgain() throws {
        var journey = try carTJourney(Array(awaitingAgreement.prefix(2)))
        try journey.record(event(.cancelled, .financialAgreement, "2026-01-07", reason: "Not needed: in-network case rate"))
        #expect(journey.state(of: .financialAgreement).status == .cancelled)
        let start = #expect(throws: ValidationError.self) {
            try journey.record(event(.started, .financialAgreement, "2026-01-08"))
        }
        #expect(start?.issues.first?.rule == "stage-state")
        let again = #expect(throws: ValidationError.self) {
            try journey.record(event(.cancelled, .financialAgreement, "2026-01-08", reason: "again"))
        }
        #expect(again?.issues.first?.rule == "stage-state")
    }

    @Test func aCompletedStageCannotBeCancelledOrCompletedAgain() throws {
        var journey = try carTJourney(awaitingAgreement)
        let cancel = #expect(throws: ValidationError.self) {
            try journey.record(event(.cancelled, .priorAuthorization, "2026-01-21", reason: "changed mind"))
        }
        #expect(cancel?.issues.first?.rule == "stage-state")
        let complete = #expect(throws: ValidationError.self) {
            try journey.record(event(.completed, .priorAuthorization, "2026-01-21"))
        }
        #expect(complete?.issues.first?.rule == "stage-state")
    }

    @Test func cancellingABlockedStageClosesTheBlock() throws {
        var journey = try carTJourney(Array(awaitingAgreement.prefix(4)))  // agreement started 01-06
        try journey.record(event(.blocked, .financialAgreement, "2026-01-08", reason: "Payer contracting review"))
        try journey.record(event(.cancelled, .financialAgreement, "2026-01-18", reason: "Payer added the center to its network"))
        let state = journey.state(of: .financialAgreement)
        #expect(state.status == .cancelled)
        #expect(state.blocks.last?.end == day("2026-01-18"))
        #expect(state.blockedDays(asOf: day("2026-03-01")) == 10)
    }

    @Test func aLossNeedsAReason() throws {
        var journey = try carTJourney(awaitingAgreement)
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.lost, nil, "2026-01-25"))
        }
        #expect(error?.issues.first?.field == "lossReason")
        #expect(error?.issues.first?.problem.contains("progression") == true)
        #expect(journey.status == .open)
    }

    @Test func aLostCaseAcceptsNothingMore() throws {
        var journey = try carTJourney(awaitingAgreement)
        try journey.record(event(.lost, nil, "2026-01-25", loss: .death))
        #expect(journey.status == .lost)
        #expect(journey.lossReason == .death)
        #expect(journey.closedOn == day("2026-01-25"))
        let stage = #expect(throws: ValidationError.self) {
            try journey.record(event(.completed, .financialAgreement, "2026-01-26"))
        }
        #expect(stage?.issues.first?.rule == "case-closed")
        let lostAgain = #expect(throws: ValidationError.self) {
            try journey.record(event(.lost, nil, "2026-01-26", loss: .progression))
        }
        #expect(lostAgain?.issues.first?.rule == "case-closed")
        #expect(journey.lossReason == .death)
    }

    @Test func anInfusedCaseOnlyAcceptsStagesAfterInfusion() throws {
        var journey = try carTJourney(infusedCarT())
        #expect(journey.status == .infused)
        #expect(journey.closedOn == day("2026-03-21"))
        let before = #expect(throws: ValidationError.self) {
            try journey.record(event(.blocked, .financialAgreement, "2026-03-22", reason: "late"))
        }
        #expect(before?.issues.first?.rule == "case-closed")
        let lost = #expect(throws: ValidationError.self) {
            try journey.record(event(.lost, nil, "2026-03-25", loss: .death))
        }
        #expect(lost?.issues.first?.rule == "case-closed")
        try journey.record(event(.started, .followUp, "2026-03-21"))
        #expect(journey.state(of: .followUp).status == .inProgress)
        #expect(journey.status == .infused)
    }

    @Test func geneTherapyRecoveryAndFollowUpComeAfterInfusion() throws {
        var journey = CaseJourney(template: .geneTherapy, referralDate: day("2026-01-05"))
        try journey.record([
            event(.started, .referral, "2026-01-05"),
            event(.started, .benefitsInvestigation, "2026-01-05"),
            event(.cancelled, .priorAuthorization, "2026-01-09", reason: "Not needed"),
            event(.cancelled, .financialAgreement, "2026-01-09", reason: "Not needed"),
            event(.completed, .referral, "2026-01-20"),
            event(.started, .mobilization, "2026-01-27"),
            event(.completed, .mobilization, "2026-02-24"),
            event(.started, .apheresis, "2026-02-24"),
            event(.completed, .apheresis, "2026-02-26"),
            event(.started, .manufacturing, "2026-02-27"),
            event(.completed, .manufacturing, "2026-04-20"),
            event(.started, .conditioning, "2026-04-30"),
            event(.completed, .conditioning, "2026-05-03"),
            event(.started, .infusion, "2026-05-06"),
            event(.completed, .infusion, "2026-05-06"),
        ])
        #expect(journey.status == .infused)
        try journey.record(event(.started, .inpatientRecovery, "2026-05-06"))
        try journey.record(event(.completed, .inpatientRecovery, "2026-06-10"))
        try journey.record(event(.started, .longTermFollowUp, "2026-06-10"))
        #expect(throws: ValidationError.self) {
            try journey.record(event(.completed, .conditioning, "2026-06-11"))
        }
    }
}
