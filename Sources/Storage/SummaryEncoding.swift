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

    static func decode(_ text: Substring) throws -> [CaseSummary.Interval] {
        var text = text
        // A hand-rolled scan over contiguous bytes: splitting into arrays of fields was the
        // largest cost of a network report.
        return try text.withUTF8 { bytes in
            var result: [CaseSummary.Interval] = []
            result.reserveCapacity(14)
            var index = 0
            let end = bytes.count
            func field() -> Range<Int> {
                let start = index
                while index < end, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: ";") { index += 1 }
                return start..<index
            }
            func separator(_ expected: UInt8) -> Bool {
                guard index < end, bytes[index] == expected else { return false }
                index += 1
                return true
            }
            func int(_ range: Range<Int>) -> Int? {
                guard !range.isEmpty else { return nil }
                var value = 0
                var negative = false
                for position in range {
                    let byte = bytes[position]
                    if byte == UInt8(ascii: "-"), position == range.lowerBound { negative = true; continue }
                    guard byte >= 0x30, byte <= 0x39 else { return nil }
                    value = value * 10 + Int(byte - 0x30)
                }
                return negative ? -value : value
            }
            func flag(_ range: Range<Int>) -> Bool { range.count == 1 && bytes[range.lowerBound] == UInt8(ascii: "1") }
            while index < end {
                let itemStart = index
                let stageRange = field()
                var ranges: [Range<Int>] = []
                ranges.reserveCapacity(7)
                while ranges.count < 7, separator(UInt8(ascii: ",")) { ranges.append(field()) }
                guard ranges.count == 7, index == end || separator(UInt8(ascii: ";")),
                    let stage = stageKey(UnsafeBufferPointer(rebasing: bytes[stageRange])), let start = int(ranges[0])
                else {
                    throw StorageError.corrupt("interval '\(String(decoding: UnsafeBufferPointer(rebasing: bytes[itemStart..<min(end, itemStart + 80)]), as: UTF8.self))'")
                }
                result.append(
                    CaseSummary.Interval(
                        stage: stage, start: start, completed: int(ranges[1]), cancelled: flag(ranges[2]),
                        waitingDays: int(ranges[3]), blockedDays: int(ranges[4]) ?? 0, atRisk: flag(ranges[5]),
                        criticalDays: int(ranges[6]) ?? 0
                    )
                )
            }
            return result
        }
    }

    /// The stage keys of the built-in templates, reused instead of allocating a new string
    /// per interval (most keys are too long for Swift's inline small strings).
    private static let knownStages: [(bytes: [UInt8], key: StageKey)] = {
        var seen: Set<StageKey> = []
        return JourneyTemplate.builtIn.flatMap(\.stages).compactMap { stage in
            seen.insert(stage.key).inserted ? (Array(stage.key.rawValue.utf8), stage.key) : nil
        }
    }()

    private static func stageKey(_ bytes: UnsafeBufferPointer<UInt8>) -> StageKey? {
        guard !bytes.isEmpty else { return nil }
        for known in knownStages where known.bytes.count == bytes.count && known.bytes.elementsEqual(bytes) {
            return known.key
        }
        return StageKey(rawValue: String(decoding: bytes, as: UTF8.self))
    }
}
