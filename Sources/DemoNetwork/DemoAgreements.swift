import CareNetwork
import Core
import Coverage
import Foundation
import Journey

/// The demo's single-case agreements, read off each case's financial-agreement stage so the
/// agreements and the journeys agree: the stage starting is the center's draft from the
/// network-wide CAR-T template, sent the same day; a few days later the payer counters the
/// case rate; a block is the payer's second counter on the outlier terms; completion is the
/// center accepting and both signing. Cases still in the stage are open negotiations.
public enum DemoAgreements {
    public static func build(for demo: DemoNetwork) -> [Agreement] {
        let library = StandardTerms.library
        let template = StandardTerms.carTTemplate()
        let products = Dictionary(uniqueKeysWithValues: demo.products.map { ($0.id, $0) })
        var agreements: [Agreement] = []
        for demoCase in demo.cases {
            let stage = demoCase.events.filter { $0.stage == .financialAgreement }
            guard let started = stage.first(where: { $0.kind == .started }), let product = products[demoCase.record.productID] else { continue }
            let record = demoCase.record
            let number = record.id.rawValue.split(separator: "-").last.map(String.init) ?? record.id.rawValue
            let facts = Agreement.CaseFacts(
                caseID: record.id, patient: record.patientID, center: record.centerID, payer: record.payerID, product: record.productID,
                values: ["diagnosis_code": product.modality == .carT ? "C83.30" : "D57.1", "product_name": product.name])
            func at(_ date: CalendarDate, _ hour: Int) -> Date { Date(timeIntervalSince1970: Double(date.daysSinceEpoch) * 86_400 + Double(hour) * 3600) }
            do {
                var agreement = try Agreement.draft(id: AgreementID("sca-\(number)"), for: facts, template: template, library: library, at: at(started.date, 13))
                agreement = try agreement.sending(library: library, at: at(started.date, 15))
                let completed = stage.first { $0.kind == .completed }
                let last = completed?.date ?? demo.today
                let counter = min(started.date.adding(days: 3), last)
                // Payers counter the case rate down; the figures vary by case so the redlines differ.
                let rate = 150_000 + (Int(number) ?? 0) % 7 * 5_000
                agreement = try agreement.proposing(.init(values: ["case-rate": ["amount": String(rate)]], note: "case rate per the payer's schedule"),
                                                    by: .payer, library: library, at: at(counter, 16))
                if let blocked = stage.first(where: { $0.kind == .blocked }), blocked.date >= counter {
                    agreement = try agreement.proposing(.init(values: ["outlier": ["threshold": "500000", "percent": "50"]]), by: .payer, library: library, at: at(blocked.date, 17))
                }
                if let completed {
                    agreement = try agreement.accepting(version: agreement.latest.number, by: .center, at: at(completed.date, 18))
                        .signing(by: .center, at: at(completed.date, 18)).signing(by: .payer, at: at(completed.date, 19))
                }
                agreements.append(agreement)
            } catch {
                // The demo's journeys and the starter terms are built together, so a refusal is a defect.
                preconditionFailure("demo agreement for \(record.id): \(error)")
            }
        }
        return agreements
    }
}
