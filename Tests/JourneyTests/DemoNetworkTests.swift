import Foundation
import Testing
import Core
import CareNetwork
import Journey
import DemoNetwork

/// The default demo network, its journeys and summaries, built once for the suite.
private struct Replayed: Sendable {
    let demo: DemoNetwork
    let journeys: [CaseJourney]
    let summaries: [CaseSummary]

    static let standard = Replayed(DemoNetwork.build())
    static let large = Replayed(DemoNetwork.build(seed: 11, caseCount: 5_000))

    init(_ demo: DemoNetwork) {
        self.demo = demo
        var journeys: [CaseJourney] = []
        var summaries: [CaseSummary] = []
        for demoCase in demo.cases {
            var journey = CaseJourney(template: demoCase.template, referralDate: demoCase.record.referralDate)
            for event in demoCase.events {
                do { try journey.record(event, notAfter: demo.today) } catch {
                    Issue.record("\(demoCase.record.id) \(event.id) refused: \(error)")
                    break
                }
            }
            journeys.append(journey)
            summaries.append(CaseSummary(case: demoCase.record, journey: journey))
        }
        self.journeys = journeys
        self.summaries = summaries
    }

    func metrics(workflow: Workflow? = nil, modality: Modality? = nil) -> NetworkMetrics {
        let centers = Set(demo.centers.filter { workflow == nil || $0.workflow == workflow }.map(\.id))
        let products = Set(demo.products.filter { modality == nil || $0.modality == modality }.map(\.id))
        return NetworkMetrics(summaries: summaries.filter { centers.contains($0.centerID) && products.contains($0.productID) })
    }

    func days(_ stage: StageKey, in demoCase: DemoCase) -> (start: CalendarDate?, end: CalendarDate?) {
        let events = demoCase.events.filter { $0.stage == stage }
        return (events.first { $0.kind == .started }?.date, events.first { $0.kind == .completed }?.date)
    }
}

@Suite("Demo network")
struct DemoNetworkTests {
    @Test func everyDemoEventIsAcceptedInOrder() throws {
        for replayed in [Replayed.standard, Replayed.large] {
            #expect(zip(replayed.demo.cases, replayed.journeys).allSatisfy { $0.events.count == $1.events.count })
            for demoCase in replayed.demo.cases.prefix(50) {
                #expect(try demoCase.journey().events == demoCase.events)
            }
        }
    }

    @Test func casesStartWithTheReferralAndNeverRunPastToday() throws {
        let demo = Replayed.standard.demo
        #expect(demo.cases.count == 300)
        #expect(demo.today == DemoNetwork.defaultToday)
        let earliest = demo.today.adding(days: -DemoNetwork.referralWindowDays)
        var eventIDs = Set<JourneyEventID>()
        for (index, demoCase) in demo.cases.enumerated() {
            let record = demoCase.record
            #expect(record.id.rawValue == "case-" + String(format: "%05d", index + 1))
            let first = try #require(demoCase.events.first)
            #expect(first.kind == .started && first.stage == .referral && first.date == record.referralDate)
            #expect(record.referralDate > earliest && record.referralDate <= demo.today)
            #expect(demoCase.events.allSatisfy { $0.date <= demo.today && $0.date >= record.referralDate })
            #expect(zip(demoCase.events, demoCase.events.dropFirst()).allSatisfy { $0.date <= $1.date })
            for (n, event) in demoCase.events.enumerated() {
                #expect(event.id.rawValue == "evt-\(record.id.rawValue.dropFirst(5))-\(n + 1)")
                #expect(eventIDs.insert(event.id).inserted)
            }
        }
        #expect(zip(demo.cases, demo.cases.dropFirst()).allSatisfy { $0.record.referralDate <= $1.record.referralDate })
    }

    @Test func identifiersPassValidation() throws {
        let demo = Replayed.standard.demo
        for demoCase in demo.cases {
            _ = try CaseID.validated(demoCase.record.id.rawValue, field: "id")
            for event in demoCase.events { _ = try JourneyEventID.validated(event.id.rawValue, field: "id") }
        }
        for center in demo.centers { _ = try CenterID.validated(center.id.rawValue, field: "id") }
        for plan in demo.plans { _ = try PlanID.validated(plan.id.rawValue, field: "id") }
    }

