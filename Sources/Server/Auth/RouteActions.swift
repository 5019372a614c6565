import Access
import HTTPTypes

/// The one table that says which action each route performs. Authorization asks it for
/// every request, API and pages alike; a route missing here is refused, never waved through.
enum RouteActions {
    /// Routes anyone may use without signing in.
    static func isPublic(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        switch (method, path) {
        case (.get, "/health"), (.get, "/openapi.yaml"), (.get, "/sign-in"), (.post, "/sign-in"), (.post, "/sign-out"): return true
        case (.get, _) where path.hasPrefix("/static/"): return true
        default: return false
        }
    }

    /// Method, path template (`{}` matches one segment) and action. API paths are relative to
    /// `/api/v1`; page paths are absolute.
    static let table: [(method: HTTPRequest.Method, path: String, action: Action)] = [
        (.get, "api/v1/centers", .readReference),
        (.get, "api/v1/payers", .readReference),
        (.get, "api/v1/products", .readReference),
        (.get, "api/v1/journey-templates", .readReference),
        (.get, "api/v1/cases", .readCases),
        (.post, "api/v1/cases", .writeCases),
        (.get, "api/v1/cases/{}", .readCases),
        (.get, "api/v1/cases/{}/events", .readCases),
        (.post, "api/v1/cases/{}/events", .writeCases),
        (.get, "api/v1/cases/{}/custody", .readCases),
        (.post, "api/v1/cases/{}/custody", .writeCases),
        (.get, "api/v1/cases/{}/custody/verification", .readCases),
        (.post, "api/v1/patients", .writePatients),
        (.get, "api/v1/patients/{}", .readPatients),
        (.get, "api/v1/patients/{}/coverage", .readPatients),
        (.get, "api/v1/patients/{}/identifiers", .readIdentifiers),
        (.get, "api/v1/patients/{}/outcome-events", .readOutcomes),
        (.post, "api/v1/outcome-events", .writeOutcomes),
        (.post, "api/v1/outcome-events/fhir", .writeOutcomes),
        (.post, "api/v1/linkage/tokens", .linkRecords),
        (.post, "api/v1/linkage/clks", .linkRecords),
        (.get, "api/v1/linkage/records", .linkRecords),
        (.get, "api/v1/contracts", .readContracts),
        (.post, "api/v1/contracts", .writeContracts),
        (.get, "api/v1/treated-patients", .readLedger),
        (.post, "api/v1/treated-patients", .writeContracts),
        (.get, "api/v1/settlements", .readLedger),
        (.post, "api/v1/settlements", .settle),
        (.get, "api/v1/ledger/trial-balance", .readLedger),
        (.get, "api/v1/ledger/statements/{}", .readStatements),
        (.get, "api/v1/ledger/net-prices", .readStatements),
        (.post, "api/v1/patients/{}/coverage", .writePatients),
        (.get, "api/v1/patients/{}/referrals", .readPatients),
        (.post, "api/v1/patients/{}/referrals", .writePatients),
        (.get, "api/v1/criteria-sets", .readReference),
        (.post, "api/v1/criteria-sets", .writeCriteria),
        (.get, "api/v1/criteria-sets/{}", .readReference),
        (.get, "api/v1/patients/{}/clinical-facts", .readClinicalFacts),
        (.put, "api/v1/patients/{}/clinical-facts", .writeClinicalFacts),
        (.post, "api/v1/patients/{}/clinical-facts/fhir", .writeClinicalFacts),
        (.get, "api/v1/patients/{}/evaluation", .readClinicalFacts),
        (.get, "api/v1/prior-authorizations", .readPriorAuthorizations),
        (.post, "api/v1/prior-authorizations", .writePriorAuthorizations),
        (.get, "api/v1/prior-authorizations/{}", .readPriorAuthorizations),
        (.post, "api/v1/prior-authorizations/{}/transitions", .writePriorAuthorizations),
        (.get, "api/v1/prior-authorizations/{}/fhir", .readPriorAuthorizations),
        (.post, "api/v1/prior-authorizations/{}/claim-response", .writePriorAuthorizations),
        (.get, "api/v1/agreement-terms", .readAgreements),
        (.post, "api/v1/agreement-terms", .writeAgreementTerms),
        (.get, "api/v1/agreement-templates", .readAgreements),
        (.post, "api/v1/agreement-templates", .writeAgreements),
        (.get, "api/v1/agreements", .readAgreements),
        (.post, "api/v1/agreements", .writeAgreements),
        (.get, "api/v1/agreements/{}", .readAgreements),
        (.post, "api/v1/agreements/{}/steps", .writeAgreements),
        (.get, "api/v1/agreements/{}/redline", .readAgreements),
        (.post, "api/v1/reimbursement/comparison", .readAgreements),
        (.get, "api/v1/metrics/journey", .readMetrics),
        (.get, "", .readMetrics),
        (.get, "network", .readMetrics),
        (.get, "cases", .readCases),
        (.get, "cases/{}", .readCases),
        (.post, "cases/{}/events", .writeCases),
        (.get, "audit", .readAudit),
        (.get, "ledger", .readLedger),
        (.get, "ledger/statements/{}", .readStatements),
        (.get, "prior-authorizations", .readPriorAuthorizations),
        (.post, "prior-authorizations", .writePriorAuthorizations),
        (.get, "prior-authorizations/{}", .readPriorAuthorizations),
        (.post, "prior-authorizations/{}/transitions", .writePriorAuthorizations),
        (.get, "patients/{}/evaluation", .readClinicalFacts),
        (.get, "agreements/{}", .readAgreements),
        (.post, "agreements/{}/steps", .writeAgreements),
        (.get, "agreements/{}/document", .readAgreements),
        (.post, "cases/{}/agreements", .writeAgreements),
        (.get, "centers/{}/cash", .readAgreements),
        (.get, "reimbursement", .readAgreements),
        (.get, "centers/{}/follow-up", .readOutcomes),
        (.get, "reports/outcomes", .readMetrics),
        (.get, "reports/site-burden", .readOutcomes),
        (.get, "patients/{}/clinical-facts", .readClinicalFacts),
        (.post, "patients/{}/clinical-facts", .writeClinicalFacts),
        (.post, "patients/{}/clinical-facts/fhir", .writeClinicalFacts),
    ]

    /// The action a request performs, or `nil` for a route the table does not know.
    static func action(_ method: HTTPRequest.Method, _ path: String) -> Action? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        for route in table where route.method == method {
            let template = route.path.split(separator: "/", omittingEmptySubsequences: true)
            guard template.count == segments.count else { continue }
            if zip(template, segments).allSatisfy({ $0 == "{}" || $0 == $1 }) { return route.action }
        }
        return nil
    }
}
