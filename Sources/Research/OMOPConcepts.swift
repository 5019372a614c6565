/// The OMOP standard concept IDs a research export writes, each with where it comes from.
///
/// Only concepts checked against a published source are listed. Everything else is written as
/// concept 0 ("no matching concept", the CDM convention for an unmapped value) with CurePath's
/// own code in the `*_source_value` column, so a research site maps it with its vocabulary
/// (a `source_to_concept_map` for the "CurePath" codes in docs/OMOP.md): a wrong concept ID
/// would silently put patients into the wrong cohort, a 0 only leaves them unmapped.
public enum OMOPConcepts {
    /// "No matching concept": the CDM's value for a concept field with nothing to map to
    /// (CDM conventions, "Representation of content through Concepts").
    public static let noMatchingConcept = 0

    // MARK: Gender (OHDSI Vocabulary-v5.0 wiki, "Vocab. GENDER")

    /// MALE, one of the only two standard Gender concepts.
    public static let male = 8507
    /// FEMALE, the other standard Gender concept.
    public static let female = 8532
    // Unknown and other sexes are concept 0: the Gender vocabulary's 8551 (UNKNOWN) and 8521
    // (OTHER) are not standard, and the wiki says "all those other genders are denoted as
    // concept_id=0". The source value (`unknown`, `other`) is kept in gender_source_value.

    // MARK: Type concepts (OHDSI Vocabulary-v5.0 wiki, "Vocab. TYPE_CONCEPT"; domain "Type Concept")

    /// "Registry": the provenance of everything CurePath's outcomes registry holds — infusions,
    /// outcome events, deaths, the observation period drawn from them.
    public static let registry = 32879
    /// "EHR": diagnoses, which come from the center's clinical record (entered or imported
    /// from its EHR as clinical facts), not from the registry.
    public static let ehr = 32817

    // MARK: Drugs (RxNorm ingredients)

    /// Products' RxNorm ingredient concepts by non-proprietary name, lower case. A product not
    /// listed is written as concept 0 with its non-proprietary name as drug_source_value.
    ///
    /// - `axicabtagene ciloleucel` → 792844: the RxNorm ingredient concept as mapped in the
    ///   Oxford OMOP data mapper's SACT drug lookup (answerdigital/oxford-omop-data-mapper,
    ///   docs/transformation-documentation/DrugExposure_drug_source_concept_id.md).
    ///
    /// The other CAR-T and gene therapy ingredients have concepts too, but none was found in a
    /// source that could be checked, and a guessed ID is worse than 0.
    public static let drugs: [String: Int] = [
        "axicabtagene ciloleucel": 792844,
    ]

    /// The drug concept of a product by its non-proprietary name, or 0.
    public static func drug(genericName: String) -> Int {
        drugs[genericName.lowercased()] ?? noMatchingConcept
    }
}
