import Testing
import Core
import CareNetwork
import Outcomes
import Criteria

@Suite("Evaluation")
struct EvaluationTests {
    func sets() throws -> [CriteriaSet] { [try exampleCriteria(regional), try exampleCriteria(heartland), try exampleCriteria(nationalHealth)] }

    @Test func theWorkedExample() throws {
        let evaluations = CriteriaEvaluator.evaluate(candidate(), against: try sets(), asOf: evaluationDay)
        #expect(evaluations.map(\.verdict) == [.likelyApprovable, .likelyApprovable, .incomplete])
        #expect(evaluations.allSatisfy { $0.inEffect })
        let pivotal = evaluations[2]
        #expect(pivotal.results.filter { $0.status != .met }.map(\.key) == ["pretest.pft"])
        #expect(pivotal.missing == [MissingItem(kind: .pretest, name: "pretests.pft", neededOnOrAfter: day("2026-02-14"), detail: "do pft (counts if done on or after 2026-02-14)")])
        let lvef = pivotal.results.first { $0.key == "organ.lvef" }!
        #expect(lvef.evidence == [Evidence(fact: "labs.lvef", value: "55 %", date: day("2026-04-28"))])
        #expect(lvef.line == 30)
        let ldh = pivotal.results.first { $0.key == "expr.ldh-limit" }!
        #expect(ldh.status == .met)
        #expect(ldh.evidence.map(\.fact) == ["labs.ldh", "uln.ldh"])
        let lines = pivotal.results.first { $0.key == "priorLines" }!
        #expect(lines.evidence.contains(Evidence(fact: "therapyLines.outcome", value: "refractory", date: day("2026-02-05"))))
    }

