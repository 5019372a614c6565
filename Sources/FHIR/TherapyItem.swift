import Core
import Criteria

/// One medication or transplant record on its way to becoming part of a line of therapy.
///
/// EHRs record drugs one by one (often one record per administration), while criteria count
/// lines; records are grouped by CurePath's therapy-line extension, or, without it, by
/// their start day, then merged into ``TherapyLine`` values.
struct TherapyItem {
    var agents: [String]
    var classes: [String]
    var start: CalendarDate
    /// `nil` while the record is ongoing (a period with no end).
    var end: CalendarDate?
    var line: Int?
    var outcome: TherapyOutcome?
    var outcomeDate: CalendarDate?
    var entryIndex: Int
    var path: String
}

extension FactsReader {
    /// Reads dates and CurePath line extensions of a medication or procedure record.
    mutating func readTherapyItem(_ entry: Entry, agent: String?, classes: [String], start startElement: String, period: String) {
        let resource = entry.resource
        var line: Int?
        var outcome: TherapyOutcome?
        var outcomeDate: CalendarDate?
        for extensionNode in resource.objects("extension", &issues) {
            switch extensionNode.string("url", &issues, required: true) {
            case FHIRCodeSystem.therapyLineExtension?:
                guard extensionNode.has("valueInteger") else {
                    issues.add(extensionNode.path(of: "valueInteger"), "is required: the line number (1 for the first line)")
                    continue
                }
                guard let number = extensionNode.integer("valueInteger", &issues) else { continue }
                guard (1...99).contains(number) else {
                    issues.add(extensionNode.path(of: "valueInteger"), "must be a line number from 1 to 99, got \(number)")
                    continue
                }
                line = number
            case FHIRCodeSystem.therapyLineOutcomeExtension?:
                guard let code = extensionNode.string("valueCode", &issues, required: true) else { continue }
                guard let value = TherapyOutcome(rawValue: code) else {
                    issues.add(extensionNode.path(of: "valueCode"), "must be refractory, relapsed or response, got \"\(code.prefix(40))\"")
                    continue
                }
                outcome = value
            case FHIRCodeSystem.therapyLineOutcomeDateExtension?:
                guard extensionNode.has("valueDate") else {
                    issues.add(extensionNode.path(of: "valueDate"), "is required")
                    continue
                }
                switch extensionNode.date("valueDate", &issues) {
                case .day(let day)?: outcomeDate = day
                case .partial(let text)?: issues.add(extensionNode.path(of: "valueDate"), "must be a full date (YYYY-MM-DD), got \"\(text)\"")
                case nil: break
                }
            default:
                continue
            }
        }
        let what = "a line of therapy"
        var start: CalendarDate
        var end: CalendarDate?
        if resource.has(startElement) {
            guard let (day, _) = usableDay(dated(resource, [startElement]), entry, needs: what) else { return }
            start = day
            end = day
        } else {
            guard let (day, _) = usableDay(dated(resource, ["\(period).start"]), entry, needs: what) else { return }
            start = day
            switch dated(resource, ["\(period).end"]) {
            case .day(let day, _): end = day
            case .partial(let text, _): return skip(entry, "\(period).end \(text) is a partial date; \(what) needs the day")
            case .missing: end = nil
            case .invalid: return
            }
        }
        therapyItems.append(
            TherapyItem(agents: agent.map { [$0] } ?? [], classes: classes, start: start, end: end, line: line, outcome: outcome,
                outcomeDate: outcomeDate, entryIndex: entry.index, path: resource.path))
    }

    /// Groups the records into lines, ordered by start: records with the same line number
    /// form one line; records without one form a line with the others started the same day.
    mutating func assembleTherapyLines() {
        enum Key: Hashable {
            case numbered(Int)
            case started(CalendarDate)
        }
        var order: [Key] = []
        var groups: [Key: [TherapyItem]] = [:]
        for item in therapyItems {
            let key = item.line.map(Key.numbered) ?? .started(item.start)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(item)
        }
        var lines: [(line: TherapyLine, source: Source, position: Int)] = []
        for (position, key) in order.enumerated() {
            guard let items = groups[key], let first = items.first else { continue }
            var agents: [String] = [], classes: [String] = []
            var outcome: (value: TherapyOutcome, entry: Int)?
            var outcomeDate: (value: CalendarDate, entry: Int)?
            for item in items {
                for agent in item.agents where !agents.contains(agent) { agents.append(agent) }
                for name in item.classes where !classes.contains(name) { classes.append(name) }
                if let value = item.outcome {
                    if let known = outcome, known.value != value {
                        issues.add("\(item.path).extension", "the line's outcome \(value.rawValue) disagrees with \(known.value.rawValue) on entry[\(known.entry)]")
                    } else if outcome == nil { outcome = (value, item.entryIndex) }
                }
                if let value = item.outcomeDate {
                    if let known = outcomeDate, known.value != value {
                        issues.add("\(item.path).extension", "the line's outcome date \(value) disagrees with \(known.value) on entry[\(known.entry)]")
                    } else if outcomeDate == nil { outcomeDate = (value, item.entryIndex) }
                }
            }
            let start = items.map(\.start).min() ?? first.start
            let end: CalendarDate? = items.contains { $0.end == nil } ? nil : items.compactMap(\.end).max()
            let entries = items.map { "entry[\($0.entryIndex)]" }.joined(separator: ", ")
            let line = TherapyLine(agents: agents, classes: classes, start: start, end: end, outcome: outcome?.value, outcomeDate: outcomeDate?.value)
            lines.append((line, Source(resource: first.path, fields: ["_entries": entries]), position))
        }
        lines.sort { ($0.line.start, $0.position) < ($1.line.start, $1.position) }
        facts.therapyLines = lines.map(\.line)
        sources["therapyLines"] = lines.map(\.source)
    }
}
