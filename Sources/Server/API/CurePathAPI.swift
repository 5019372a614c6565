import APIContract
import CareNetwork
import Core
import Foundation
import Journey
import OpenAPIRuntime
import Storage

/// The JSON API: the generated `APIProtocol`, implemented over the store.
///
/// Handlers parse generated input types into domain values (validating what the OpenAPI
/// runtime does not: identifiers, dates, ranges), call the domain and the repositories, and
/// map the results back. Errors are thrown, never formatted here: see ``ProblemMiddleware``.
struct CurePathAPI: APIProtocol {
    let store: Store
    let clock: @Sendable () -> Date

    /// A case outside the caller's scope is "not found": its existence is not disclosed.
    func requireInScope(_ id: CaseID) async throws {
        guard try await store.cases.isCase(id, in: RequestIdentity.caseScope) else {
            throw NotFoundError(entity: "case", id: id.rawValue)
        }
        RequestIdentity.touch("case:\(id)")
    }

    /// Today at `center`, the latest day an event there may carry.
    func today(at center: Center?) -> CalendarDate {
        CalendarDate.today(in: center.flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "UTC")!, now: clock())
    }
}

/// Turning loosely typed request values into domain values, naming the field on failure.
enum Parse {
    static func identifier<Tag>(_ raw: String?, field: String) throws(ValidationError) -> Identifier<Tag>? {
        guard let raw else { return nil }
        return try Identifier<Tag>.validated(raw, field: field)
    }

    /// `limit` and `offset` of a paged list: `limit` from 1 to `maximum` (default 500, or
    /// `maximum` if lower), `offset` not negative.
    static func page(limit: Int?, offset: Int?, maximum: Int) throws(ValidationError) -> (limit: Int, offset: Int) {
        let limit = limit ?? min(500, maximum), offset = offset ?? 0
        guard (1...maximum).contains(limit) else { throw ValidationError(field: "limit", problem: "must be between 1 and \(maximum), got \(limit)") }
        guard offset >= 0 else { throw ValidationError(field: "offset", problem: "must not be negative, got \(offset)") }
        return (limit, offset)
    }

    static func date(_ raw: String?, field: String) throws(ValidationError) -> CalendarDate? {
        guard let raw else { return nil }
        return try CalendarDate.parse(raw, field: field)
    }

    static func filter(center: String?, payer: String?, product: String?, referredFrom: String?, referredTo: String?) throws(ValidationError) -> JourneyFilter {
        let from = try date(referredFrom, field: "referredFrom")
        let to = try date(referredTo, field: "referredTo")
        if let from, let to, to < from {
            throw ValidationError(field: "referredTo", problem: "\(to) is before referredFrom \(from)")
        }
        return JourneyFilter(
            centerID: try identifier(center, field: "center"), payerID: try identifier(payer, field: "payer"),
            productID: try identifier(product, field: "product"), referred: DateInterval(start: from, end: to)
        )
    }

    static func text(_ raw: String?, field: String, maxLength: Int = 2000) throws(ValidationError) -> String? {
        guard let raw else { return nil }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.count <= maxLength else { throw ValidationError(field: field, problem: "must be at most \(maxLength) characters") }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) else {
            throw ValidationError(field: field, problem: "must not contain control characters")
        }
        return trimmed
    }
}

extension ValidationError {
    /// The same error with the domain's field names replaced by the API's, where they differ.
    func renamingFields(_ names: [String: String]) -> ValidationError {
        ValidationError(issues: issues.map { issue in
            var issue = issue
            issue.field = names[issue.field] ?? issue.field
            return issue
        })
    }
}
