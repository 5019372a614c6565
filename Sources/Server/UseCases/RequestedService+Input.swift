import Core
import Coverage

extension RequestedService {
    /// The service a filing or a revision names, read from its submitted kind and product;
    /// errors name `field.kind` and `field.product`.
    static func parse(kind rawKind: String, product rawProduct: String?, field: String) throws(ValidationError) -> RequestedService {
        guard let kind = ServiceKind(rawValue: rawKind) else {
            throw ValidationError(field: "\(field).kind", problem: "must be one of \(ServiceKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return try RequestedService(kind: kind, product: try Parse.identifier(rawProduct, field: "\(field).product")).validated(field: field)
    }
}

extension Urgency {
    /// The urgency a filing or a revision names; the error names `field`.
    static func parse(_ raw: String, field: String) throws(ValidationError) -> Urgency {
        guard let urgency = Urgency(rawValue: raw) else { throw ValidationError(field: field, problem: "must be expedited or standard") }
        return urgency
    }
}
