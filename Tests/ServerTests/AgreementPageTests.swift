import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Server
import Storage
import Testing

@Suite("Agreement pages")
struct AgreementPageTests {
    @Test("draft from the case page, send, the payer counters by form, the redline shows it, and the document names the member (audited)")
    func flow() async throws {
        try await TestApp.run { client, store in
            let (caseID, _, payer) = try await PriorAuthorizationAPITests.prepareCase(client)
            let casePage = try await client.execute(uri: "/cases/\(caseID)", method: .get) { $0 }
            #expect(casePage.text.contains("id=\"draft-agreement\""))
            #expect(casePage.text.contains("<option value=\"car-t-sca\">"))
            let drafted = try await client.execute(uri: "/cases/\(caseID)/agreements", method: .post, headers: PriorAuthorizationPageTests.form,
                                                   body: PriorAuthorizationPageTests.encode([("templateId", "car-t-sca")])) { $0 }
            #expect(drafted.status == .seeOther, "\(drafted.text)")
            let path = String(try #require(drafted.headers[.location]).prefix { $0 != "?" })
            #expect(try await client.execute(uri: path + "/steps", method: .post, headers: PriorAuthorizationPageTests.form,
                                             body: PriorAuthorizationPageTests.encode([("step", "send")])) { $0 }.status == .seeOther)

            let reviewer = try await TestApp.client(
                as: .payerReviewer, at: Organization(id: "org-page-sca", name: "SCA payer", kind: .payer, payerID: payer), sharing: client, store: store)
            let view = try await reviewer.execute(uri: path, method: .get) { $0 }
            #expect(view.text.contains("name=\"value.case-rate.amount\" value=\"185000\""))
            let bad = try await reviewer.execute(uri: path + "/steps", method: .post, headers: PriorAuthorizationPageTests.form,
                                                 body: PriorAuthorizationPageTests.encode([("step", "propose"), ("value.case-rate.amount", "lots")])) { $0 }
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("values.case-rate.amount"))
            let countered = try await reviewer.execute(uri: path + "/steps", method: .post, headers: PriorAuthorizationPageTests.form,
                                                       body: PriorAuthorizationPageTests.encode([("step", "propose"), ("value.case-rate.amount", "150000"), ("note", "our rate")])) { $0 }
            #expect(countered.status == .seeOther, "\(countered.text)")
            let page = try await client.execute(uri: path, method: .get) { $0 }
            #expect(page.text.contains("Version 1 → version 2"))
            #expect(page.text.contains("class=\"redline-changed\""))
            #expect(page.text.contains("amount: $185,000.00 → $150,000.00"))

            let document = try await client.execute(uri: path + "/document", method: .get) { $0 }
            #expect(document.status == .ok)
            #expect(document.headers[.cacheControl] == "no-store")
            #expect(document.text.contains("a case rate of $150,000.00"))
            #expect(document.text.contains("case-rate@1"))
            #expect(!document.text.contains("[member_name"))
            // What the parties sign: each party named with its signature state, no code, one unit per day count.
            #expect(document.text.contains("<div class=\"signature\"><strong>"))
            #expect(document.text.contains("not signed"))
            #expect(!document.text.contains("SQL"))
            #expect(!document.text.contains("days days"))
            // The coordinator may read identifiers: the member is named, and the read is audited.
            #expect(!document.text.contains(IdentifierDisclosure.masked))
            #expect(try await store.audit.entries(AuditQuery(action: Action.readIdentifiers.rawValue, limit: 5)).total == 1)
        }
    }
}
