import Core
import Journey

/// The compact text form of a case's intervals kept in `cases.intervals`.
///
/// One interval per started or cancelled stage, separated by `;`, each as
/// `stage,start,completed,cancelled,waiting,blocked,atRisk,critical` — integers in days
/// since referral, empty for none, booleans as 0/1. Parsing 100,000 of these is several
/// times faster than decoding JSON, which is what keeps network metrics under a second.
enum SummaryEncoding {
    static func encode(_ intervals: [CaseSummary.Interval]) -> String {
        intervals.map { interval in
            [
                interval.stage.rawValue, String(interval.start), interval.completed.map(String.init) ?? "",
                interval.cancelled ? "1" : "0", interval.waitingDays.map(String.init) ?? "", String(interval.blockedDays),
                interval.atRisk ? "1" : "0", String(interval.criticalDays),
            ].joined(separator: ",")
        }.joined(separator: ";")
    }

    static func decode(_ text: String) throws -> [CaseSummary.Interval] {
        guard !text.isEmpty else { return [] }
        var result: [CaseSummary.Interval] = []
        for item in text.utf8.split(separator: UInt8(ascii: ";")) {
            let fields = item.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard fields.count == 8, let stage = String(fields[0]), let start = int(fields[1]) else {
                throw StorageError.corrupt("interval '\(String(decoding: item, as: UTF8.self))'")
            }
            result.append(
                CaseSummary.Interval(
                    stage: StageKey(rawValue: stage), start: start, completed: int(fields[2]), cancelled: fields[3].first == UInt8(ascii: "1"),
                    waitingDays: int(fields[4]), blockedDays: int(fields[5]) ?? 0, atRisk: fields[6].first == UInt8(ascii: "1"),
                    criticalDays: int(fields[7]) ?? 0
                )
            )
        }
        return result
    }

    private static func int(_ bytes: Substring.UTF8View.SubSequence) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        var negative = false
        for byte in bytes {
            if byte == UInt8(ascii: "-") { negative = true; continue }
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return negative ? -value : value
    }
}
