/// One resource of a Bundle as the bundle readers walk it: its place in `Bundle.entry`, what
/// it is, and the codes seen in it for the unmapped report.
struct BundleEntry {
    let index: Int
    let fullUrl: String?
    let resource: JSONNode
    let resourceType: String
    let id: String?
    /// The codes seen, as `system|code`, for the unmapped report.
    var codes: [String] = []
}

extension JSONNode {
    /// The resources of this Bundle's `entry` array, in order. An entry that is not an object,
    /// or whose resource is not one or has no `resourceType`, is an issue at its path; an entry
    /// without a resource is unmapped — so every reader refuses and skips the same things.
    func bundleEntries(_ issues: inout IssueList, unmapped: inout [UnmappedResource]) -> [BundleEntry] {
        var entries: [BundleEntry] = []
        for (index, element) in array("entry", &issues).enumerated() {
            guard element.isObject else {
                issues.add(element.path, "must be an object, got \(element.value.typeName)")
                continue
            }
            let fullUrl = element.string("fullUrl", &issues)
            guard let resource = element.member("resource") else {
                unmapped.append(UnmappedResource(entryIndex: index, resourceType: "(none)", reason: "the entry has no resource"))
                continue
            }
            guard resource.isObject else {
                issues.add(resource.path, "must be an object, got \(resource.value.typeName)")
                continue
            }
            guard let type = resource.string("resourceType", &issues, required: true) else { continue }
            entries.append(BundleEntry(index: index, fullUrl: fullUrl, resource: resource, resourceType: type, id: resource.string("id", &issues)))
        }
        return entries
    }
}
