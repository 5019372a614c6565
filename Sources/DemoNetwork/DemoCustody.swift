import Core
import Foundation
import Journey

/// The chain of identity and custody a demo case's cells would have: collected at
/// apheresis, couriered to the manufacturer, given a lot, shipped back, received, thawed
/// and infused — as far as the case has got.
enum DemoCustody {
    /// The custody records of `demoCase`, in order; empty before apheresis completes. Hours
    /// (UTC) are chosen so that steps falling on the same day still run forward in time.
    static func records(for demoCase: DemoCase, journey: CaseJourney, center: String) -> [CustodyRecord] {
        guard let collected = journey.state(of: .apheresis).completed else { return [] }
        let number = demoCase.record.id.rawValue.split(separator: "-").last.map(String.init) ?? demoCase.record.id.rawValue
        let collection = "COI-\(number)"
        let lot = "LOT-\(demoCase.record.productID.rawValue.replacingOccurrences(of: "prd-", with: "").uppercased())-\(number)"
        func at(_ date: CalendarDate, hour: Int) -> Date {
            Date(timeIntervalSince1970: (Double(date.daysSinceEpoch) * 24 + Double(hour)) * 3600)
        }
        var records = [
            CustodyRecord(kind: .collection, occurredAt: at(collected, hour: 12), party: center, collectionID: collection),
            CustodyRecord(kind: .handoff, occurredAt: at(collected, hour: 13), party: "Cryo courier", collectionID: collection,
                          note: "to the manufacturing site"),
        ]
        guard let manufacturing = journey.state(of: .manufacturing).started else { return records }
        records.append(CustodyRecord(kind: .manufacturingLot, occurredAt: at(manufacturing, hour: 17), party: "Manufacturing site",
                                     collectionID: collection, lot: lot))
        guard let released = journey.state(of: .manufacturing).completed else { return records }
        records.append(CustodyRecord(kind: .handoff, occurredAt: at(released, hour: 18), party: "Cryo courier", collectionID: collection,
                                     lot: lot, note: "released product to the center"))
        records.append(CustodyRecord(kind: .receipt, occurredAt: at(released.adding(days: 1), hour: 9), party: center,
                                     collectionID: collection, lot: lot))
        guard let infused = journey.state(of: journey.template.infusionStage).completed else { return records }
        records.append(CustodyRecord(kind: .thaw, occurredAt: at(infused, hour: 14), party: center, collectionID: collection, lot: lot))
        records.append(CustodyRecord(kind: .infusion, occurredAt: at(infused, hour: 15), party: center, collectionID: collection, lot: lot))
        return records
    }
}

extension DemoNetwork {
    /// Custody records for every case that has reached collection, keyed by case.
    public func custodyRecords() -> [(caseID: CaseID, records: [CustodyRecord])] {
        let centers = Dictionary(uniqueKeysWithValues: self.centers.map { ($0.id, $0.name) })
        return cases.compactMap { demoCase in
            guard let journey = try? demoCase.journey() else { return nil }
            let records = DemoCustody.records(for: demoCase, journey: journey, center: centers[demoCase.record.centerID] ?? "Treatment center")
            return records.isEmpty ? nil : (demoCase.record.id, records)
        }
    }
}
