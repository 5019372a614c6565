import Outcomes

/// Toxicity grades: where a Condition or Observation may state one, and agreeing on one.
extension OutcomeReader {
    /// Grades stated outside the code: a grade code in `stage[].summary` (the CTCAE grade
    /// system, or NCI Thesaurus grade concepts) and CurePath's toxicity-grade extension.
    /// `severity` (mild, moderate, severe) is not a grade and is not read.
    func statedGrades(_ resource: JSONNode, _ issues: inout IssueList) -> [(Int, String)] {
        var grades: [(Int, String)] = []
        for stage in resource.objects("stage", &issues) {
            guard let summary = stage.member("summary") else { continue }
            grades += Coding.all(in: summary, &issues).compactMap(OutcomeTerminology.grade).map { ($0, summary.path) }
        }
        for extensionNode in resource.objects("extension", &issues) where extensionNode.string("url", &issues) == OutcomeTerminology.toxicityGradeExtension {
            guard extensionNode.has("valueInteger") else {
                issues.add(extensionNode.path, "the toxicity-grade extension needs valueInteger (1 to 5)")
                continue
            }
            if let grade = extensionNode.integer("valueInteger", &issues) { grades.append((grade, extensionNode.path(of: "valueInteger"))) }
        }
        return grades
    }

    /// The one grade of an outcome, with where it was stated; `nil` (reported) when the grades
    /// disagree, when one is 0, or when CRS or ICANS has none. An infection may have none.
    func oneGrade(_ grades: [(Int, String)], kind: OutcomeKindCode, at path: String, _ issues: inout IssueList) -> (grade: Int?, path: String)? {
        if let zero = grades.first(where: { $0.0 == 0 }) {
            issues.add(zero.1, "grade 0 means it did not occur; leave the resource out, or mark a Condition refuted")
            return nil
        }
        guard let first = grades.first else {
            guard kind == .infection else {
                issues.add(path, "\(kind.rawValue) needs its worst grade (1 to 5): an ICD-10-CM code with the grade, a CTCAE grade in stage.summary, or the toxicity-grade extension")
                return nil
            }
            return (nil, path)
        }
        if let other = grades.first(where: { $0.0 != first.0 }) {
            issues.add(other.1, "says grade \(other.0), but \(first.1) says grade \(first.0); one outcome has one grade, its worst")
            return nil
        }
        return (first.0, first.1)
    }
}
