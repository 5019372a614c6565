import CareNetwork
import Coverage
import Foundation

/// One single-case agreement as the two negotiators read it: where it stands, what stops it
/// from being sent, what both sides already agree on, the redline between any two versions,
/// and the form for the next step (counter-proposals edit the latest version's values).
struct AgreementPage {
    struct VersionRow { var number: Int; var proposedBy, at, note, redlineLink: String }
    struct RedlineRow { var title, term, change, before, after, parameters: String }
    struct ValueField { var term, title, parameter, name, value, type, standing: String }

    var session = PageSession.current
    var id, caseID, status, center, payer, product, template: String
    var sent, accepted, signedCenter, signedPayer: String?
    var reuse: String?
    var gaps: [String]
    var hasGaps: Bool
    var agreed: [String]
    var letter: String?
    var versions: [VersionRow]
    var redlineTitle: String
    var redline: [RedlineRow]
    var fields: [ValueField]
    var steps: [Option]
    var canAct: Bool
    var error: String?
    var notice: String?

    init(_ agreement: Agreement, library: TermLibrary, redline: Redline?, reuse: (reused: Int, total: Int)?, directory: Directory,
         steps allowed: [String], error: String?, notice: String?) {
        id = agreement.id.rawValue
        caseID = agreement.caseID.rawValue
        status = agreement.status.rawValue
        center = directory.center(agreement.center)?.name ?? agreement.center.rawValue
        payer = directory.payer(agreement.payer)?.name ?? agreement.payer.rawValue
        product = directory.product(agreement.product)?.name ?? agreement.product.rawValue
        template = "\(agreement.template.id) v\(agreement.template.version)"
        sent = agreement.sentAt.map(ClockLabel.stamp)
        accepted = agreement.acceptance.map { "version \($0.version) by the \($0.by.rawValue), \(ClockLabel.stamp($0.at))" }
        signedCenter = agreement.signatures[.center].map(ClockLabel.stamp)
        signedPayer = agreement.signatures[.payer].map(ClockLabel.stamp)
        self.reuse = reuse.map { "\($0.reused) of \($0.total) terms as in the last signed agreement with this payer" }
        gaps = agreement.gaps(library: library).map { "\($0.field): \($0.problem)" }
        hasGaps = !gaps.isEmpty && agreement.sentAt == nil
        agreed = agreement.agreedTerms().map { library.term($0)?.title ?? $0.description }
        letter = agreement.interimLetter.map { "Issued \(ClockLabel.stamp($0.issuedAt)) on version \($0.version): \($0.agreedTerms.map { library.term($0)?.title ?? $0.description }.joined(separator: "; "))" }
        versions = agreement.versions.reversed().map { version in
            VersionRow(number: version.number, proposedBy: version.proposedBy.rawValue, at: ClockLabel.stamp(version.at), note: version.note ?? "",
                       redlineLink: version.number > 1 ? "/agreements/\(agreement.id.rawValue)?from=\(version.number - 1)&to=\(version.number)#redline" : "")
        }
        redlineTitle = redline.map { "Version \($0.from) → version \($0.to)" } ?? "Only one version so far"
        self.redline = (redline?.lines ?? []).map { line in
            RedlineRow(title: line.title, term: line.term.rawValue, change: line.change.rawValue, before: line.before ?? "", after: line.after ?? "",
                       parameters: line.parameters.map { "\($0.name): \($0.before ?? "—") → \($0.after ?? "—")" }.joined(separator: "; "))
        }
        let standings = Dictionary(agreement.termStandings().map { ($0.term.id, $0) }, uniquingKeysWith: { first, _ in first })
        fields = agreement.latest.terms.flatMap { agreedTerm -> [ValueField] in
            guard let term = library.term(agreedTerm.term) else { return [] }
            let standing = standings[term.id].map { entry in
                switch entry.standing {
                case .agreed: "agreed"
                case .countered: "countered by the \(entry.by.rawValue)"
                case .proposed: "proposed by the \(entry.by.rawValue)"
                }
            } ?? ""
            return term.parameters.filter { $0.source == .negotiated }.map { parameter in
                ValueField(term: term.id.rawValue, title: term.title, parameter: parameter.name, name: "value.\(term.id.rawValue).\(parameter.name)",
                           value: agreedTerm.values[parameter.name] ?? "", type: parameter.type.rawValue, standing: standing)
            }
        }
        steps = allowed.map { Option(value: $0, label: $0, selected: false) }
        canAct = !allowed.isEmpty
        self.error = error
        self.notice = notice
    }
}
