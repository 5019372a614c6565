import Registry

/// A center's data-entry burden as the pages print it.
struct BurdenFigures {
    var eventsEntered, fieldsEntered, eventsReceived, reentryAvoided: Int
    var patientYears, fieldsPerPatientYear: String

    init(_ burden: SiteBurden) {
        eventsEntered = burden.eventsEntered
        fieldsEntered = burden.fieldsEntered
        eventsReceived = burden.eventsReceived
        reentryAvoided = burden.reentryAvoided
        patientYears = Format.number(burden.patientYears)
        fieldsPerPatientYear = burden.fieldsPerPatientYear.map(Format.number) ?? "—"
    }
}
