import CareNetwork
import Journey

/// One patient as the organizations related to them see them: the unidentified record
/// (ID, birth year, sex), their coverage periods, their open cases in the viewer's scope,
/// and — for those who enter coverage — the form to add a period. Names and other
/// identifiers stay sealed: this page never opens them.
struct PatientPage {
    struct CoverageRow { var payer, plan, planType, start, end: String }
    struct CaseRow { var id, product, center, referred: String }

    var session = PageSession.current
    var id: String
    var birthYear: Int
    var sex: String
    var coverage: [CoverageRow]
    var hasCoverage: Bool
    var cases: [CaseRow]
    var hasCases: Bool
    var canAddCoverage: Bool
    var canOpenCase: Bool
    var form: EntryForm
    var notice: String?

    init(_ patient: Patient, coverage periods: [CoveragePeriod], cases: [Case], directory: Directory,
         canAddCoverage: Bool, canOpenCase: Bool, form: EntryForm, notice: String?) {
        id = patient.id.rawValue
        birthYear = patient.birthYear
        sex = patient.sex.rawValue
        coverage = periods.sorted { $0.start > $1.start }.map { period in
            let plan = directory.plan(period.planID)
            return CoverageRow(payer: directory.payer(period.payerID)?.name ?? period.payerID.rawValue, plan: plan?.name ?? period.planID.rawValue,
                               planType: plan?.type.rawValue ?? "", start: period.start.description, end: period.end?.description ?? "open")
        }
        hasCoverage = !coverage.isEmpty
        self.cases = cases.map { record in
            CaseRow(id: record.id.rawValue, product: directory.product(record.productID)?.name ?? record.productID.rawValue,
                    center: directory.center(record.centerID)?.name ?? record.centerID.rawValue, referred: record.referralDate.description)
        }
        hasCases = !self.cases.isEmpty
        self.canAddCoverage = canAddCoverage
        self.canOpenCase = canOpenCase
        self.form = form
        self.notice = notice
    }
}
