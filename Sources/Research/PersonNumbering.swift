/// The integer `person_id` of each research ID in one extract.
///
/// The CDM wants an integer key (the DDL's `integer`, 32 bits), too short to be the research ID
/// itself. Each person gets the number derived from their research ID, so the same person has
/// the same person_id in every extract under one key; when two research IDs want the same
/// number, the one that sorts first keeps it and the other takes the next free number. Such a
/// clash needs two patients among 2³¹ numbers (about one extract in 40 at 10,000 patients),
/// and then only the later patient's person_id differs between extracts that do not both
/// hold the earlier one: `person_source_value` is the key to join extracts on.
public enum PersonNumbering {
    public static let largest = Int(Int32.max)

    public static func assign(_ ids: [ResearchID]) -> [ResearchID: Int] {
        var taken = Set<Int>()
        var assigned: [ResearchID: Int] = [:]
        for id in Set(ids).sorted() {
            var number = id.preferredPersonID
            while taken.contains(number) { number = number == largest ? 1 : number + 1 }
            taken.insert(number)
            assigned[id] = number
        }
        return assigned
    }
}