    @Test func missingFactsAreUnknownWithTheMissingItemNamed() throws {
        var facts = candidate()
        facts.birthDate = nil
        facts.labs.removeAll { $0.code == .lvef || $0.code == LabCode(rawValue: "ldh") }
        facts.exclusions.removeAll { $0.kind == .cnsInvolvement }
        let evaluation = CriteriaEvaluator.evaluate(facts, against: try exampleCriteria(nationalHealth), asOf: evaluationDay)
        #expect(evaluation.verdict == .incomplete)
        let unknown = Dictionary(uniqueKeysWithValues: evaluation.results.filter { $0.status == .unknown }.map { ($0.key, $0.missing.map(\.name)) })
        #expect(unknown == [
            "age": ["birthDate"], "organ.lvef": ["labs.lvef"], "exclusion.cnsInvolvement": ["exclusions.cnsInvolvement"],
            "pretest.pft": ["pretests.pft"], "expr.ldh-limit": ["labs.ldh", "uln.ldh"],
        ])
        #expect(evaluation.results.first { $0.key == "organ.lvef" }?.missing.first?.neededOnOrAfter == day("2026-04-15"))
    }

    @Test func anyCriterionNotMetMeansNotApprovableEvenWithUnknowns() throws {
        var facts = candidate()
        facts.performanceStatus.append(PerformanceStatus(score: 2, date: day("2026-05-12")))
        facts.exclusions.append(ExclusionFact(kind: .cnsInvolvement, present: true, date: day("2026-05-12")))
        let evaluations = CriteriaEvaluator.evaluate(facts, against: try sets(), asOf: evaluationDay)
        #expect(evaluations.map(\.verdict) == [.likelyApprovable, .notApprovable, .notApprovable])
        #expect(evaluations[2].results.filter { $0.status == .notMet }.map(\.key) == ["ecog", "exclusion.cnsInvolvement"])
        #expect(evaluations[2].results.first { $0.key == "ecog" }?.evidence == [Evidence(fact: "ecog", value: "2", date: day("2026-05-12"))])
    }

    @Test func aStaleResultIsUnknownAndSaysWhenToRepeatIt() throws {
        let later = day("2026-06-10")
        let evaluations = CriteriaEvaluator.evaluate(candidate(), against: [try exampleCriteria(regional), try exampleCriteria(heartland)], asOf: later)
        let echo = evaluations[1].results.first { $0.key == "pretest.echo" }!
        #expect(echo.status == .unknown)
        #expect(echo.missing.first?.neededOnOrAfter == day("2026-05-11"))
        #expect(echo.missing.first?.detail.contains("repeat echo") == true)
        #expect(evaluations[0].results.first { $0.key == "pretest.echo" }?.status == .met, "60 days is still fresh for the standard")
        let ecog = evaluations[0].results.first { $0.key == "ecog" }!
        #expect(ecog.status == .unknown && ecog.missing.first?.kind == .stale)
    }

    @Test func refractoryTimingAndRequiredClasses() {
        let within = Criterion(.priorLines(PriorLinesRule(minimum: 2, requiredClasses: ["anthracycline"], refractoryOrRelapsedWithinMonths: 3)))
        #expect(CriteriaEvaluator.evaluate(candidate(), within, asOf: evaluationDay).status == .notMet, "last relapse 2026-02-05 is more than 3 months back")
        #expect(CriteriaEvaluator.evaluate(candidate(), within, asOf: day("2026-05-05")).status == .met)
        let agent = Criterion(.priorLines(PriorLinesRule(requiredAgents: ["polatuzumab"])))
        #expect(CriteriaEvaluator.evaluate(candidate(), agent, asOf: evaluationDay).status == .notMet)
        var undated = candidate()
        undated.therapyLines = undated.therapyLines.map { line in
            var line = line
            line.outcome = nil
            line.outcomeDate = nil
            return line
        }
        let result = CriteriaEvaluator.evaluate(undated, within, asOf: evaluationDay)
        #expect(result.status == .unknown && result.missing.map(\.name) == ["therapyLines.outcomeDate"])
        #expect(CriteriaEvaluator.evaluate(ClinicalFacts(patient: "pt-x"), within, asOf: evaluationDay).missing.map(\.name) == ["therapyLines"])
    }

    @Test func expressionsUseThreeValuedLogic() throws {
        var facts = candidate()
        facts.labs.removeAll { $0.code == LabCode(rawValue: "ldh") }
        func status(_ source: String) throws -> CriterionStatus {
            CriteriaEvaluator.evaluate(facts, Criterion(.expression(name: "x", try CriteriaExpression.parse(source).get())), asOf: evaluationDay).status
        }
        #expect(try status("labs.ldh <= 2 * uln.ldh or age < 70") == .met)
        #expect(try status("labs.ldh <= 2 * uln.ldh and age > 70") == .notMet)
        #expect(try status("labs.ldh <= 2 * uln.ldh and age < 70") == .unknown)
        #expect(try status("not exclusions.priorCarT and priorLines >= 2") == .met)
        #expect(try status("labs.bilirubin <= 0.8 and labs.bilirubin > 0.79") == .met, "exact decimals: no binary rounding")
    }

    @Test func aSetNotInEffectIsStillEvaluatedButFlagged() throws {
        let evaluation = CriteriaEvaluator.evaluate(candidate(), against: try exampleCriteria(nationalHealth), asOf: day("2026-02-15"))
        #expect(!evaluation.inEffect)
        #expect(try exampleCriteria(heartland).isInEffect(on: day("2027-01-01")) == false)
    }

    @Test func statusAloneAgreesWithTheFullEvaluation() throws {
        var facts = candidate()
        facts.birthDate = nil
        for set in try sets() {
            for criterion in set.criteria {
                #expect(CriteriaEvaluator.status(of: facts, criterion.rule, asOf: evaluationDay) == CriteriaEvaluator.evaluate(facts, criterion, asOf: evaluationDay).status)
            }
        }
    }
}

@Suite("Pretest plan")
struct PretestPlanTests {
    @Test func oneTestPerNameInTheStrictestWindowForEverySet() throws {
        var facts = candidate()
        facts.pretests = []
        let sets = [try exampleCriteria(regional), try exampleCriteria(heartland), try exampleCriteria(nationalHealth)]
        let plan = PretestPlan.plan(for: facts, candidates: sets, asOf: evaluationDay, submitBy: day("2026-05-22"))
        #expect(plan.items.map(\.name) == ["pretests.echo", "pretests.id-panel", "pretests.pft"])
        let echo = plan.items[0]
        #expect(echo.neededBy == sets.map(\.id))
        #expect(echo.freshForDays == 30 && echo.notBefore == evaluationDay && echo.doneBy == day("2026-05-22"))
        #expect(plan.items[2].neededBy == ["nha-yescarta-lbcl"])
        #expect(plan.alreadyDone.map(\.name) == ["ecog", "labs.creatinineClearance", "labs.lvef", "labs.bilirubin"])
        #expect(plan.alreadyDone.first { $0.name == "labs.lvef" }?.validUntil == day("2026-05-28"))
        #expect(plan.otherMissing.isEmpty)
    }

