import CareNetwork
import Core
import Criteria
import Journey

/// One patient against every candidate payer at once: a column per criteria set with its
/// verdict, a row per criterion with met / not met / unknown and the evidence or the missing
/// item, then the single pretest plan and each payer's departures from the regional standard —
/// "which payers would approve, what is missing, and what to do once".
struct PatientEvaluationPage {
    struct Column { var id, owner, verdict, verdictLabel, basis: String; var inEffect: Bool; var missingCount: Int }
    struct Cell { var status, label, detail: String }
    struct Row { var key, requirement: String; var cells: [Cell] }
    struct PlanRow { var name, window, neededBy, lastDone: String; var freshForDays: Int }
    struct DoneRow { var name, date, validUntil, neededBy: String }
    struct DifferenceGroup { var set, owner: String; var items: [String] }
    struct CaseChoice { var id, label: String }

    var session = PageSession.current
    var patient: String
    var product: String
    var products: [Option]
    var asOf: String
    var submitBy: String
    var factsVersion: String?
    var columns: [Column]
    var rows: [Row]
    var hasCandidates: Bool
    var plan: [PlanRow]
    var done: [DoneRow]
    var otherMissing: [String]
    var hasDone: Bool
    var hasOtherMissing: Bool
    var differences: [DifferenceGroup]
    var cases: [CaseChoice]
    var payerSets: [Option]
    var canFile: Bool
    var error: String?

    init(_ evaluation: PatientEvaluation, candidates: [CriteriaSet], product: ProductID?, factsVersion: Int?, directory: Directory, cases: [Case], canFile: Bool, error: String?) {
        patient = evaluation.patient.rawValue
        self.product = product?.rawValue ?? ""
        products = directory.products.map { Option(value: $0.id.rawValue, label: $0.name, selected: $0.id == product) }
        asOf = evaluation.asOf.description
        submitBy = evaluation.pretestPlan.submitBy.description
        self.factsVersion = factsVersion.map(String.init)
        func ownerName(_ owner: CriteriaOwner) -> String {
            switch owner {
            case .regionalStandard: "Regional standard"
            case .payer(let id): directory.payer(id)?.name ?? id.rawValue
            }
        }
        let sets = Dictionary(candidates.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func verdictLabel(_ verdict: CriteriaVerdict) -> String {
            switch verdict {
            case .likelyApprovable: "Likely approvable"
            case .notApprovable: "Not approvable"
            case .incomplete: "Incomplete"
            }
        }
        columns = evaluation.evaluations.map { set in
            Column(id: set.set.rawValue, owner: ownerName(set.owner), verdict: set.verdict.rawValue, verdictLabel: verdictLabel(set.verdict),
                   basis: sets[set.set]?.basis.rawValue ?? "", inEffect: set.inEffect, missingCount: set.missing.count)
        }
        hasCandidates = !columns.isEmpty
        var keys: [String] = []
        var requirement: [String: String] = [:]
        for set in evaluation.evaluations {
            for result in set.results where requirement[result.key] == nil {
                keys.append(result.key)
                requirement[result.key] = result.requirement
            }
        }
        rows = keys.map { key in
            Row(key: key, requirement: requirement[key] ?? key, cells: evaluation.evaluations.map { set in
                guard let result = set.results.first(where: { $0.key == key }) else { return Cell(status: "absent", label: "—", detail: "not a criterion of this set") }
                let detail = result.status == .unknown ? result.missing.map(\.description).joined(separator: "; ") : result.evidence.map(\.description).joined(separator: "; ")
                let label = result.status == .met ? "met" : result.status == .notMet ? "not met" : "unknown"
                return Cell(status: result.status.rawValue, label: label, detail: result.requirement == requirement[key] ? detail : "\(result.requirement): \(detail)")
            })
        }
        plan = evaluation.pretestPlan.items.map {
            PlanRow(name: $0.name, window: "\($0.notBefore) – \($0.doneBy)", neededBy: $0.neededBy.map(\.rawValue).joined(separator: ", "),
                    lastDone: $0.lastDone?.description ?? "never", freshForDays: $0.freshForDays)
        }
        done = evaluation.pretestPlan.alreadyDone.map {
            DoneRow(name: $0.name, date: $0.date.description, validUntil: $0.validUntil.description, neededBy: $0.neededBy.map(\.rawValue).joined(separator: ", "))
        }
        otherMissing = evaluation.pretestPlan.otherMissing.map(\.description)
        hasDone = !done.isEmpty
        hasOtherMissing = !otherMissing.isEmpty
        differences = evaluation.differences.map { group in
            DifferenceGroup(set: group.set.rawValue, owner: sets[group.set].map { ownerName($0.owner) } ?? group.set.rawValue,
                            items: group.differences.isEmpty ? ["same as the regional standard"] : group.differences.map(\.description))
        }
        self.cases = cases.map { CaseChoice(id: $0.id.rawValue, label: "\($0.id.rawValue) — \(directory.product($0.productID)?.name ?? $0.productID.rawValue), \(directory.payer($0.payerID)?.name ?? $0.payerID.rawValue)") }
        payerSets = candidates.filter { $0.owner != .regionalStandard }.map { Option(value: $0.id.rawValue, label: "\($0.id.rawValue) (\(ownerName($0.owner)))", selected: false) }
        self.canFile = canFile && !cases.isEmpty
        self.error = error
    }
}
