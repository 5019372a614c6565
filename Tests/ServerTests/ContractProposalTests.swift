import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

/// Manufacturers propose contracts; the mediator files or rejects them. A manufacturer
/// proposes only as its own party and sees only its own proposals.
@Suite("Contract proposals")
struct ContractProposalTests {
    /// The demo manufacturer is `mfr-novartis`, the Zolgensma contract's manufacturer party.
    static func ownFile() throws -> String { try ContractsAPITests.example("zolgensma-installments.yaml") }
    /// A contract of another manufacturer (`mfr-csl`).
    static func othersFile() throws -> String { try ContractsAPITests.example("hemgenix-warranty.yaml") }

    static func propose(_ client: any TestClientProtocol, _ file: String) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/contract-proposals", method: .post, headers: ContractsAPITests.yaml, body: ByteBuffer(string: file)) { $0 }
    }

    static func decide(_ client: any TestClientProtocol, _ id: String, _ body: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/contract-proposals/\(id)/decision", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(body)) { $0 }
    }

    @Test("a manufacturer proposes its own contract; the mediator sees it and files it; it is then a contract like any other")
    func proposeAndFile() async throws {
        try await TestApp.run(as: .manufacturerAnalyst) { maker, store in
            let proposed = try await Self.propose(maker, try Self.ownFile())
            #expect(proposed.status == .created, "\(proposed.text)")
            let id = try #require(proposed.object["id"] as? String)
            #expect(proposed.object["status"] as? String == "proposed")
            #expect(proposed.object["contractId"] as? String == "zolgensma-annuity")
            // Not filed yet.
            #expect(try await store.contracts.allVersions().isEmpty)
            // The manufacturer cannot file it itself.
            #expect(try await Self.decide(maker, id, ["decision": "file"]).status == .forbidden)

            let mediator = AuthorizedClient(base: (maker as? AuthorizedClient)?.base ?? maker, token: try await TestApp.token(for: .mediatorOperator, in: store))
            let listed = try await mediator.execute(uri: "/api/v1/contract-proposals", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }
            #expect(listed.map { $0["id"] as? String } == [id])
            let detail = try await mediator.execute(uri: "/api/v1/contract-proposals/\(id)", method: .get) { $0 }
            #expect(detail.status == .ok)
            #expect((detail.object["document"] as? String) == (try Self.ownFile()))

            // Rejecting needs a reason, named as the field.
            let noReason = try await Self.decide(mediator, id, ["decision": "reject"])
            #expect(noReason.status == .unprocessableContent)
            #expect(PatientRelationshipTests.problems(noReason).contains { $0.hasPrefix("reason") }, "\(noReason.text)")
            let filed = try await Self.decide(mediator, id, ["decision": "file"])
            #expect(filed.status == .ok, "\(filed.text)")
            #expect(filed.object["status"] as? String == "filed")
            #expect(try await store.contracts.allVersions().map(\.id.rawValue) == ["zolgensma-annuity"])
            // Decided once: a second decision is a conflict and changes nothing.
            let twice = try await Self.decide(mediator, id, ["decision": "reject", "reason": "changed my mind"])
            #expect(twice.status == .conflict)
            #expect(try await maker.execute(uri: "/api/v1/contract-proposals/\(id)", method: .get) { $0.object["status"] as? String } == "filed")
            // Audited, naming the proposal.
            let entries = try await store.audit.entries(AuditQuery(action: Action.writeContracts.rawValue, outcome: .allowed, limit: 20)).items
            #expect(entries.contains { $0.object.contains("contract-proposal:\(id)") == true })
            let proposals = try await store.audit.entries(AuditQuery(action: Action.proposeContracts.rawValue, outcome: .allowed, limit: 20)).items
            #expect(proposals.contains { $0.object.contains("contract-proposal:\(id)") == true })
        }
    }

    @Test("a manufacturer proposes only as its own party, and an invalid file is refused as filing refuses it")
    func validation() async throws {
        try await TestApp.run(as: .manufacturerAnalyst) { maker, store in
            let others = try await Self.propose(maker, try Self.othersFile())
            #expect(others.status == .unprocessableContent)
            #expect(PatientRelationshipTests.problems(others).contains { $0.hasPrefix("parties.manufacturer") }, "\(others.text)")
            let broken = try await Self.propose(maker, try Self.ownFile().replacingOccurrences(of: "version: 1", with: "version: one"))
            #expect(broken.status == .unprocessableContent)
            #expect(broken.headers[.contentType] == "application/problem+json")
            #expect(broken.text.contains("version"), "\(broken.text)")
            let hostile = try await Self.propose(maker, "a: &x [1]\nb: *x\n")
            #expect(hostile.status == .unprocessableContent)
            #expect(try await maker.execute(uri: "/api/v1/contract-proposals", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }.isEmpty)
            _ = store
        }
    }

    @Test("a second manufacturer neither sees nor decides the first's proposals; payers and centers see none")
    func crossOrganization() async throws {
        try await TestApp.run(as: .manufacturerAnalyst) { maker, store in
            let id = try #require(try await Self.propose(maker, try Self.ownFile()).object["id"] as? String)
            let second = try await TestApp.client(
                as: .manufacturerAnalyst, at: Organization(id: "org-second-maker", name: "CSL", kind: .manufacturer, manufacturer: "mfr-csl"),
                sharing: maker, store: store)
            #expect(try await second.execute(uri: "/api/v1/contract-proposals", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }.isEmpty)
            let read = try await second.execute(uri: "/api/v1/contract-proposals/\(id)", method: .get) { $0 }
            #expect(read.status == .notFound)
            // Exactly what a proposal that does not exist answers.
            let none = try await second.execute(uri: "/api/v1/contract-proposals/cpr-000000000000", method: .get) { $0 }
            for key in ["status", "title", "type"] { #expect("\(read.object[key] ?? "")" == "\(none.object[key] ?? "")", "\(key)") }
            #expect((read.object["detail"] as? String)?.replacingOccurrences(of: id, with: "X") == (none.object["detail"] as? String)?.replacingOccurrences(of: "cpr-000000000000", with: "X"))
            #expect(try await Self.decide(second, id, ["decision": "file"]).status == .forbidden)
            let page = try await second.execute(uri: "/contract-proposals", method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(!page.text.contains(id))
            // Its own proposal is its own.
            #expect(try await Self.propose(second, try Self.othersFile()).status == .created)
            #expect(try await maker.execute(uri: "/api/v1/contract-proposals", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }.count == 1)

            let payer = AuthorizedClient(base: (maker as? AuthorizedClient)?.base ?? maker, token: try await TestApp.token(for: .payerReviewer, in: store))
            #expect(try await payer.execute(uri: "/api/v1/contract-proposals", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }.isEmpty)
            #expect(try await payer.execute(uri: "/api/v1/contract-proposals/\(id)", method: .get) { $0.status } == .notFound)
            #expect(try await Self.propose(payer, try Self.ownFile()).status == .forbidden)
        }
    }

    @Test("from the page: the manufacturer's upload errors are listed by line; the mediator rejects with a reason the manufacturer then reads")
    func pages() async throws {
        try await TestApp.run(as: .manufacturerAnalyst) { maker, store in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
            let bad = try await maker.execute(uri: "/contract-proposals", method: .post, headers: form,
                                              body: ByteBuffer(string: "document=" + encoded(try Self.othersFile()))) { $0 }
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"upload-error\""))
            #expect(bad.text.contains("parties.manufacturer"))
            let good = try await maker.execute(uri: "/contract-proposals", method: .post, headers: form,
                                               body: ByteBuffer(string: "document=" + encoded(try Self.ownFile()))) { $0 }
            #expect(good.status == .seeOther)
            let id = try #require(try await store.proposals.list(organization: nil, status: .proposed).first?.id.rawValue)

            let mediator = AuthorizedClient(base: (maker as? AuthorizedClient)?.base ?? maker, token: try await TestApp.token(for: .mediatorOperator, in: store))
            let list = try await mediator.execute(uri: "/contract-proposals", method: .get) { $0.text }
            #expect(list.contains("action=\"/contract-proposals/\(id)/decision\""))
            let refused = try await mediator.execute(uri: "/contract-proposals/\(id)/decision", method: .post, headers: form, body: ByteBuffer(string: "decision=reject")) { $0 }
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("id=\"error-\(id)\""))
            let rejected = try await mediator.execute(uri: "/contract-proposals/\(id)/decision", method: .post, headers: form,
                                                      body: ByteBuffer(string: "decision=reject&reason=" + encoded("cap the annual installment"))) { $0 }
            #expect(rejected.status == .seeOther)
            let seen = try await maker.execute(uri: "/contract-proposals", method: .get) { $0.text }
            #expect(seen.contains("cap the annual installment"))
            #expect(!seen.contains("action=\"/contract-proposals/\(id)/decision\""))
            #expect(try await store.contracts.allVersions().isEmpty)
        }
    }
}