    @Test func referenceDataMatchesTheBrief() throws {
        let demo = Replayed.standard.demo
        let prices = Dictionary(uniqueKeysWithValues: demo.products.map { ($0.name, $0.listPrice.description) })
        let expected: [String: String] = [
            "Kymriah": "$475,000.00", "Yescarta": "$373,000.00", "Tecartus": "$373,000.00",
            "Breyanzi": "$487,477.00", "Abecma": "$419,500.00", "Carvykti": "$465,000.00",
            "Aucatzyl": "$525,000.00", "Casgevy": "$2,200,000.00", "Lyfgenia": "$3,100,000.00",
        ]
        #expect(prices == expected)
        for product in demo.products {
            let template = try #require(JourneyTemplate.named(product.journeyTemplate))
            #expect(template.id == (product.modality == .carT ? "car-t" : "gene-therapy"))
            if product.modality == .carT {
                #expect((14...25).contains(product.typicalManufacturingDays), "\(product.name)")
            } else {
                #expect(product.typicalManufacturingDays > 45, "\(product.name)")
            }
        }
        #expect(demo.products.first { $0.name == "Yescarta" }?.typicalManufacturingDays == 17)

        #expect(demo.centers.count == 10)
        #expect(Set(demo.centers.map(\.state)).count >= 5)
        #expect(Set(demo.centers.map(\.workflow)) == [.parallel, .linear])
        for center in demo.centers {
            #expect(TimeZone(identifier: center.timeZone) != nil, "\(center.timeZone)")
            #expect(center.accreditations.contains(.factImmuneEffectorCells))
        }
        #expect(demo.payers.count == 8)
        #expect(Set(demo.payers.map(\.kind)) == Set(PayerKind.allCases))
        #expect(demo.payers.filter { $0.kind == .medicaid }.allSatisfy { $0.state != nil })
        let payerIDs = Set(demo.payers.map(\.id))
        #expect(demo.plans.allSatisfy { payerIDs.contains($0.payerID) })
        #expect(Set(demo.plans.map(\.payerID)) == payerIDs)
        #expect(demo.directory.product("prd-kymriah")?.name == "Kymriah")
    }

