import Testing
import Foundation
import Core
import CareNetwork
import Journey

/// The templates exactly as `JourneyTemplate.swift` wrote them in code before they became
/// files: the shipped files must read to these, so no stored case changes behaviour.
enum TemplatesBeforeFiles {
    static let carT = JourneyTemplate(
        id: "car-t", name: "Autologous CAR-T",
        stages: [
            Stage(key: .referral, name: "Referral"),
            Stage(key: .benefitsInvestigation, name: "Benefits investigation", dependencies: [Dependency(.referral, .startToStart)], skippable: true),
            Stage(key: .priorAuthorization, name: "Prior authorization", dependencies: [Dependency(.benefitsInvestigation, .startToStart)], skippable: true),
            Stage(key: .financialAgreement, name: "Financial agreement", dependencies: [Dependency(.benefitsInvestigation, .startToStart)], skippable: true),
            Stage(key: .apheresis, name: "Apheresis", dependencies: [
                Dependency(.referral, .finishToStart),
                Dependency(.priorAuthorization, .finishToStart, overridable: true),
                Dependency(.financialAgreement, .finishToStart, overridable: true),
            ]),
            Stage(key: .manufacturing, name: "Manufacturing", dependencies: [Dependency(.apheresis, .finishToStart)], controllable: false),
            Stage(key: .lymphodepletion, name: "Lymphodepletion", dependencies: [Dependency(.manufacturing, .finishToStart)], controllable: false),
            Stage(key: .infusion, name: "Infusion", dependencies: [Dependency(.lymphodepletion, .finishToStart)], controllable: false),
            Stage(key: .followUp, name: "Follow-up", dependencies: [Dependency(.infusion, .finishToStart)]),
        ],
        infusionStage: .infusion)

    static let geneTherapy = JourneyTemplate(
        id: "gene-therapy", name: "Ex vivo gene therapy",
        stages: [
            Stage(key: .referral, name: "Referral"),
            Stage(key: .benefitsInvestigation, name: "Benefits investigation", dependencies: [Dependency(.referral, .startToStart)], skippable: true),
            Stage(key: .priorAuthorization, name: "Prior authorization", dependencies: [Dependency(.benefitsInvestigation, .startToStart)], skippable: true),
            Stage(key: .financialAgreement, name: "Financial agreement", dependencies: [Dependency(.benefitsInvestigation, .startToStart)], skippable: true),
            Stage(key: .mobilization, name: "Mobilization", dependencies: [
                Dependency(.referral, .finishToStart),
                Dependency(.priorAuthorization, .finishToStart, overridable: true),
                Dependency(.financialAgreement, .finishToStart, overridable: true),
            ]),
            Stage(key: .apheresis, name: "Apheresis", dependencies: [Dependency(.mobilization, .finishToStart)]),
            Stage(key: .manufacturing, name: "Manufacturing", dependencies: [Dependency(.apheresis, .finishToStart)], controllable: false),
            Stage(key: .conditioning, name: "Myeloablative conditioning", dependencies: [Dependency(.manufacturing, .finishToStart)], controllable: false),
            Stage(key: .infusion, name: "Infusion", dependencies: [Dependency(.conditioning, .finishToStart)], controllable: false),
            Stage(key: .inpatientRecovery, name: "Inpatient recovery", dependencies: [Dependency(.infusion, .finishToStart)], controllable: false),
            Stage(key: .longTermFollowUp, name: "Long-term follow-up", dependencies: [Dependency(.infusion, .finishToStart)]),
        ],
        infusionStage: .infusion)
}

/// A small valid template to break one way at a time.
let minimalTemplate = """
    format: curepath.journey/v1
    id: two-step
    version: 1
    name: Two steps
    infusionStage: infusion
    stages:
      - key: referral
        name: Referral
      - key: infusion
        name: Infusion
        waitsFor:
          - stage: referral
            kind: finish-to-start
    """

