import Core

/// Reads a payer's decision from a Da Vinci PAS ClaimResponse.
///
/// PAS carries the decision per item as an X12 306 review action (`A1` certified in total,
/// `A3` not certified, …) on the item's adjudication; `ClaimResponse.outcome` only says
/// whether processing finished. So the review actions decide, and `outcome` is used only
/// when there are none: `queued` means pended and `error` is refused. A response that says
/// `complete` without any review action decided nothing CurePath can act on, and is refused
/// too rather than guessed at. See docs/FHIR.md.
public enum ClaimDecisionImport {
    /// Review action codes read, and what they mean.
    public static let reviewActions: [String: ClaimDecision.Outcome] = [
        "A1": .approved, "A2": .partial, "A3": .denied, "A4": .pended, "A6": .partial, "C": .cancelled,
    ]

    /// Reads `data`: a ClaimResponse, or a Bundle whose first ClaimResponse is used.
    public static func read(_ data: some Collection<UInt8>) throws(FHIRError) -> ClaimDecision {
        let document = JSONNode(try JSONParser.parse(data))
        var issues = IssueList()
        guard document.isObject else { throw FHIRError(path: "$", problem: "must be a JSON object (a ClaimResponse or a Bundle), got \(document.value.typeName)") }
        guard let resourceType = document.string("resourceType", &issues, required: true) else { throw FHIRError(issues: issues.issues) }
        let response: JSONNode
        switch resourceType {
        case "ClaimResponse":
            response = document
        case "Bundle":
            let resources = document.objects("entry", &issues).compactMap { $0.object("resource", &issues) }
            guard let first = resources.first(where: { $0.member("resourceType")?.stringValue == "ClaimResponse" }) else {
                try issues.throwIfAny()
                throw FHIRError(path: "entry", problem: "no ClaimResponse in the bundle")
            }
            response = first
        default:
            throw FHIRError(path: "resourceType", problem: "expected \"ClaimResponse\" or \"Bundle\", got \"\(resourceType.prefix(40))\"")
        }
        let decision = read(response, &issues)
        try issues.throwIfAny()
        guard let decision else { throw FHIRError(path: response.shownPath, problem: "no decision found") }
        return decision
    }

    private static func read(_ response: JSONNode, _ issues: inout IssueList) -> ClaimDecision? {
        if let status = response.string("status", &issues, required: true), status != "active" {
            issues.add(response.path(of: "status"), "must be \"active\", got \"\(status.prefix(40))\"; a \(status) response decides nothing")
        }
        if let use = response.string("use", &issues, required: true), use != "preauthorization" {
            issues.add(response.path(of: "use"), "must be \"preauthorization\", got \"\(use.prefix(40))\"")
        }
        var decidedOn: CalendarDate?
        if !response.has("created") {
            issues.add(response.path(of: "created"), "is required: the day of the decision")
        } else {
            switch response.date("created", &issues) {
            case .day(let day)?: decidedOn = day
            case .partial(let text)?: issues.add(response.path(of: "created"), "must name the day, got \"\(text)\"")
            case nil: break
            }
        }
        let request = requestIdentifier(response, &issues)
        let outcomeCode = response.string("outcome", &issues, required: true)

        var actions: [(outcome: ClaimDecision.Outcome, number: String?, reason: String?)] = []
        var itemPeriod: (from: CalendarDate?, to: CalendarDate?)?
        var adjudicationReason: String?
        for item in response.objects("item", &issues) {
            var holders = [item]
            for adjudication in item.objects("adjudication", &issues) {
                holders.append(adjudication)
                if adjudicationReason == nil, let reason = adjudication.object("reason", &issues) {
                    adjudicationReason = conceptText(reason, &issues)
                }
            }
            for holder in holders {
                for extensionNode in holder.objects("extension", &issues) {
                    let url = extensionNode.string("url", &issues)
                    if url == FHIRCodeSystem.pasReviewActionExtension, let action = reviewAction(extensionNode, &issues) {
                        actions.append(action)
                    } else if url == FHIRCodeSystem.pasItemPreAuthPeriodExtension, itemPeriod == nil, let period = extensionNode.object("valuePeriod", &issues) {
                        itemPeriod = self.period(period, &issues)
                    }
                }
            }
        }

        let outcome: ClaimDecision.Outcome?
        if !actions.isEmpty {
            outcome = combined(actions.map(\.outcome))
        } else {
            switch outcomeCode {
            case "queued"?: outcome = .pended
            case "error"?:
                let errors = response.objects("error", &issues).compactMap { $0.object("code", &issues).flatMap { conceptText($0, &issues) } }
                let detail = (response.string("disposition", &issues).map { [$0] } ?? []) + errors
                issues.add(response.path(of: "outcome"), "the payer could not process the request (error)" + (detail.isEmpty ? "" : ": " + detail.joined(separator: "; ")))
                outcome = nil
            case "complete"?, "partial"?:
                issues.add(response.shownPath, "no decision found: outcome \(outcomeCode!) without a PAS reviewAction on any item")
                outcome = nil
            case let other?:
                issues.add(response.path(of: "outcome"), "must be queued, complete, error or partial, got \"\(other.prefix(40))\"")
                outcome = nil
            case nil:
                outcome = nil
            }
        }

        var validFrom: CalendarDate?, validTo: CalendarDate?
        if let period = response.object("preAuthPeriod", &issues) {
            (validFrom, validTo) = self.period(period, &issues)
        } else if let itemPeriod {
            (validFrom, validTo) = itemPeriod
        }
        if let validFrom, let validTo, validTo < validFrom {
            issues.add(response.path(of: "preAuthPeriod"), "ends (\(validTo)) before it starts (\(validFrom))")
        }
        let preAuthRef = response.string("preAuthRef", &issues) ?? actions.lazy.compactMap(\.number).first
        let reason = response.string("disposition", &issues) ?? actions.lazy.compactMap(\.reason).first ?? adjudicationReason
        guard let request, let outcome, let decidedOn else { return nil }
        return ClaimDecision(requestIdentifier: request, outcome: outcome, reason: reason, preAuthRef: preAuthRef, decidedOn: decidedOn, validFrom: validFrom, validTo: validTo)
    }

