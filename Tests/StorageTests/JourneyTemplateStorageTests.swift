import CareNetwork
import Core
import Foundation
import Journey
import Storage
import Testing

/// A filed template for storage tests: referral, an eligibility test, infusion.
func filedTemplate(version: Int = 1, testName: String = "Eligibility test", extraStage: Bool = false) -> (template: JourneyTemplate, text: String) {
    var text = """
        format: curepath.journey/v1
        id: eligibility-first
        version: \(version)
        name: Eligibility first
        infusionStage: infusion
        stages:
          - { key: referral, name: Referral }
          - { key: eligibility_test, name: \(testName), waitsFor: [{ stage: referral, kind: start-to-start }] }
          - key: infusion
            name: Infusion
            waitsFor: [{ stage: eligibility_test, kind: finish-to-start }]

        """
    if extraStage {
        text += "  - { key: home_monitoring, name: Home monitoring, waitsFor: [{ stage: infusion, kind: finish-to-start }] }\n"
    }
    return (try! JourneyTemplateFile.parse(text), text)
}

/// A product that names `template`, added the way an operator's directory entry would be.
func product(_ id: String, template: String) -> Product {
    Product(
        id: ProductID(id), name: "Vectorgen", genericName: "vectorgene abeparvovec", manufacturer: "Vector Bio", modality: .inVivoGeneTherapy,
        listPrice: Money(dollars: 2_900_000), journeyTemplate: template, typicalManufacturingDays: 0, indications: "a rare monogenic disease")
}