/// The refusal of `text`, or a failed expectation when it reads.
func refusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JourneyTemplateFileError? {
    do {
        let template = try JourneyTemplateFile.parse(text)
        Issue.record("expected a refusal, read \(template.id)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

@Suite("Journey template files: the shipped templates")
struct ShippedJourneyTemplateTests {
    @Test func theShippedCARTAndExVivoFilesReadToExactlyWhatTheCodeDefinedBefore() {
        #expect(JourneyTemplate.carT == TemplatesBeforeFiles.carT)
        #expect(JourneyTemplate.geneTherapy == TemplatesBeforeFiles.geneTherapy)
        #expect(JourneyTemplate.builtIn.map(\.id) == ["car-t", "gene-therapy", "in-vivo-gene-therapy"])
    }

    @Test func theInVivoTemplateHasOneInfusionAndNoCellCollectionManufacturingOrConditioning() throws {
        let template = JourneyTemplate.inVivoGeneTherapy
        let keys = template.stages.map(\.key)
        for absent: StageKey in [.apheresis, .mobilization, .manufacturing, .lymphodepletion, .conditioning] {
            #expect(!keys.contains(absent), "in vivo template has \(absent)")
        }
        #expect(keys.filter { $0 == .infusion }.count == 1)
        #expect(template.infusionStage == .infusion)
        #expect(keys.first == .referral)
        #expect(keys.contains(.pretreatmentTesting))
        #expect(template.postInfusionStages == [.followUp, .longTermFollowUp])
        let infusion = try #require(template.stage(.infusion))
        #expect(Set(infusion.dependencies.map(\.predecessor)) == [.referral, .pretreatmentTesting, .priorAuthorization, .financialAgreement])
        #expect(infusion.dependencies.filter(\.overridable).map(\.predecessor) == [.priorAuthorization, .financialAgreement])
    }

    @Test func theShippedFilesAreTheExampleFilesAndReadAsJSONToo() throws {
        for file in JourneyTemplate.shippedFiles {
            #expect(try JourneyTemplateFile.parse(file.document) == file.template)
            #expect(file.template.reference == file.template.id, "shipped templates are referenced by id alone")
        }
        // The same template written as JSON (which is YAML) reads the same.
        let json = """
            {"format": "curepath.journey/v1", "id": "two-step", "version": 1, "name": "Two steps", "infusionStage": "infusion",
             "stages": [{"key": "referral", "name": "Referral"},
                        {"key": "infusion", "name": "Infusion", "waitsFor": [{"stage": "referral", "kind": "finish-to-start"}]}]}
            """
        #expect(try JourneyTemplateFile.parse(json) == JourneyTemplateFile.parse(minimalTemplate))
    }

    @Test func anInVivoCaseRunsFromReferralToInfusionAndItsMetricsCompute() throws {
        var journey = CaseJourney(template: .inVivoGeneTherapy, referralDate: day("2026-02-02"))
        try journey.record([
            event(.started, .referral, "2026-02-02"),
            event(.started, .benefitsInvestigation, "2026-02-02"),
            event(.started, .pretreatmentTesting, "2026-02-03"),
            event(.started, .priorAuthorization, "2026-02-04"),
            event(.started, .financialAgreement, "2026-02-04"),
            event(.completed, .benefitsInvestigation, "2026-02-06"),
            event(.completed, .referral, "2026-02-09"),
            event(.completed, .pretreatmentTesting, "2026-02-17"),
            event(.completed, .priorAuthorization, "2026-02-20"),
        ])
        // Infusion waits for the agreement unless the center takes the risk.
        let refused = #expect(throws: ValidationError.self) { try journey.record(event(.started, .infusion, "2026-02-23")) }
        #expect(refused?.issues.first?.rule == "dependency")
        try journey.record([
            event(.completed, .financialAgreement, "2026-02-25"),
            event(.started, .infusion, "2026-03-02"),
            event(.completed, .infusion, "2026-03-02"),
            event(.started, .followUp, "2026-03-03"),
        ])
        #expect(journey.status == .infused)
        let metrics = CaseMetrics(journey: journey, asOf: day("2026-03-10"))
        #expect(metrics.referralToInfusionDays == 28)
        let path = try #require(metrics.criticalPath)
        #expect(path.totalDays == 28)
        #expect(!path.contains(.apheresis) && !path.contains(.manufacturing))
        #expect(path.contains(.financialAgreement))
    }
}

@Suite("Journey template files: refusals name the line, column and field")
struct JourneyTemplateFileRefusalTests {
    @Test func aDependencyOnAnUnknownStageIsRefusedWithAHint() throws {
        let error = try #require(refusal(minimalTemplate.replacingOccurrences(of: "- stage: referral", with: "- stage: referal")))
        let issue = try #require(error.issues.first)
        #expect(issue.path == "stages[1].waitsFor[0].stage")
        #expect(issue.line == 12 && issue.column == 16)
        #expect(issue.rule == "unknown-stage")
        #expect(issue.problem.contains("did you mean referral?"))
        #expect(error.validationError.issues.first?.field == "line 12, column 16: stages[1].waitsFor[0].stage")
    }

    @Test func aDependencyOnALaterStageOrItselfIsRefusedSoNoCycleCanBeWritten() throws {
        let cycle = """
            format: curepath.journey/v1
            id: loop
            version: 1
            name: Loop
            infusionStage: infusion
            stages:
              - key: referral
                name: Referral
              - key: testing
                name: Testing
                waitsFor: [{ stage: infusion, kind: finish-to-start }]
              - key: infusion
                name: Infusion
                waitsFor: [{ stage: testing, kind: finish-to-start }, { stage: infusion, kind: start-to-start }]
            """
        let error = try #require(refusal(cycle))
        #expect(error.issues.map(\.rule) == ["stage-order", "stage-order"])
        #expect(error.issues[0].path == "stages[1].waitsFor[0].stage" && error.issues[0].line == 11)
        #expect(error.issues[0].problem.contains("listed after this one"))
        #expect(error.issues[1].path == "stages[2].waitsFor[1].stage" && error.issues[1].line == 14)
        #expect(error.issues[1].problem.contains("cannot wait for itself"))
    }

    @Test func aStageKeyGivenTwiceIsRefusedPointingAtTheFirst() throws {
        let text = minimalTemplate + """

              - key: referral
                name: Again
                waitsFor: [{ stage: infusion, kind: finish-to-start }]
            """
        let error = try #require(refusal(text))
        let issue = try #require(error.issues.first { $0.rule == "unique" })
        #expect(issue.path == "stages[2].key" && issue.line == 14)
        #expect(issue.problem.contains("stages[0] (line 7)"))
    }

    @Test func aKeyWrittenTwiceInOneMappingIsRefused() throws {
        let error = try #require(refusal(minimalTemplate.replacingOccurrences(of: "version: 1", with: "version: 1\nversion: 2")))
        #expect(error.issues.first?.rule == "unique")
        #expect(error.issues.first?.line != nil)
    }

    @Test(arguments: ["format", "id", "version", "name", "infusionStage", "stages"])
    func eachTopLevelFieldIsRequired(field: String) throws {
        let text = minimalTemplate.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("\(field):") }.joined(separator: "\n")
        // Removing `stages:` leaves its items dangling, which is a syntax error; blank it instead.
        let input = field == "stages" ? "format: curepath.journey/v1\nid: x\nversion: 1\nname: X\ninfusionStage: infusion\n" : text
        let error = try #require(refusal(input))
        let issue = try #require(error.issues.first { $0.path == field })
        #expect(issue.rule == "required")
        #expect(issue.line == 1)
    }

    @Test func stagesNeedAKeyANameAndAnEarlierStageToWaitFor() throws {
        let text = """
            format: curepath.journey/v1
            id: x
            version: 1
            name: X
            infusionStage: infusion
            stages:
              - name: Referral
              - key: testing
              - key: infusion
                name: Infusion
            """
        let error = try #require(refusal(text))
        let found = Set(error.issues.map { "\($0.path) \($0.rule ?? "")" })
        #expect(found.contains("stages[0].key required"))
        #expect(found.contains("stages[1].name required"))
        #expect(found.contains("stages[1].waitsFor required"))
        #expect(found.contains("stages[2].waitsFor required"))
    }

    @Test func aTemplateWithoutItsInfusionStageIsRefused() throws {
        let unknown = try #require(refusal(minimalTemplate.replacingOccurrences(of: "infusionStage: infusion", with: "infusionStage: infusoin")))
        #expect(unknown.issues.first?.rule == "infusion-stage")
        #expect(unknown.issues.first?.problem.contains("did you mean infusion?") == true)
        #expect(unknown.issues.first?.line == 5 && unknown.issues.first?.column == 16)

        let first = try #require(refusal(minimalTemplate.replacingOccurrences(of: "infusionStage: infusion", with: "infusionStage: referral")))
        #expect(first.issues.first?.rule == "infusion-stage")

        let skippable = try #require(refusal(minimalTemplate.replacingOccurrences(of: "    name: Infusion", with: "    name: Infusion\n    skippable: true")))
        #expect(skippable.issues.first?.rule == "infusion-stage")
        #expect(skippable.issues.first?.problem.contains("skippable") == true)
    }

    @Test func anUnknownDependencyKindIsRefusedWithTheKindsAllowed() throws {
        let error = try #require(refusal(minimalTemplate.replacingOccurrences(of: "kind: finish-to-start", with: "kind: finish-to-finish")))
        let issue = try #require(error.issues.first)
        #expect(issue.path == "stages[1].waitsFor[0].kind")
        #expect(issue.problem.contains("finish-to-start, start-to-start"))
        #expect(issue.line == 13)
    }

    @Test func unknownFieldsWrongTypesAndBadKeysAreEachNamed() throws {
        let text = """
            format: curepath.journey/v2
            id: "has space"
            version: "1"
            name: X
            infusionStage: infusion
            stages:
              - key: Referral
                name: Referral
                skipable: true
              - key: infusion
                name: Infusion
                controllable: yes
                waitsFor:
                  - { stage: Referral, kind: finish-to-start, overridable: 1 }
            """
        let error = try #require(refusal(text))
        let byPath = Dictionary(error.issues.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byPath["format"]?.rule == "format")
        #expect(byPath["id"]?.problem.contains("letters, digits") == true)
        #expect(byPath["version"]?.problem.contains("not quoted text") == true)
        #expect(byPath["stages[0].key"]?.problem.contains("lowercase") == true)
        #expect(byPath["stages[0].skipable"]?.problem.contains("did you mean skippable?") == true)
        #expect(byPath["stages[0].skipable"]?.rule == "unknown-key")
        #expect(byPath["stages[1].controllable"]?.problem.contains("true or false") == true)
        #expect(byPath["stages[1].waitsFor[0].overridable"] != nil)
        #expect(error.issues.allSatisfy { $0.line != nil })
        // Issues come in file order.
        #expect(error.issues.map { $0.line ?? 0 } == error.issues.map { $0.line ?? 0 }.sorted())
    }

    @Test func aPredecessorListedTwiceAndEmptyStageListsAreRefused() throws {
        let twice = try #require(refusal(minimalTemplate + "\n      - stage: referral\n        kind: start-to-start"))
        #expect(twice.issues.first?.rule == "unique")
        let empty = try #require(refusal("format: curepath.journey/v1\nid: x\nversion: 1\nname: X\ninfusionStage: infusion\nstages: []\n"))
        #expect(empty.issues.contains { $0.path == "stages" && $0.rule == "required" })
    }

    @Test func aTemplateMayNotHaveHundredsOfStages() throws {
        var text = "format: curepath.journey/v1\nid: x\nversion: 1\nname: X\ninfusionStage: s1\nstages:\n  - { key: s0, name: S }\n"
        for index in 1...(JourneyTemplateFile.maximumStages + 1) {
            text += "  - { key: s\(index), name: S, waitsFor: [{ stage: s\(index - 1), kind: finish-to-start }] }\n"
        }
        let error = try #require(refusal(text))
        #expect(error.issues.first?.rule == "size-limit")
        #expect(error.issues.first?.path == "stages")
    }
}

@Suite("Journey template files: hostile input is refused before it costs anything")
struct HostileJourneyTemplateTests {
    @Test func aHugeFileIsRefusedBeforeParsing() throws {
        let huge = minimalTemplate + "\n# " + String(repeating: "x", count: JourneyTemplateFile.limits.maximumBytes)
        let error = try #require(refusal(huge))
        #expect(error.issues.first?.rule == "size-limit")
        #expect(error.issues.first?.line == nil)
    }

    @Test func deepNestingIsRefusedWithItsPlace() throws {
        let deep = minimalTemplate + "\n    extra: " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        let error = try #require(refusal(deep))
        #expect(error.issues.first?.rule == "depth")
        #expect(error.issues.first?.line != nil)
    }

    @Test func aliasesAnchorsMergeKeysAndTagsAreRefused() throws {
        let laughs = """
            a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            """
        let clock = ContinuousClock()
        let started = clock.now
        let anchors = try #require(refusal(laughs))
        #expect(clock.now - started < .seconds(1))
        #expect(anchors.issues.first?.rule == "anchors")
        #expect(anchors.issues.first?.line == 1)

        let merge = try #require(refusal(minimalTemplate.replacingOccurrences(of: "  - key: referral\n", with: "  - <<: { key: referral }\n    key: referral\n")))
        #expect(merge.issues.first?.rule == "anchors")

        let tag = try #require(refusal(minimalTemplate.replacingOccurrences(of: "version: 1", with: "version: !!int 1")))
        #expect(tag.issues.first?.rule == "tags")
    }

    @Test func tooManyValuesALongValueBadUTF8AndTwoDocumentsAreRefused() throws {
        let many = "format: curepath.journey/v1\nx: [" + Array(repeating: "1", count: JourneyTemplateFile.limits.maximumNodes).joined(separator: ",") + "]\n"
        #expect(try #require(refusal(many)).issues.first?.rule == "size-limit")

        let long = minimalTemplate.replacingOccurrences(of: "name: Two steps", with: "name: " + String(repeating: "y", count: 2_000))
        #expect(try #require(refusal(long)).issues.first?.rule == "size-limit")

        var bytes = Array(minimalTemplate.utf8)
        bytes.insert(contentsOf: [0xFF, 0xFE], at: 40)
        do {
            _ = try JourneyTemplateFile.parse(bytes)
            Issue.record("invalid UTF-8 was read")
        } catch {
            #expect(error.issues.first?.rule == "encoding")
        }

        #expect(try #require(refusal(minimalTemplate + "\n---\nid: second\n")).issues.first?.rule == "syntax")
    }

    @Test func aLongNameIsRefusedAtTheFieldAndControlCharactersAnywhere() throws {
        let long = try #require(refusal(minimalTemplate.replacingOccurrences(of: "name: Two steps", with: "name: " + String(repeating: "y", count: 300))))
        #expect(long.issues.first?.path == "name")
        let control = try #require(refusal(minimalTemplate.replacingOccurrences(of: "name: Two steps", with: "name: \"Two\\u0007steps\"")))
        #expect(control.issues.first?.path == "name")
    }
}

@Suite("Journey template catalog: one way to find a template")
struct JourneyTemplateCatalogTests {
    func filed(_ version: Int, name: String) throws -> JourneyTemplate {
        try JourneyTemplateFile.parse(minimalTemplate.replacingOccurrences(of: "version: 1", with: "version: \(version)")
            .replacingOccurrences(of: "name: Two steps", with: "name: \(name)"))
    }

    @Test func anIdNamesTheNewestVersionAndAPinnedReferenceItsOwn() throws {
        let catalog = JourneyTemplateCatalog(filed: [try filed(2, name: "Second"), try filed(1, name: "First")])
        #expect(catalog.template(for: "two-step")?.name == "Second")
        #expect(catalog.template(for: "two-step@1")?.name == "First")
        #expect(catalog.template(for: "two-step@3") == nil)
        #expect(catalog.template(for: "car-t") == .carT)
        #expect(catalog.template(for: "car-t@1") == nil, "shipped templates are referenced by id")
        #expect(try filed(2, name: "Second").reference == "two-step@2")
        #expect(catalog.current.map(\.id) == ["car-t", "gene-therapy", "in-vivo-gene-therapy", "two-step"])
        #expect(catalog.current.last?.version == 2)
    }

    @Test func aFiledTemplateCannotReplaceAShippedOne() throws {
        let impostor = try JourneyTemplateFile.parse(minimalTemplate.replacingOccurrences(of: "id: two-step", with: "id: car-t"))
        let catalog = JourneyTemplateCatalog(filed: [impostor])
        #expect(catalog.template(for: "car-t") == .carT)
        #expect(catalog.filed.isEmpty)
    }
}

@Suite("docs/JOURNEY.md: the worked example is true")
struct JourneyTemplateDocsTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/JOURNEY.md")

    @Test func theWorkedExampleIsTheShippedInVivoTemplateAndItsTypoReadsAsDocumented() throws {
        let text = try String(contentsOf: Self.docs, encoding: .utf8)
        let start = try #require(text.range(of: "```yaml\nformat: curepath.journey/v1\nid: in-vivo-gene-therapy\n"))
        let rest = text[start.lowerBound...].dropFirst("```yaml\n".count)
        let example = String(rest[..<(try #require(rest.range(of: "```")).lowerBound)])
        #expect(try JourneyTemplateFile.parse(example) == .inVivoGeneTherapy)

        let typo = example.replacingOccurrences(of: "{ stage: referral, kind: finish-to-start }", with: "{ stage: referal, kind: finish-to-start }")
        let error = try #require(refusal(typo))
        let documented = try #require(text.split(separator: "\n").first { $0.hasPrefix("line ") && $0.contains("referal") })
        #expect(error.issues.map(\.description) == [String(documented)])
    }
}

@Suite("Network metrics over filed templates")
struct FiledTemplateMetricsTests {
    @Test func stagesOnlyAFiledTemplateHasGetTheirIntervalsToo() throws {
        let template = try JourneyTemplateFile.parse(minimalTemplate
            .replacingOccurrences(of: "  - key: infusion\n", with: "  - key: antibody_screen\n    name: Antibody screen\n    waitsFor: [{ stage: referral, kind: start-to-start }]\n  - key: infusion\n")
            .replacingOccurrences(of: "      - stage: referral\n        kind: finish-to-start", with: "      - stage: antibody_screen\n        kind: finish-to-start"))
        var journey = CaseJourney(template: template, referralDate: day("2026-04-01"))
        try journey.record([
            event(.started, .referral, "2026-04-01"), event(.started, "antibody_screen", "2026-04-03"),
            event(.completed, .referral, "2026-04-05"), event(.completed, "antibody_screen", "2026-04-10"),
            event(.started, .infusion, "2026-04-14"), event(.completed, .infusion, "2026-04-14"),
        ])
        let record = Case(id: "case-f", patientID: "pat-f", productID: "prd-f", centerID: "ctr-f", payerID: "pay-f",
                          templateID: template.reference, referralDate: day("2026-04-01"))
        let metrics = NetworkMetrics(summaries: [CaseSummary(case: record, journey: journey)])
        #expect(metrics.interval("referral_to_infusion")?.distribution.median == 13)
        #expect(metrics.interval("stage:antibody_screen")?.distribution.median == 7)
        #expect(metrics.interval("wait:infusion")?.distribution.median == 4)
    }
}