    @Test func aLaterSubmissionMovesTheWindowAndResultsGoStale() throws {
        let sets = [try exampleCriteria(regional), try exampleCriteria(heartland)]
        let plan = PretestPlan.plan(for: candidate(), candidates: sets, asOf: evaluationDay, submitBy: day("2026-06-30"))
        let echo = plan.items.first { $0.name == "pretests.echo" }!
        #expect(echo.notBefore == day("2026-05-31") && echo.lastDone == day("2026-04-28"))
        #expect(plan.items.map(\.name).contains("labs.lvef"))
    }

    @Test func missingFactsWithoutAWindowAreListedOnce() throws {
        var facts = candidate()
        facts.birthDate = nil
        facts.exclusions = []
        let sets = [try exampleCriteria(regional), try exampleCriteria(heartland)]
        let plan = PretestPlan.plan(for: facts, candidates: sets, asOf: evaluationDay, submitBy: evaluationDay)
        #expect(plan.otherMissing.map(\.name) == ["birthDate", "exclusions.activeInfection", "exclusions.priorCarT"])
    }
}

@Suite("Differences from the regional standard")
struct DifferenceTests {
    @Test func aLabelPayerIsStricterInThreePlaces() throws {
        let differences = CriteriaDifference.between(try exampleCriteria(heartland), standard: try exampleCriteria(regional))
        #expect(differences.map(\.key) == ["ecog", "organ.lvef", "pretest.echo"])
        #expect(differences.allSatisfy { $0.kind == .stricter })
        #expect(differences[0].payer == "ECOG at most 1, assessed within 30 days" && differences[0].standard == "ECOG at most 2, assessed within 30 days")
        let reverse = CriteriaDifference.between(try exampleCriteria(regional), standard: try exampleCriteria(heartland))
        #expect(reverse.allSatisfy { $0.kind == .looser } && reverse.count == 3)
    }

    @Test func aPivotalTrialPayerAgainstTheStandard() throws {
        let differences = CriteriaDifference.between(try exampleCriteria(nationalHealth), standard: try exampleCriteria(regional))
        let kinds = Dictionary(uniqueKeysWithValues: differences.map { ($0.key, $0.kind) })
        #expect(kinds == [
            "basis": .different, "diagnosis": .stricter, "priorLines": .stricter, "age": .stricter, "ecog": .stricter,
            "organ.creatinineClearance": .stricter, "organ.lvef": .stricter, "organ.bilirubin": .onlyInPayer,
            "exclusion.cnsInvolvement": .onlyInPayer, "pretest.echo": .stricter, "pretest.id-panel": .stricter,
            "pretest.pft": .onlyInPayer, "expr.ldh-limit": .onlyInPayer, "expr.spo2-above-92": .onlyInPayer,
        ])
        #expect(differences.first { $0.key == "pretest.pft" }?.payerLine == 36)
    }

    @Test func mixedDirectionsAndMissingCriteria() {
        let standard = CriteriaSet(id: "std", version: 1, owner: .regionalStandard, product: "prd-yescarta", indication: "x", basis: .label,
            effectiveFrom: day("2026-01-01"), criteria: [Criterion(.age(minimum: 18, maximum: 80)), Criterion(.exclusion(.priorCarT))])
        let payer = CriteriaSet(id: "p", version: 1, owner: .payer("pay-x"), product: "prd-yescarta", indication: "x", basis: .label,
            effectiveFrom: day("2026-01-01"), criteria: [Criterion(.age(minimum: 21, maximum: 85))])
        let differences = CriteriaDifference.between(payer, standard: standard)
        #expect(differences.map(\.kind) == [.different, .onlyInStandard])
        #expect(differences[1].key == "exclusion.priorCarT")
    }
}
