import Storage

extension ReferenceKind {
    /// The kind's heading on the pages.
    var title: String {
        switch self {
        case .centers: "Treatment centers"
        case .payers: "Payers"
        case .plans: "Plans"
        case .products: "Products"
        }
    }

    /// One record of the kind, as pages and audit rows name it (`center:ctr-lakeside`).
    var singular: String { String(rawValue.dropLast()) }
}
