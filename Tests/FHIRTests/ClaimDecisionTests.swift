import Foundation
import Testing
import Core
@testable import FHIR

@Suite("ClaimResponse decisions")
struct ClaimDecisionTests {
    /// A PAS ClaimResponse with one item whose adjudication carries `reviewAction`.
    func response(action: String? = "A1", outcome: String = "complete", use: String = "preauthorization", status: String = "active",
                  created: String? = "2026-05-20", extra: String = "") -> [UInt8]
    {
        let review = action.map { code in
            """
            , "item": [{"itemSequence": 1, "adjudication": [{"category": {"coding": [{"code": "submitted"}]}, "extension": [
              {"url": "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewAction", "extension": [
                {"url": "number", "valueString": "AUTH-1"},
                {"url": "code", "valueCodeableConcept": {"coding": [{"system": "https://codesystem.x12.org/005010/306", "code": "\(code)"}]}},
                {"url": "reasonCode", "valueCodeableConcept": {"coding": [{"code": "XX", "display": "Criteria not met"}]}}]}]}]}]
            """
        } ?? ""
        let createdMember = created.map { #", "created": "\#($0)""# } ?? ""
        return Array("""
            {"resourceType": "ClaimResponse", "status": "\(status)", "use": "\(use)", "outcome": "\(outcome)"\(createdMember),
             "request": {"reference": "Claim/pa-2026-000123"}\(review)\(extra)}
            """.utf8)
    }

    @Test func approvedExample() throws {
        let decision = try ClaimDecisionImport.read(try example("claim-response-approved.json"))
        #expect(decision == ClaimDecision(
            requestIdentifier: "pa-2026-000123", outcome: .approved, reason: "Certified in total: axicabtagene ciloleucel for refractory DLBCL",
            preAuthRef: "NHA-PA-88231", decidedOn: day("2026-05-20"), validFrom: day("2026-05-20"), validTo: day("2026-08-18")))
    }

    @Test func pendedExample() throws {
        let decision = try ClaimDecisionImport.read(try example("claim-response-pended.json"))
        #expect(decision.outcome == .pended)
        #expect(decision.reason == "Pended for medical director review: pulmonary function tests requested")
        #expect(decision.preAuthRef == nil)
        #expect(decision.decidedOn == day("2026-05-18"))
    }

    @Test func deniedWithTheReviewActionsReason() throws {
        let decision = try ClaimDecisionImport.read(response(action: "A3"))
        #expect(decision.outcome == .denied)
        #expect(decision.reason == "Criteria not met")
        #expect(decision.requestIdentifier == "pa-2026-000123")
        #expect(decision.preAuthRef == "AUTH-1")
    }

    @Test func queuedWithoutReviewActionIsPended() throws {
        #expect(try ClaimDecisionImport.read(response(action: nil, outcome: "queued")).outcome == .pended)
    }

    @Test(arguments: [("A2", ClaimDecision.Outcome.partial), ("A6", .partial), ("C", .cancelled), ("A4", .pended)])
    func otherReviewActions(code: String, outcome: ClaimDecision.Outcome) throws {
        #expect(try ClaimDecisionImport.read(response(action: code)).outcome == outcome)
    }

    @Test func itemsDecidedDifferentlyArePartial() {
        #expect(ClaimDecisionImport.combined([.approved, .denied]) == .partial)
        #expect(ClaimDecisionImport.combined([.approved, .pended]) == .pended)
        #expect(ClaimDecisionImport.combined([.denied, .denied]) == .denied)
    }

    @Test func completeWithoutDecisionIsRefused() throws {
        let error = try #require(throws: FHIRError.self) { try ClaimDecisionImport.read(response(action: nil)) }
        #expect(error.description == "$: no decision found: outcome complete without a PAS reviewAction on any item")
    }

    @Test func wrongUseIsRefused() throws {
        let error = try #require(throws: FHIRError.self) { try ClaimDecisionImport.read(response(use: "claim")) }
        #expect(error.description == #"use: must be "preauthorization", got "claim""#)
    }

    @Test func missingCreatedAndWithdrawnStatusAreRefused() throws {
        let error = try #require(throws: FHIRError.self) { try ClaimDecisionImport.read(response(status: "cancelled", created: nil)) }
        #expect(error.issues.map(\.path) == ["status", "created"])
    }

    @Test func errorOutcomeIsRefusedWithThePayersWords() throws {
        let error = try #require(throws: FHIRError.self) {
            try ClaimDecisionImport.read(response(action: nil, outcome: "error", extra: #", "error": [{"code": {"text": "Member not found"}}]"#))
        }
        #expect(error.description == "outcome: the payer could not process the request (error): Member not found")
    }

    @Test func unknownReviewActionIsRefused() throws {
        let error = try #require(throws: FHIRError.self) { try ClaimDecisionImport.read(response(action: "ZZ")) }
        #expect(error.issues.first?.problem.hasPrefix("review action \"ZZ\" is not one CurePath reads") == true)
    }

    @Test func firstClaimResponseInABundleIsUsed() throws {
        let inner = String(decoding: response(action: "A1"), as: UTF8.self)
        let bundle = #"{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "OperationOutcome"}}, {"resource": "# + inner + "}]}"
        let decision = try ClaimDecisionImport.read(Array(bundle.utf8))
        #expect(decision.outcome == .approved)
        let empty = try #require(throws: FHIRError.self) { try ClaimDecisionImport.read(Array(#"{"resourceType": "Bundle", "type": "collection"}"#.utf8)) }
        #expect(empty.description == "entry: no ClaimResponse in the bundle")
    }

    @Test func otherResourcesAreRefused() throws {
        let error = try #require(throws: FHIRError.self) { try ClaimDecisionImport.read(Array(#"{"resourceType": "Claim"}"#.utf8)) }
        #expect(error.description == #"resourceType: expected "ClaimResponse" or "Bundle", got "Claim""#)
    }

    @Test func requestIdentifierComesFromTheIdentifierFirst() throws {
        let bytes = Array("""
            {"resourceType": "ClaimResponse", "status": "active", "use": "preauthorization", "outcome": "queued", "created": "2026-05-20T08:00:00Z",
             "request": {"identifier": {"value": "pa-7"}, "reference": "Claim/other"}}
            """.utf8)
        #expect(try ClaimDecisionImport.read(bytes).requestIdentifier == "pa-7")
    }
}
