import Access
import CareNetwork
import Foundation
import Journey
import Hummingbird
import Mustache
import NIOCore

/// The Mustache templates of the web pages, loaded once from the module's resources.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> PageRenderer {
        let directory = StaticResource.url("Templates").path
        let library = try await MustacheLibrary(directory: directory)
        guard library.getTemplate(named: "layout") != nil else {
            throw HTTPError(.internalServerError, message: "page templates are missing from \(directory)")
        }
        return PageRenderer(library: library)
    }

    func render(_ model: Any, template: String, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = library.render(model, withTemplate: template) else {
            throw HTTPError(.internalServerError, message: "no template '\(template)'")
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// Who is looking at a page, for the header and for the CSRF token every form carries.
struct PageSession {
    var role: String
    var organization: String
    var csrf: String
    /// The viewer's center's cash-exposure page, for a center's staff.
    var cashLink: String?
    /// The viewer's center's follow-up page.
    var followUpLink: String?
    /// Whether the viewer may read agreements and reimbursement comparisons.
    var readsAgreements: Bool
    /// Whether the viewer may read aggregates (the outcomes report).
    var readsMetrics: Bool
    /// Whether the viewer compares every center's follow-up and data entry (the mediator and
    /// the registry).
    var readsSiteBurden: Bool
    /// Whether the viewer files contracts (the mediator) and criteria sets (a payer, the mediator).
    var filesContracts = false
    var filesCriteria = false
    /// Which of the other pages in the header the viewer may open: a link that can only
    /// answer 403 is not shown (a policy analyst sees Network and Outcomes, not Cases).
    var readsCases: Bool
    var readsPriorAuthorizations: Bool
    var readsLedger: Bool
    var readsAudit: Bool
    /// Whether the viewer reviews ambiguous links (stewards, the mediator's operators).
    var reviewsLinks: Bool
    /// Whether the viewer proposes contracts or decides proposals (manufacturers, the mediator).
    var readsProposals: Bool

    /// The signed-in viewer of the current request, if any.
    static var current: PageSession? {
        RequestIdentity.current.map {
            PageSession(role: $0.principal.role.rawValue, organization: $0.principal.organization.name, csrf: $0.csrfToken ?? "",
                        cashLink: $0.principal.organization.centerID.map { "/centers/\($0.rawValue)/cash" },
                        followUpLink: $0.principal.organization.centerID.map { "/centers/\($0.rawValue)/follow-up" },
                        readsAgreements: AccessPolicy.decide($0.principal, .readAgreements).isAllowed,
                        readsMetrics: AccessPolicy.decide($0.principal, .readMetrics).isAllowed,
                        readsSiteBurden: AccessPolicy.registryScope(of: $0.principal) == .all && AccessPolicy.decide($0.principal, .readOutcomes).isAllowed,
                        filesContracts: AccessPolicy.decide($0.principal, .writeContracts).isAllowed,
                        filesCriteria: AccessPolicy.decide($0.principal, .writeCriteria).isAllowed,
                        readsCases: AccessPolicy.decide($0.principal, .readCases).isAllowed,
                        readsPriorAuthorizations: AccessPolicy.decide($0.principal, .readPriorAuthorizations).isAllowed,
                        readsLedger: AccessPolicy.decide($0.principal, .readLedger).isAllowed,
                        readsAudit: AccessPolicy.decide($0.principal, .readAudit).isAllowed,
                        reviewsLinks: AccessPolicy.decide($0.principal, .reviewLinks).isAllowed,
                        readsProposals: AccessPolicy.decide($0.principal, .proposeContracts).isAllowed || AccessPolicy.decide($0.principal, .writeContracts).isAllowed)
        }
    }
}

/// An `<option>` of a select box.
struct Option {
    var value: String
    var label: String
    var selected: Bool
}

/// The center, payer and product choices of a filter form, with the filter's current
/// values selected; the network page and the case list share them.
struct FilterChoices {
    var centers: [Option]
    var payers: [Option]
    var products: [Option]

    init(_ directory: Directory, _ filter: JourneyFilter) {
        centers = directory.centers.map { Option(value: $0.id.rawValue, label: $0.name, selected: $0.id == filter.centerID) }
        payers = directory.payers.map { Option(value: $0.id.rawValue, label: $0.name, selected: $0.id == filter.payerID) }
        products = directory.products.map { Option(value: $0.id.rawValue, label: $0.name, selected: $0.id == filter.productID) }
    }
}
