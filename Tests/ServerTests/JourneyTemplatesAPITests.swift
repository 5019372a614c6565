import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Journey
import NIOCore
import Server
import Storage
import Testing

/// Journey templates filed over HTTP, and a case of a product the demo never had (an in vivo
/// gene therapy) taken from opening to infusion, its metrics and its page.
@Suite("Journey templates over HTTP")
struct JourneyTemplatesAPITests {
    static let yaml: HTTPFields = [.contentType: "application/yaml"]

    static let template = """
        format: curepath.journey/v1
        id: screen-then-dose
        version: 1
        name: Screen, then dose
        infusionStage: infusion
        stages:
          - key: referral
            name: Referral
          - key: antibody_screen
            name: AAV antibody screen
            waitsFor:
              - stage: referral
                kind: start-to-start
          - key: infusion
            name: Infusion
            waitsFor:
              - stage: antibody_screen
                kind: finish-to-start

        """

    static func file(_ client: any TestClientProtocol, _ text: String) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/journey-templates", method: .post, headers: yaml, body: ByteBuffer(string: text)) { $0 }
    }

    @Test("the mediator's operator files a template; it is listed with the shipped ones; the same file again changes nothing")
    func operatorFiles() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let filed = try await Self.file(client, Self.template)
            #expect(filed.status == .created, "\(filed.text)")
            #expect(filed.object["reference"] as? String == "screen-then-dose@1")
            #expect(filed.object["shipped"] as? Bool == false)
            #expect(try await Self.file(client, Self.template).status == .ok)

            let listed = try await client.execute(uri: "/api/v1/journey-templates", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }
            #expect(listed.compactMap { $0["reference"] as? String } == ["car-t", "gene-therapy", "in-vivo-gene-therapy", "screen-then-dose@1"])
            let inVivo = try #require(listed.first { $0["id"] as? String == "in-vivo-gene-therapy" })
            let keys = (inVivo["stages"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
            #expect(!keys.contains("apheresis") && !keys.contains("manufacturing") && keys.contains("infusion"))

            // A filed version is never rewritten.
            let rewritten = try await Self.file(client, Self.template.replacingOccurrences(of: "AAV antibody screen", with: "Screen"))
            #expect(rewritten.status == .conflict)
            #expect(rewritten.headers[.contentType] == "application/problem+json")
            #expect(try await store.journeyTemplates.template(for: "screen-then-dose@1")?.stage("antibody_screen")?.name == "AAV antibody screen")

            // A shipped template cannot be replaced.
            let impostor = try await Self.file(client, Self.template.replacingOccurrences(of: "id: screen-then-dose", with: "id: car-t"))
            #expect(impostor.status == .unprocessableContent)
            #expect((impostor.object["errors"] as? [[String: Any]])?.first?["rule"] as? String == "reserved")
            #expect(try await store.journeyTemplates.template(for: "car-t") == .carT)
        }
    }

    @Test("nobody but the mediator's operator files templates: coordinators, payers, manufacturers and compliance get 403 and nothing is filed",
          arguments: [Role.centerCoordinator, .payerReviewer, .manufacturerAnalyst, .complianceOfficer, .identitySteward])
    func othersAreRefused(role: Role) async throws {
        try await TestApp.run(as: role) { client, store in
            let response = try await Self.file(client, Self.template)
            #expect(response.status == .forbidden)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try await store.journeyTemplates.catalog().filed.isEmpty)
            // Reading templates is reference data, open to every role.
            #expect(try await client.execute(uri: "/api/v1/journey-templates", method: .get) { $0.status } == .ok)
        }
    }

    @Test("a bad file is refused with problem+json naming each problem's line, column and field, and nothing is filed")
    func badFiles() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let typo = try await Self.file(client, Self.template.replacingOccurrences(of: "- stage: antibody_screen", with: "- stage: antibody_scren"))
            #expect(typo.status == .unprocessableContent)
            #expect(typo.headers[.contentType] == "application/problem+json")
            let issue = try #require((typo.object["errors"] as? [[String: Any]])?.first)
            #expect(issue["field"] as? String == "line 17, column 16: stages[2].waitsFor[0].stage")
            #expect(issue["rule"] as? String == "unknown-stage")
            #expect((issue["problem"] as? String)?.contains("did you mean antibody_screen?") == true)

            let laughs = "format: curepath.journey/v1\na: &a [lol, lol]\nb: [*a, *a]\n"
            let bomb = try await Self.file(client, laughs)
            #expect(bomb.status == .unprocessableContent)
            #expect(bomb.text.contains("line 2, column 4: anchors and aliases are not allowed in journey template files"))

            let deep = try await Self.file(client, "format: curepath.journey/v1\nname: " + String(repeating: "[", count: 10_000))
            #expect(deep.status == .unprocessableContent)
            #expect(deep.text.contains("is nested deeper than 8 levels"))

            let huge = try await Self.file(client, Self.template + "# " + String(repeating: "x", count: JourneyTemplateFile.limits.maximumBytes))
            #expect(huge.status == .contentTooLarge)

            let json = try await client.execute(uri: "/api/v1/journey-templates", method: .post, headers: TestApp.jsonHeaders, body: ByteBuffer(string: "{}")) { $0 }
            #expect(json.status == .unsupportedMediaType)
            #expect(try await store.journeyTemplates.catalog().filed.isEmpty)
        }
    }

    @Test("a product naming a filed template opens cases on it, pinned to the version filed then")
    func productNamesAFiledTemplate() async throws {
        try await TestApp.run(as: .centerCoordinator) { coordinator, store in
            let operatorClient = try await TestApp.client(
                as: .mediatorOperator, at: Organization(id: "org-mediator-desk", name: "Mediator desk", kind: .mediator), sharing: coordinator, store: store)
            #expect(try await Self.file(operatorClient, Self.template).status == .created)
            try await store.reference.insert(Directory(products: [Self.product("prd-screened", template: "screen-then-dose")]))
            let opened = try await Self.openCase("case-screened", product: "prd-screened", as: coordinator)
            #expect(opened.status == .created, "\(opened.text)")
            #expect(opened.object["templateId"] as? String == "screen-then-dose@1")
            let event = try await coordinator.execute(
                uri: "/api/v1/cases/case-screened/events", method: .post, headers: TestApp.jsonHeaders,
                body: TestApp.json(["id": "evt-screen-1", "kind": "started", "stage": "antibody_screen", "date": "2026-09-02"])) { $0 }
            #expect(event.status == .created, "\(event.text)")
            // Version 2 drops the screen; the open case keeps version 1's stages.
            let second = Self.template.replacingOccurrences(of: "version: 1", with: "version: 2")
                .replacingOccurrences(of: "name: AAV antibody screen", with: "name: Screen (v2)")
            #expect(try await Self.file(operatorClient, second).status == .created)
            let page = try await coordinator.execute(uri: "/cases/case-screened", method: .get) { $0.text }
            #expect(page.contains("AAV antibody screen") && !page.contains("Screen (v2)"))
        }
    }

    @Test("an in vivo gene therapy case opens, reaches infusion, counts in the metrics, and its page draws no apheresis or manufacturing")
    func inVivoEndToEnd() async throws {
        try await TestApp.run(as: .centerCoordinator) { coordinator, store in
            try await store.reference.insert(Directory(products: [Self.product("prd-zolgensma", template: "in-vivo-gene-therapy")]))
            let opened = try await Self.openCase("case-invivo", product: "prd-zolgensma", as: coordinator)
            #expect(opened.status == .created, "\(opened.text)")
            #expect(opened.object["templateId"] as? String == "in-vivo-gene-therapy")

            let steps: [(String, String, String)] = [
                ("started", "benefits_investigation", "2026-09-01"), ("started", "pretreatment_testing", "2026-09-02"),
                ("started", "prior_authorization", "2026-09-03"), ("started", "financial_agreement", "2026-09-03"),
                ("completed", "benefits_investigation", "2026-09-04"), ("completed", "referral", "2026-09-08"),
                ("completed", "pretreatment_testing", "2026-09-15"), ("completed", "prior_authorization", "2026-09-18"),
                ("completed", "financial_agreement", "2026-09-22"), ("started", "infusion", "2026-09-29"),
                ("completed", "infusion", "2026-09-29"), ("started", "follow_up", "2026-09-30"),
            ]
            for (index, step) in steps.enumerated() {
                let response = try await coordinator.execute(
                    uri: "/api/v1/cases/case-invivo/events", method: .post, headers: TestApp.jsonHeaders,
                    body: TestApp.json(["id": "evt-iv-\(index)", "kind": step.0, "stage": step.1, "date": step.2])) { $0 }
                #expect(response.status == .created, "\(step): \(response.text)")
            }
            // Stages an in vivo therapy does not have are refused by name.
            let apheresis = try await coordinator.execute(
                uri: "/api/v1/cases/case-invivo/events", method: .post, headers: TestApp.jsonHeaders,
                body: TestApp.json(["kind": "started", "stage": "apheresis", "date": "2026-10-01"])) { $0 }
            #expect(apheresis.status == .unprocessableContent)
            #expect((apheresis.object["errors"] as? [[String: Any]])?.first?["rule"] as? String == "unknown-stage")

            let detail = try await coordinator.execute(uri: "/api/v1/cases/case-invivo", method: .get) { $0.object }
            #expect(detail["status"] as? String == "infused")
            #expect(detail["referralToInfusionDays"] as? Int == 28)
            let path = (detail["criticalPath"] as? [[String: Any]] ?? []).compactMap { $0["stage"] as? String }
            #expect(path.contains("financial_agreement") && path.last == "infusion")

            // The center's own cases, so no small-cell rule applies.
            let metrics = try await coordinator.execute(
                uri: "/api/v1/metrics/journey?product=prd-zolgensma&center=\(TestApp.coordinatorCenter)", method: .get) { $0.object }
            let overall = metrics["overall"] as? [String: Any] ?? [:]
            #expect(overall["infusedCount"] as? Int == 1, "\(metrics)")
            let intervals = (overall["intervals"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
            #expect(intervals.contains("referral_to_infusion") && intervals.contains("stage:pretreatment_testing"), "\(intervals)")
            #expect(!intervals.contains { $0.contains("apheresis") || $0.contains("manufacturing") })

            let page = try await coordinator.execute(uri: "/cases/case-invivo", method: .get) { $0 }
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("<svg id=\"timeline\""))
            #expect(html.contains("data-stage=\"pretreatment_testing\""))
            #expect(html.contains(">Pre-treatment testing<"))
            #expect(!html.contains("data-stage=\"apheresis\"") && !html.contains("data-stage=\"manufacturing\""))
            #expect(!html.contains("Apheresis") && !html.contains("Manufacturing"))
        }
    }

    static func product(_ id: String, template: String) -> Product {
        Product(
            id: ProductID(id), name: "Zolgensma", genericName: "onasemnogene abeparvovec", manufacturer: "Novartis Gene Therapies",
            modality: .inVivoGeneTherapy, listPrice: Money(dollars: 2_125_000), journeyTemplate: template, typicalManufacturingDays: 0,
            indications: "spinal muscular atrophy, under 2 years")
    }

    static func openCase(_ id: String, product: String, as client: any TestClientProtocol) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/cases", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json([
            "id": id, "patientId": TestApp.coordinatorPatient.id.rawValue, "productId": product,
            "centerId": TestApp.coordinatorCenter.rawValue, "payerId": TestApp.demo.payers[0].id.rawValue, "referralDate": "2026-09-01",
        ])) { $0 }
    }
}
