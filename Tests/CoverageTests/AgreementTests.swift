import CareNetwork
import Core
import Coverage
import Foundation
import Journey
import Testing

@Suite("Single-case agreements")
struct AgreementTests {
    static let library = StandardTerms.library
    static let start = Date(timeIntervalSince1970: 1_772_442_000)
    static let facts = Agreement.CaseFacts(
        caseID: "case-1", patient: "pat-1", center: "ctr-1", payer: "pay-1", product: "prd-yescarta",
        values: ["diagnosis_code": "C83.30", "product_name": "Yescarta"])

    static func draft() throws -> Agreement {
        try Agreement.draft(id: "sca-1", for: facts, template: StandardTerms.carTTemplate(center: "ctr-1"), library: library, at: start)
    }

    static func at(_ days: Double) -> Date { start.addingTimeInterval(days * 86_400) }

    @Test func aDraftFromTheTemplateCarriesEveryStandardElementAndCanBeSent() throws {
        let draft = try Self.draft()
        #expect(draft.status == .draft)
        #expect(draft.latest.term("episode-window")?.values == ["days_before": "30", "days_after": "100"])
        #expect(draft.latest.term("diagnosis")?.values == ["diagnosis_code": "C83.30"])
        // Member identity is never stored with the negotiation.
        #expect(draft.latest.term("member")?.values.isEmpty == true)
        #expect(draft.gaps(library: Self.library).isEmpty)
        let sent = try draft.sending(library: Self.library, at: Self.at(0.1))
        #expect(sent.status == .negotiating)
    }