@Suite("Filed journey templates")
struct JourneyTemplateStorageTests {
    @Test("a filed version reads back exactly, filing it again changes nothing, and it is never rewritten", arguments: TestDatabase.available)
    func fileAndRead(database: TestDatabase) async throws {
        try await database.withStore { store in
            let first = filedTemplate()
            #expect(try await store.journeyTemplates.file(first.template, document: first.text, filedBy: "usr-op") == .stored(version: 1))
            #expect(try await store.journeyTemplates.file(first.template, document: first.text, filedBy: "usr-op") == .alreadyStored(version: 1))
            #expect(try await store.journeyTemplates.document(of: "eligibility-first", version: 1) == first.text)
            #expect(try await store.journeyTemplates.template(for: "eligibility-first") == first.template)

            // A different file under the filed version is a conflict; the stored one stays.
            let changed = filedTemplate(testName: "Antibody screen")
            await #expect(throws: StorageError.self) {
                try await store.journeyTemplates.file(changed.template, document: changed.text, filedBy: nil)
            }
            #expect(try await store.journeyTemplates.document(of: "eligibility-first", version: 1) == first.text)

            // A change is a new version; the old one is kept and still found by its pinned reference.
            let second = filedTemplate(version: 2, testName: "Antibody screen")
            #expect(try await store.journeyTemplates.file(second.template, document: second.text, filedBy: nil) == .stored(version: 2))
            #expect(try await store.journeyTemplates.template(for: "eligibility-first")?.version == 2)
            #expect(try await store.journeyTemplates.template(for: "eligibility-first@1") == first.template)
            let catalog = try await store.journeyTemplates.catalog()
            #expect(catalog.filed.map(\.reference) == ["eligibility-first@1", "eligibility-first@2"])
            #expect(catalog.current.map(\.reference) == ["car-t", "gene-therapy", "in-vivo-gene-therapy", "eligibility-first@2"])

            // Numbering may skip, but goes up only.
            let fourth = filedTemplate(version: 4)
            #expect(try await store.journeyTemplates.file(fourth.template, document: fourth.text, filedBy: nil) == .stored(version: 4))
            let third = filedTemplate(version: 3)
            let refusal = await #expect(throws: ValidationError.self) {
                try await store.journeyTemplates.file(third.template, document: third.text, filedBy: nil)
            }
            #expect(refusal?.issues.first?.field == "version")
            #expect(try await store.journeyTemplates.catalog().filed.map(\.version) == [1, 2, 4])
        }
    }

    @Test("a shipped template's id cannot be filed", arguments: TestDatabase.available)
    func shippedIdsAreReserved(database: TestDatabase) async throws {
        try await database.withStore { store in
            let text = filedTemplate().text.replacingOccurrences(of: "id: eligibility-first", with: "id: car-t")
            let impostor = try JourneyTemplateFile.parse(text)
            let error = await #expect(throws: ValidationError.self) {
                try await store.journeyTemplates.file(impostor, document: text, filedBy: nil)
            }
            #expect(error?.issues.first?.rule == "reserved")
            #expect(try await store.journeyTemplates.template(for: "car-t") == .carT)
            #expect(try await store.journeyTemplates.catalog().filed.isEmpty)
        }
    }

    @Test("a case keeps the template version it was opened with", arguments: TestDatabase.available)
    func casesPinTheirVersion(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            try await store.reference.insert(Directory(products: [product("prd-vectorgen", template: "eligibility-first")]))
            let first = filedTemplate()
            _ = try await store.journeyTemplates.file(first.template, document: first.text, filedBy: nil)

            var record = Fixtures.newCase(id: "case-pinned")
            record.productID = "prd-vectorgen"
            record.templateID = "eligibility-first"
            _ = try await store.cases.open(record)
            #expect(try await store.cases.find("case-pinned")?.templateID == "eligibility-first@1")

            // Version 2 renames a stage and adds one; the open case still follows version 1.
            let second = filedTemplate(version: 2, testName: "Antibody screen", extraStage: true)
            _ = try await store.journeyTemplates.file(second.template, document: second.text, filedBy: nil)
            _ = try await store.cases.record(Fixtures.event("e1", .started, "eligibility_test", "2026-03-03"), on: "case-pinned", notAfter: nil)
            let history = try #require(try await store.cases.history(of: "case-pinned"))
            #expect(history.journey.template == first.template)
            #expect(history.journey.template.stage("eligibility_test")?.name == "Eligibility test")
            let refused = await #expect(throws: ValidationError.self) {
                try await store.cases.record(Fixtures.event("e2", .started, "home_monitoring", "2026-03-04"), on: "case-pinned", notAfter: nil)
            }
            #expect(refused?.issues.first?.rule == "unknown-stage")

            // A case opened now gets version 2.
            var later = Fixtures.newCase(id: "case-later")
            later.productID = "prd-vectorgen"
            later.templateID = "eligibility-first"
            _ = try await store.cases.open(later)
            #expect(try await store.cases.find("case-later")?.templateID == "eligibility-first@2")
            // Opening again is a harmless retry.
            #expect(try await store.cases.open(later) == .alreadyRecorded(sequence: 1))
        }
    }

    @Test("a case naming no known template is refused and nothing is written", arguments: TestDatabase.available)
    func unknownTemplate(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            var record = Fixtures.newCase(id: "case-nowhere")
            record.templateID = "never-filed"
            let error = await #expect(throws: ValidationError.self) { try await store.cases.open(record) }
            #expect(error?.issues.first?.field == "templateID")
            #expect(try await store.cases.find("case-nowhere") == nil)
        }
    }

    @Test("an in vivo gene therapy case opens, reaches infusion and counts in the network metrics", arguments: TestDatabase.available)
    func inVivoCase(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            try await store.reference.insert(Directory(products: [product("prd-invivo", template: "in-vivo-gene-therapy")]))
            var record = Fixtures.newCase(id: "case-invivo", referral: Fixtures.date("2026-02-02"))
            record.productID = "prd-invivo"
            record.templateID = "in-vivo-gene-therapy"
            _ = try await store.cases.open(record)
            let steps: [(JourneyEventKind, StageKey, String)] = [
                (.started, .benefitsInvestigation, "2026-02-02"), (.started, .pretreatmentTesting, "2026-02-03"),
                (.started, .priorAuthorization, "2026-02-04"), (.started, .financialAgreement, "2026-02-04"),
                (.completed, .benefitsInvestigation, "2026-02-06"), (.completed, .referral, "2026-02-09"),
                (.completed, .pretreatmentTesting, "2026-02-17"), (.completed, .priorAuthorization, "2026-02-20"),
                (.completed, .financialAgreement, "2026-02-25"), (.started, .infusion, "2026-03-02"), (.completed, .infusion, "2026-03-02"),
            ]
            var status = CaseStatus.open
            for (index, step) in steps.enumerated() {
                status = try await store.cases.record(Fixtures.event("iv-\(index)", step.0, step.1, step.2), on: "case-invivo", notAfter: nil).caseStatus
            }
            #expect(status == .infused)
            #expect(try await store.cases.find("case-invivo")?.templateID == "in-vivo-gene-therapy")
            let metrics = NetworkMetrics(summaries: try await store.cases.summaries(JourneyFilter(productID: "prd-invivo")))
            #expect(metrics.caseCount == 1)
            #expect(metrics.interval("referral_to_infusion")?.distribution.median == 28)
            #expect(metrics.interval("stage:apheresis") == nil)
        }
    }
}
