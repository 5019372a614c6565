/// The OMOP CDM v5.4 tables a research export writes, each with its columns exactly as the
/// OHDSI DDL declares them (`OHDSI/CommonDataModel`, `inst/ddl/5.4/postgresql/OMOPCDM_postgresql_5.4_ddl.sql`).
///
/// Research sites load these files straight into their CDM with a bulk `COPY … CSV HEADER`,
/// which matches columns by position, so the order here is the DDL's and must not change;
/// `ResearchTests` compare every list with the DDL written out by hand.
public enum OMOPTable: String, CaseIterable, Hashable, Sendable {
    case person
    case observationPeriod = "observation_period"
    case conditionOccurrence = "condition_occurrence"
    case drugExposure = "drug_exposure"
    case procedureOccurrence = "procedure_occurrence"
    case measurement
    case observation
    case death

    /// The table's name in the CDM, also the file's name without `.csv`.
    public var name: String { rawValue }

    public var fileName: String { rawValue + ".csv" }

    /// The column holding each row's own key; `death` has none (one row per person).
    public var keyColumn: String? {
        switch self {
        case .person: "person_id"
        case .observationPeriod: "observation_period_id"
        case .conditionOccurrence: "condition_occurrence_id"
        case .drugExposure: "drug_exposure_id"
        case .procedureOccurrence: "procedure_occurrence_id"
        case .measurement: "measurement_id"
        case .observation: "observation_id"
        case .death: nil
        }
    }

    /// The longest text the DDL allows in a column, for the text columns the export fills;
    /// `nil` for columns without a limit or that hold numbers and dates.
    public static func maximumLength(of column: String) -> Int? {
        if column.hasSuffix("_source_value") { return 50 }
        switch column {
        case "value_as_string": return 60
        case "stop_reason": return 20
        default: return nil
        }
    }

    public var columns: [String] {
        switch self {
        case .person: Self.personColumns
        case .observationPeriod: Self.observationPeriodColumns
        case .conditionOccurrence: Self.conditionOccurrenceColumns
        case .drugExposure: Self.drugExposureColumns
        case .procedureOccurrence: Self.procedureOccurrenceColumns
        case .measurement: Self.measurementColumns
        case .observation: Self.observationColumns
        case .death: Self.deathColumns
        }
    }

    private static let personColumns = [
        "person_id", "gender_concept_id", "year_of_birth", "month_of_birth", "day_of_birth", "birth_datetime", "race_concept_id",
        "ethnicity_concept_id", "location_id", "provider_id", "care_site_id", "person_source_value", "gender_source_value",
        "gender_source_concept_id", "race_source_value", "race_source_concept_id", "ethnicity_source_value", "ethnicity_source_concept_id",
    ]

    private static let observationPeriodColumns = [
        "observation_period_id", "person_id", "observation_period_start_date", "observation_period_end_date", "period_type_concept_id",
    ]

    private static let conditionOccurrenceColumns = [
        "condition_occurrence_id", "person_id", "condition_concept_id", "condition_start_date", "condition_start_datetime",
        "condition_end_date", "condition_end_datetime", "condition_type_concept_id", "condition_status_concept_id", "stop_reason",
        "provider_id", "visit_occurrence_id", "visit_detail_id", "condition_source_value", "condition_source_concept_id",
        "condition_status_source_value",
    ]

    private static let drugExposureColumns = [
        "drug_exposure_id", "person_id", "drug_concept_id", "drug_exposure_start_date", "drug_exposure_start_datetime",
        "drug_exposure_end_date", "drug_exposure_end_datetime", "verbatim_end_date", "drug_type_concept_id", "stop_reason", "refills",
        "quantity", "days_supply", "sig", "route_concept_id", "lot_number", "provider_id", "visit_occurrence_id", "visit_detail_id",
        "drug_source_value", "drug_source_concept_id", "route_source_value", "dose_unit_source_value",
    ]

    private static let procedureOccurrenceColumns = [
        "procedure_occurrence_id", "person_id", "procedure_concept_id", "procedure_date", "procedure_datetime", "procedure_end_date",
        "procedure_end_datetime", "procedure_type_concept_id", "modifier_concept_id", "quantity", "provider_id", "visit_occurrence_id",
        "visit_detail_id", "procedure_source_value", "procedure_source_concept_id", "modifier_source_value",
    ]

    private static let measurementColumns = [
        "measurement_id", "person_id", "measurement_concept_id", "measurement_date", "measurement_datetime", "measurement_time",
        "measurement_type_concept_id", "operator_concept_id", "value_as_number", "value_as_concept_id", "unit_concept_id", "range_low",
        "range_high", "provider_id", "visit_occurrence_id", "visit_detail_id", "measurement_source_value", "measurement_source_concept_id",
        "unit_source_value", "unit_source_concept_id", "value_source_value", "measurement_event_id", "meas_event_field_concept_id",
    ]

    private static let observationColumns = [
        "observation_id", "person_id", "observation_concept_id", "observation_date", "observation_datetime", "observation_type_concept_id",
        "value_as_number", "value_as_string", "value_as_concept_id", "qualifier_concept_id", "unit_concept_id", "provider_id",
        "visit_occurrence_id", "visit_detail_id", "observation_source_value", "observation_source_concept_id", "unit_source_value",
        "qualifier_source_value", "value_source_value", "observation_event_id", "obs_event_field_concept_id",
    ]

    private static let deathColumns = [
        "person_id", "death_date", "death_datetime", "death_type_concept_id", "cause_concept_id", "cause_source_value", "cause_source_concept_id",
    ]
}
