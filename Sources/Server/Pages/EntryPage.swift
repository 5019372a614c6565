/// A page whose whole purpose is one entry form — registering a patient, opening a case:
/// a heading, a sentence on what the form does and what happens next, and the form with
/// each problem beside its field.
struct EntryPage {
    var session = PageSession.current
    var title: String
    var lede: String
    /// Where the form posts.
    var action: String
    var submit: String
    var form: EntryForm
    /// Links to where the person may want to go instead (the case list, the patient).
    var links: [Link] = []

    struct Link {
        var href: String
        var label: String
    }
}