    @Test func casesPatientsAndCoverageAgree() throws {
        let demo = Replayed.standard.demo
        let directory = demo.directory
        let patients = Dictionary(uniqueKeysWithValues: demo.patients.map { ($0.id, $0) })
        let identifiers = Dictionary(uniqueKeysWithValues: demo.personalIdentifiers.map { ($0.patientID, $0) })
        let coverage = Dictionary(grouping: demo.coveragePeriods, by: \.patientID)
        #expect(patients.count == demo.cases.count)
        for demoCase in demo.cases {
            let record = demoCase.record
            let product = try #require(directory.product(record.productID))
            let center = try #require(directory.center(record.centerID))
            #expect(directory.payer(record.payerID) != nil)
            #expect(record.templateID == product.journeyTemplate)
            if product.modality == .exVivoGeneTherapy { #expect(center.accreditations.contains(.factTransplant)) }
            let patient = try #require(patients[record.patientID])
            let person = try #require(identifiers[record.patientID])
            #expect(person.birthDate.year == patient.birthYear)
            #expect(person.birthDate < record.referralDate)
            #expect(person.postalCode.count == 5 && person.postalCode.allSatisfy(\.isNumber))
            #expect(person.phone?.contains("-555-01") == true)
            let periods = try #require(coverage[record.patientID])
            // Whoever covered the patient at referral is the case's payer.
            #expect(periods.inForce(on: record.referralDate)?.payerID == record.payerID)
            #expect(periods.allSatisfy { $0.start <= demo.today })
            if periods.count == 2 {
                let (first, second) = (periods[0], periods[1])
                #expect(first.end == second.start.adding(days: -1))
                #expect(second.start > record.referralDate)
                #expect(second.payerID != first.payerID)
            }
        }
        let churned = coverage.values.filter { $0.count == 2 }.count
        #expect(churned > 0 && churned < demo.cases.count / 4)
    }

    @Test func mediansFallInThePublishedRanges() throws {
        let replayed = Replayed.standard
        let all = try #require(replayed.metrics().interval("referral_to_infusion")?.distribution.median)
        // Hu 2024 (62 days) to Battiwalla 2025 (143 days).
        #expect((60...143).contains(all))
        let parallel = try #require(replayed.metrics(workflow: .parallel, modality: .carT).interval("referral_to_infusion")?.distribution.median)
        let linear = try #require(replayed.metrics(workflow: .linear, modality: .carT).interval("referral_to_infusion")?.distribution.median)
        // Seed 004 focus groups: about 70 days working in parallel, about 100 working linearly.
        #expect((55...85).contains(parallel), "parallel median \(parallel)")
        #expect((85...120).contains(linear), "linear median \(linear)")
        #expect(parallel + 15 < linear)
    }

    @Test func aboutTwoInFiveIntendedPatientsAreNotInfused() throws {
        for replayed in [Replayed.standard, Replayed.large] {
            let metrics = replayed.metrics()
            // Battiwalla 2025: 41% of 357 intended patients never infused.
            let share = try #require(metrics.lostBeforeInfusionShare)
            #expect((0.28...0.5).contains(share), "lost share \(share)")
            #expect(metrics.openCount > 0)
            let reasons = Set(metrics.losses.map(\.reason))
            #expect(reasons == Set(LossReason.allCases))
            // Progression is the commonest reason while waiting for CAR-T.
            #expect(metrics.losses.max { $0.count < $1.count }?.reason == .progression)
        }
    }

    @Test func stageDurationsFollowTheFigures() throws {
        let replayed = Replayed.large
        let payers = Dictionary(uniqueKeysWithValues: replayed.demo.payers.map { ($0.id, $0) })
        let products = Dictionary(uniqueKeysWithValues: replayed.demo.products.map { ($0.id, $0) })
        var agreementNeeded = 0, commercialClosedBenefits = 0
        var yescartaManufacturing: [Int] = []
        for demoCase in replayed.demo.cases {
            let kind = try #require(payers[demoCase.record.payerID]?.kind)
            let product = try #require(products[demoCase.record.productID])
            let bi = replayed.days(.benefitsInvestigation, in: demoCase)
            if let start = bi.start, let end = bi.end { #expect((1...14).contains(start.days(until: end))) }

            let pa = replayed.days(.priorAuthorization, in: demoCase)
            let paEvents = demoCase.events.filter { $0.stage == .priorAuthorization }
            let appealed = paEvents.contains { $0.kind == .blocked && $0.reason?.contains("appeal") == true }
            if let start = pa.start, let end = pa.end {
                #expect((2...(appealed ? 30 : 21)).contains(start.days(until: end)))
                // CMS-0057-F: Medicare Advantage and Medicaid decide standard requests within 7 days from 2026.
                if (kind == .medicareAdvantage || kind == .medicaid), start >= day("2026-01-01"), !appealed {
                    #expect(start.days(until: end) <= 7)
                }
            }
            let faEvents = demoCase.events.filter { $0.stage == .financialAgreement }
            if kind == .medicare, let first = faEvents.first {
                #expect(first.kind == .cancelled && first.reason?.contains("Medicare") == true)
            }
            if kind == .medicare, let first = paEvents.first {
                #expect(first.kind == .cancelled && first.reason?.contains("Medicare") == true)
            }
            if kind == .commercial, let first = faEvents.first {
                commercialClosedBenefits += 1
                if first.kind == .started { agreementNeeded += 1 }
            }
            let fa = replayed.days(.financialAgreement, in: demoCase)
            if let start = fa.start, let end = fa.end { #expect((1...150).contains(start.days(until: end))) }

            // Apheresis (or mobilization) waits for authorization and agreement unless at risk.
            let gate: StageKey = product.modality == .carT ? .apheresis : .mobilization
            if let gateEvent = demoCase.events.first(where: { $0.stage == gate && $0.kind == .started }) {
                let agreementDone = faEvents.first { $0.kind == .completed || $0.kind == .cancelled }?.date
                if gateEvent.atRiskOverride == nil {
                    #expect(agreementDone.map { $0 <= gateEvent.date } == true)
                } else {
                    #expect(agreementDone.map { $0 > gateEvent.date } ?? true)
                }
            }
            if product.modality == .carT {
                let ld = replayed.days(.lymphodepletion, in: demoCase)
                let infusion = replayed.days(.infusion, in: demoCase)
                if let ldStart = ld.start, let infused = infusion.end {
                    #expect((5...7).contains(ldStart.days(until: infused)))
                    #expect(infusion.start == infused)
                    #expect(replayed.days(.followUp, in: demoCase).start == infused)
                }
                let manufacturing = replayed.days(.manufacturing, in: demoCase)
                if product.name == "Yescarta", let start = manufacturing.start, let end = manufacturing.end {
                    yescartaManufacturing.append(start.days(until: end))
                }
            } else if let infused = replayed.days(.infusion, in: demoCase).end {
                #expect(replayed.days(.conditioning, in: demoCase).end.map { $0 < infused } == true)
                let mobilization = try #require(replayed.days(.mobilization, in: demoCase).start)
                let released = try #require(replayed.days(.manufacturing, in: demoCase).end)
                #expect((50...140).contains(mobilization.days(until: released)))
            }
        }
        // 68% of commercial cases needed a single-case agreement (2025 abstract).
        let agreementShare = Double(agreementNeeded) / Double(commercialClosedBenefits)
        #expect((0.6...0.76).contains(agreementShare), "agreement share \(agreementShare)")
        let axiCel = Distribution(yescartaManufacturing)
        #expect((15...19).contains(axiCel.median ?? 0), "axi-cel manufacturing median \(axiCel.median ?? 0)")
    }

    @Test func atRiskStartsAndBlocksCarReasons() {
        let cases = Replayed.large.demo.cases
        let overrides = cases.flatMap(\.events).filter { $0.atRiskOverride != nil }
        #expect(!overrides.isEmpty)
        #expect(overrides.allSatisfy { ($0.stage == .apheresis || $0.stage == .mobilization) && $0.kind == .started })
        let blocks = cases.flatMap(\.events).filter { $0.kind == .blocked || $0.kind == .cancelled }
        #expect(blocks.count > 100)
        #expect(blocks.allSatisfy { $0.reason?.isEmpty == false })
        let losses = cases.flatMap(\.events).filter { $0.kind == .lost }
        #expect(losses.allSatisfy { $0.lossReason != nil })
        #expect(Replayed.large.journeys.filter { $0.state(of: .apheresis).atRiskOverride != nil }.count > 10)
    }

    @Test func parallelCentersBottleneckLessOnTheSteps() throws {
        let parallel = Replayed.large.metrics(workflow: .parallel, modality: .carT)
        let linear = Replayed.large.metrics(workflow: .linear, modality: .carT)
        func critical(_ metrics: NetworkMetrics, _ stage: StageKey) -> Double {
            metrics.bottlenecks.first { $0.stage == stage }?.meanCriticalDays ?? 0
        }
        // The uncontrollable stages cost the same; the controllable ones cost linear centers more.
        #expect(abs(critical(parallel, .manufacturing) - critical(linear, .manufacturing)) < 3)
        let steps: [StageKey] = [.referral, .benefitsInvestigation, .priorAuthorization, .financialAgreement, .apheresis]
        let parallelSteps: Double = steps.map { critical(parallel, $0) }.reduce(0, +)
        let linearSteps: Double = steps.map { critical(linear, $0) }.reduce(0, +)
        #expect(parallelSteps + 15 < linearSteps)
        for metrics in [parallel, linear] {
            let mean = try #require(metrics.interval("referral_to_infusion")?.distribution.mean)
            #expect(abs(metrics.bottlenecks.reduce(0) { $0 + $1.meanCriticalDays } - mean) < 1e-6)
        }
    }

    @Test func theSameSeedGivesTheSameNetwork() {
        let first = DemoNetwork.build(seed: 7, caseCount: 200)
        let second = DemoNetwork.build(seed: 7, caseCount: 200)
        #expect(first == second)
        let other = DemoNetwork.build(seed: 8, caseCount: 200)
        #expect(other.cases.map(\.events) != first.cases.map(\.events))
        #expect(other.centers == first.centers && other.products == first.products)
    }

    @Test func theTodayParameterMovesTheWindow() throws {
        let today = day("2025-06-30")
        let demo = DemoNetwork.build(seed: 3, caseCount: 100, today: today)
        #expect(demo.cases.allSatisfy { $0.events.allSatisfy { $0.date <= today } })
        #expect(demo.cases.allSatisfy { $0.record.referralDate > today.adding(days: -DemoNetwork.referralWindowDays) })
        #expect(demo.coveragePeriods.allSatisfy { $0.start <= today })
    }

    @Test func anEmptyNetworkStillHasItsReferenceData() {
        let demo = DemoNetwork.build(caseCount: 0)
        #expect(demo.cases.isEmpty && demo.patients.isEmpty && demo.coveragePeriods.isEmpty)
        #expect(demo.eventCount == 0)
        #expect(demo.centers.count == 10 && demo.products.count == 9)
    }

    @Test func scalesLinearlyAtAboutTenEventsPerCase() {
        // The benchmark builds 100,000 cases (≈1.3 million events, well under a second in
        // release); a debug test checks the rate on 5,000.
        let demo = Replayed.large.demo
        #expect(demo.cases.count == 5_000)
        let perCase = Double(demo.eventCount) / 5_000
        #expect((10...16).contains(perCase), "events per case \(perCase)")
    }
}

@Suite("Demo custody")
struct DemoCustodyTests {
    @Test("every demo custody log passes the chain-of-identity rules and verifies", arguments: [UInt64(2026), 7, 11, 99])
    func custodyLogsAreValid(seed: UInt64) throws {
        let demo = DemoNetwork.build(seed: seed, caseCount: 400)
        let chains = demo.custodyRecords()
        #expect(!chains.isEmpty)
        for item in chains {
            var chain: [CustodyEntry] = []
            for record in item.records { chain.append(try CustodyChain.append(record, to: chain, caseID: item.caseID)) }
            #expect(CustodyChain.verify(chain).intact)
            let infused = try #require(demo.cases.first { $0.record.id == item.caseID }).journey().status == .infused
            #expect((chain.last?.kind == .infusion) == infused)
        }
    }
}
