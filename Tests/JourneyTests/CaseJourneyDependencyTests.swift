import Testing
import Core
import Journey

@Suite("CaseJourney: dependencies and at-risk overrides")
struct CaseJourneyDependencyTests {
    @Test func apheresisWaitingForTheAgreementIsRefusedAndNothingChanges() throws {
        var journey = try carTJourney(awaitingAgreement)
        let before = JourneySnapshot(journey)
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.started, .apheresis, "2026-01-22"))
        }
        let issue = try #require(error?.issues.first)
        #expect(issue.rule == "dependency")
        #expect(issue.field == "stage")
        #expect(issue.problem.contains("financial agreement"))
        #expect(issue.problem.contains("at-risk override"))
        #expect(JourneySnapshot(journey) == before)
    }

    @Test func startToStartNeedsThePredecessorStarted() throws {
        var journey = CaseJourney(template: .carT, referralDate: day("2026-01-05"))
        try journey.record(event(.started, .referral, "2026-01-05"))
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.started, .priorAuthorization, "2026-01-06"))
        }
        #expect(error?.issues.first?.rule == "dependency")
        #expect(error?.issues.first?.problem.contains("benefits investigation to start") == true)
        try journey.record(event(.started, .benefitsInvestigation, "2026-01-06"))
        try journey.record(event(.started, .priorAuthorization, "2026-01-06"))
        #expect(journey.state(of: .priorAuthorization).status == .inProgress)
    }

    @Test func aPredecessorReadyOnlyLaterDoesNotCount() throws {
        // The agreement completes on 02-20; apheresis dated 02-19 is still before that.
        var journey = try carTJourney(awaitingAgreement + [event(.completed, .financialAgreement, "2026-02-20")])
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.started, .apheresis, "2026-02-19"))
        }
        #expect(error?.issues.first?.rule == "dependency")
        #expect(error?.issues.first?.problem.contains("it does on 2026-02-20") == true)
        try journey.record(event(.started, .apheresis, "2026-02-20"))
    }

    @Test func atRiskOverrideLetsApheresisStartAndIsRecorded() throws {
        var journey = try carTJourney(awaitingAgreement)
        let reason = "Rapidly progressing disease; collecting before the agreement is signed"
        try journey.record(event(.started, .apheresis, "2026-01-22", atRisk: reason))
        #expect(journey.state(of: .apheresis).status == .inProgress)
        #expect(journey.state(of: .apheresis).atRiskOverride == reason)
        let metrics = CaseMetrics(journey: journey, asOf: day("2026-01-22"))
        let apheresis = try #require(metrics.stages.first { $0.stage == .apheresis })
        #expect(apheresis.atRiskOverride == reason)
    }

    @Test("a blank override is no override", arguments: ["", "   ", "\n\t"])
    func blankOverrideIsRefused(reason: String) throws {
        var journey = try carTJourney(awaitingAgreement)
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.started, .apheresis, "2026-01-22", atRisk: reason))
        }
        #expect(error?.issues.first?.rule == "dependency")
        #expect(journey.state(of: .apheresis).started == nil)
    }

    @Test func anOverrideThatWasNotNeededIsNotRecorded() throws {
        var journey = try carTJourney(awaitingAgreement + [event(.completed, .financialAgreement, "2026-01-25")])
        try journey.record(event(.started, .apheresis, "2026-01-26", atRisk: "just in case"))
        #expect(journey.state(of: .apheresis).atRiskOverride == nil)
    }

    @Test func theReferralCannotBeSkippedAtRisk() throws {
        // PA and agreement done, but the consult has not completed the referral.
        var journey = CaseJourney(template: .carT, referralDate: day("2026-01-05"))
        try journey.record([
            event(.started, .referral, "2026-01-05"),
            event(.started, .benefitsInvestigation, "2026-01-05"),
            event(.started, .priorAuthorization, "2026-01-06"),
            event(.cancelled, .financialAgreement, "2026-01-06", reason: "Not needed: Medicare"),
            event(.completed, .priorAuthorization, "2026-01-10"),
        ])
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.started, .apheresis, "2026-01-12", atRisk: "urgent"))
        }
        #expect(error?.issues.first?.rule == "dependency")
        #expect(error?.issues.first?.problem.contains("referral") == true)
        #expect(error?.issues.first?.problem.contains("at-risk") == false)
    }

    @Test func manufacturingCannotBeOverridden() throws {
        var journey = try carTJourney(awaitingAgreement + [
            event(.completed, .financialAgreement, "2026-01-25"),
            event(.started, .apheresis, "2026-01-27"),
        ])
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.started, .manufacturing, "2026-01-28", atRisk: "the lab is ready"))
        }
        let issue = try #require(error?.issues.first)
        #expect(issue.rule == "dependency")
        #expect(issue.problem.contains("apheresis to complete"))
        #expect(!issue.problem.contains("at-risk"))
        #expect(journey.state(of: .manufacturing).started == nil)
    }

    @Test func aCancelledPredecessorNoLongerHoldsUpItsSuccessors() throws {
        var journey = try carTJourney([
            event(.started, .referral, "2026-01-05"),
            event(.started, .benefitsInvestigation, "2026-01-05"),
            event(.cancelled, .priorAuthorization, "2026-01-08", reason: "Not needed: Original Medicare"),
            event(.cancelled, .financialAgreement, "2026-01-08", reason: "Not needed: Original Medicare"),
            event(.completed, .referral, "2026-01-15"),
        ])
        try journey.record(event(.started, .apheresis, "2026-01-20"))
        #expect(journey.state(of: .apheresis).atRiskOverride == nil)
    }

    @Test func unknownAndMissingStagesAreRefused() throws {
        var journey = try carTJourney([event(.started, .referral, "2026-01-05")])
        let unknown = #expect(throws: ValidationError.self) {
            try journey.record(event(.started, .mobilization, "2026-01-06"))
        }
        #expect(unknown?.issues.first?.rule == "unknown-stage")
        #expect(unknown?.issues.first?.problem.contains("lymphodepletion") == true)
        let missing = #expect(throws: ValidationError.self) {
            try journey.record(event(.started, nil, "2026-01-06"))
        }
        #expect(missing?.issues.first?.field == "stage")
        #expect(journey.events.count == 1)
    }

    @Test func aStageStartsOnce() throws {
        var journey = try carTJourney([event(.started, .referral, "2026-01-05")])
        let error = #expect(throws: ValidationError.self) {
            try journey.record(event(.started, .referral, "2026-01-07"))
        }
        #expect(error?.issues.first?.rule == "stage-state")
        #expect(journey.state(of: .referral).started == day("2026-01-05"))
    }

    @Test func replayingAlteredHistoryFails() throws {
        var events = infusedCarT()
        events.swapAt(7, 8)  // apheresis before the agreement completes
        #expect(throws: ValidationError.self) { try carTJourney(events) }
        #expect(try carTJourney(infusedCarT()).status == .infused)
    }
}