    @Test func anAgreementMissingAStandardElementCannotBeSentAndTheErrorNamesIt() throws {
        var template = StandardTerms.carTTemplate()
        template.terms.removeAll { $0.id == "exclusions" || $0.id == "procedure" }
        let draft = try Agreement.draft(id: "sca-2", for: Self.facts, template: template, library: Self.library, at: Self.start)
        let error = #expect(throws: ValidationError.self) { try draft.sending(library: Self.library, at: Self.at(1)) }
        #expect(error?.issues.map(\.problem).filter { $0.contains("standard element") }.count == 2)
        #expect(error?.issues.contains { $0.problem.contains("exclusions") } == true)
        // And a standard element cannot be negotiated away.
        let sent = try Self.draft().sending(library: Self.library, at: Self.at(0.1))
        let removal = #expect(throws: ValidationError.self) {
            try sent.proposing(.init(remove: ["inclusions"]), by: .payer, library: Self.library, at: Self.at(1))
        }
        #expect(removal?.issues.first?.rule == "standard-element")
    }

    @Test func aParameterOutsideItsRangeIsRefusedNamingTermAndParameter() throws {
        let sent = try Self.draft().sending(library: Self.library, at: Self.at(0.1))
        let error = #expect(throws: ValidationError.self) {
            try sent.proposing(.init(values: ["episode-window": ["days_after": "400"], "case-rate": ["amount": "12.345"]]), by: .payer, library: Self.library, at: Self.at(1))
        }
        let fields = Set(error?.issues.map(\.field) ?? [])
        #expect(fields == ["values.episode-window.days_after", "values.case-rate.amount"])
        #expect(error?.issues.contains { $0.problem.contains("above the term's maximum 365 days") } == true)
        let unknown = #expect(throws: ValidationError.self) {
            try sent.proposing(.init(values: ["case-rate": ["amout": "1"]]), by: .payer, library: Self.library, at: Self.at(1))
        }
        #expect(unknown?.issues.first?.problem.contains("has no parameter amout") == true)
        let caseValue = #expect(throws: ValidationError.self) {
            try sent.proposing(.init(values: ["diagnosis": ["diagnosis_code": "C91.00"]]), by: .payer, library: Self.library, at: Self.at(1))
        }
        #expect(caseValue?.issues.first?.problem.contains("not negotiated") == true)
    }

    @Test func twoRoundsARedlineAcceptanceAndSignaturesRecordTheFinancialAgreementStage() throws {
        var agreement = try Self.draft().sending(library: Self.library, at: Self.at(0.1))
        agreement = try agreement.proposing(.init(values: ["case-rate": ["amount": "150000"], "outlier": ["percent": "50"]], note: "rates per our 2026 schedule"),
                                            by: .payer, library: Self.library, at: Self.at(3))
        agreement = try agreement.proposing(.init(values: ["case-rate": ["amount": "170000"]]), by: .center, library: Self.library, at: Self.at(6))
        let redline = try agreement.redline(from: 1, to: 3, library: Self.library)
        let changed = redline.lines.filter { $0.change == .changed }
        #expect(changed.map(\.term) == ["case-rate", "outlier"])
        #expect(changed[0].parameters.map(\.before) == ["$185,000.00"])
        #expect(changed[0].parameters.map(\.after) == ["$170,000.00"])
        #expect(changed[0].after?.contains("a case rate of $170,000.00") == true)
        // The payer agreed to nothing yet in version 3 except what it proposed itself and the center kept.
        #expect(agreement.agreedTerms().contains(TermReference("outlier", version: 1)))
        let standings = Dictionary(uniqueKeysWithValues: agreement.termStandings().map { ($0.term.id, $0.standing) })
        #expect(standings["case-rate"] == .countered)
        #expect(standings["outlier"] == .agreed)
        #expect(standings["records"] == .agreed)
        #expect(try Self.draft().termStandings().allSatisfy { $0.standing == .proposed })
        #expect(!agreement.agreedTerms().contains(TermReference("case-rate", version: 1)))

        #expect(throws: ValidationError.self) { try agreement.accepting(version: 3, by: .center, at: Self.at(7)) }
        #expect(throws: ValidationError.self) { try agreement.accepting(version: 2, by: .payer, at: Self.at(7)) }
        agreement = try agreement.accepting(version: 3, by: .payer, at: Self.at(8))
        #expect(agreement.status == .agreed)
        #expect(throws: ValidationError.self) { try agreement.proposing(.init(values: ["records": ["days": "10"]]), by: .payer, library: Self.library, at: Self.at(9)) }
        agreement = try agreement.signing(by: .payer, at: Self.at(9))
        #expect(throws: ValidationError.self) { try agreement.signing(by: .payer, at: Self.at(9)) }
        agreement = try agreement.signing(by: .center, at: Self.at(10))
        #expect(agreement.status == .signed)

        let referral = CalendarDate(year: 2026, month: 3, day: 2)!
        var journey = CaseJourney(template: .carT, referralDate: referral)
        try journey.record(JourneyEvent(id: "r", kind: .started, stage: .referral, date: referral))
        try journey.record(JourneyEvent(id: "b", kind: .started, stage: .benefitsInvestigation, date: referral))
        for event in agreement.journeyEvents(after: .sent, journey: journey, on: referral) { try journey.record(event) }
        #expect(journey.state(of: .financialAgreement).status == .inProgress)
        for event in agreement.journeyEvents(after: .signed, journey: journey, on: referral.adding(days: 10)) { try journey.record(event) }
        #expect(journey.state(of: .financialAgreement).completed == referral.adding(days: 10))
    }

    @Test func anInterimLetterListsOnlyTermsBothSidesAgreeOn() throws {
        var agreement = try Self.draft()
        #expect(throws: ValidationError.self) { try agreement.issuingInterimLetter(library: Self.library, at: Self.at(1)) }
        agreement = try agreement.sending(library: Self.library, at: Self.at(0.1))
        agreement = try agreement.proposing(.init(values: ["case-rate": ["amount": "150000"]]), by: .payer, library: Self.library, at: Self.at(2))
        agreement = try agreement.issuingInterimLetter(library: Self.library, at: Self.at(2.5))
        let letter = try #require(agreement.interimLetter)
        #expect(letter.agreedTerms.contains(TermReference("clinical-criteria", version: 1)))
        #expect(!letter.agreedTerms.contains(TermReference("case-rate", version: 1)))
    }

    @Test func reuseShareCountsTermsStatedAsInTheLastSignedAgreementWithThePayer() throws {
        var previous = try Self.draft().sending(library: Self.library, at: Self.at(0.1))
        previous = try previous.proposing(.init(values: ["case-rate": ["amount": "160000"]]), by: .payer, library: Self.library, at: Self.at(1))
        previous = try previous.accepting(version: 2, by: .center, at: Self.at(2)).signing(by: .center, at: Self.at(2)).signing(by: .payer, at: Self.at(2))
        var next = try Agreement.draft(id: "sca-9", for: Self.facts, template: StandardTerms.carTTemplate(), library: Self.library, at: Self.at(30))
        #expect(next.reuseShare(previous: []) == nil)
        let share = try #require(next.reuseShare(previous: [previous]))
        #expect(share.total == next.latest.terms.count)
        #expect(share.reused == share.total - 1)  // the case rate was negotiated last time
        next = try next.proposing(.init(values: ["case-rate": ["amount": "160000"]]), by: .center, library: Self.library, at: Self.at(31))
        #expect(next.reuseShare(previous: [previous])?.reused == share.total)
    }

    @Test func onlyTheCenterSendsAndAnUnknownStepIsNamed() throws {
        let draft = try Self.draft()
        let refused = #expect(throws: ValidationError.self) { try draft.taking(.send, by: .payer, library: Self.library, at: Self.at(1)) }
        #expect(refused?.issues.first?.field == "party")
        let (sent, step) = try draft.taking(.send, by: .center, library: Self.library, at: Self.at(1))
        #expect(sent.status == .negotiating && step == .sent)
        #expect(throws: ValidationError(field: "version", problem: "name the version accepted")) { try AgreementAction.named("accept", proposal: .init(), version: nil) }
        let unknown = #expect(throws: ValidationError.self) { try AgreementAction.named("approve", proposal: .init(), version: 1) }
        #expect(unknown?.issues.first?.field == "step")
    }

    @Test func aRedlineAgainstAVersionThatDoesNotExistIsRefused() throws {
        let error = #expect(throws: ValidationError.self) { try Self.draft().redline(from: 1, to: 4, library: Self.library) }
        #expect(error?.issues.first?.field == "to")
    }

    @Test func everyStandardTermIsWellFormed() throws {
        for term in StandardTerms.library.terms { _ = try term.validated(field: term.id.rawValue) }
        let broken = Term(id: "x", version: 1, kind: .other, title: "X", text: "Pay {amout}.", parameters: [TermParameter(name: "amount", type: .money)])
        let error = #expect(throws: ValidationError.self) { try broken.validated() }
        #expect(error?.issues.map(\.field) == ["term.text", "term.parameters[0]"])
    }

    @Test func aDayCountIsWrittenWithItsUnitOnce() throws {
        let term = Term(id: "filing", version: 1, kind: .timelyFiling, title: "Timely filing", text: "Claims are filed within {days} days of discharge.",
                        parameters: [TermParameter(name: "days", type: .days)])
        #expect(try term.render(["days": "30"]) == "Claims are filed within 30 days of discharge.")
        #expect(try term.render(["days": "1"]) == "Claims are filed within 1 day of discharge.")
        for term in StandardTerms.library.terms {
            let values = Dictionary(uniqueKeysWithValues: term.parameters.map { ($0.name, $0.type == .days ? "30" : "1") })
            let text = (try? term.render(values)) ?? ""
            #expect(!text.contains("days days"), "\(term.id): \(text)")
        }
    }
}