    /// `request.identifier.value`, else the id in `request.reference` (`Claim/<id>`).
    private static func requestIdentifier(_ response: JSONNode, _ issues: inout IssueList) -> String? {
        let problem = "must name the request: identifier.value or reference Claim/<id>"
        guard let request = response.object("request", &issues) else {
            if !response.has("request") { issues.add(response.path(of: "request"), "is required; it \(problem)") }
            return nil
        }
        if let value = request.object("identifier", &issues)?.string("value", &issues), !value.isEmpty { return value }
        if let reference = request.string("reference", &issues) {
            let parts = reference.split(separator: "/")
            if parts.count >= 2, parts[parts.count - 2] == "Claim", !parts[parts.count - 1].isEmpty { return String(parts[parts.count - 1]) }
            issues.add(request.path(of: "reference"), "must be Claim/<id>, got \"\(reference.prefix(80))\"")
            return nil
        }
        issues.add(request.path, problem)
        return nil
    }

    /// A review action's decision, number and reason; an unknown code is reported.
    private static func reviewAction(_ node: JSONNode, _ issues: inout IssueList) -> (outcome: ClaimDecision.Outcome, number: String?, reason: String?)? {
        var code: (value: String, path: String)?
        var number: String?
        var reason: String?
        // PAS 1.x put the code on the extension itself; PAS 2.x nests `code`, `number` and `reasonCode`.
        if let concept = node.object("valueCodeableConcept", &issues), let value = Coding.all(in: concept, &issues).first?.code {
            code = (value, concept.path)
        }
        for part in node.objects("extension", &issues) {
            switch part.string("url", &issues) {
            case "code"?:
                if let concept = part.object("valueCodeableConcept", &issues), let value = Coding.all(in: concept, &issues).first?.code {
                    code = (value, concept.path)
                }
            case "number"?: number = part.string("valueString", &issues)
            case "reasonCode"?: reason = part.object("valueCodeableConcept", &issues).flatMap { conceptText($0, &issues) }
            default: continue
            }
        }
        guard let code else {
            issues.add(node.path, "a reviewAction must carry a code (X12 306: \(reviewActions.keys.sorted().joined(separator: ", ")))")
            return nil
        }
        guard let outcome = reviewActions[code.value] else {
            issues.add(code.path, "review action \"\(code.value.prefix(20))\" is not one CurePath reads (\(reviewActions.keys.sorted().joined(separator: ", ")))")
            return nil
        }
        return (outcome, number, reason)
    }

    /// One decision from the items' decisions: any pended item pends the request, agreement
    /// stands, and a mix of approvals and denials is a partial approval.
    static func combined(_ outcomes: [ClaimDecision.Outcome]) -> ClaimDecision.Outcome {
        if outcomes.contains(.pended) { return .pended }
        let distinct = Set(outcomes)
        if distinct.count == 1, let only = distinct.first { return only }
        let decided = distinct.subtracting([.cancelled])
        if decided == [.denied] { return .denied }
        return .partial
    }

    private static func conceptText(_ concept: JSONNode, _ issues: inout IssueList) -> String? {
        if let text = concept.string("text", &issues) { return text }
        let codings = Coding.all(in: concept, &issues)
        return codings.lazy.compactMap(\.display).first ?? codings.lazy.compactMap(\.code).first
    }

    private static func period(_ period: JSONNode, _ issues: inout IssueList) -> (CalendarDate?, CalendarDate?) {
        func day(_ key: String) -> CalendarDate? {
            switch period.date(key, &issues) {
            case .day(let day)?: return day
            case .partial(let text)?:
                issues.add(period.path(of: key), "must name the day, got \"\(text)\"")
                return nil
            case nil: return nil
            }
        }
        return (day("start"), day("end"))
    }
}
