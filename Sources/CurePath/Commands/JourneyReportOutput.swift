import Foundation
import Journey
import Server

/// The three renderings of a journey report.
enum JourneyReportOutput {
    typealias Group = (key: String, name: String, metrics: NetworkMetrics)

    static func json(groups: [Group], by: JourneyGrouping?) throws -> String {
        struct Output: Encodable {
            struct Item: Encodable { var key: String; var name: String; var metrics: NetworkMetrics }
            var by: String?
            var groups: [Item]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let output = Output(by: by?.rawValue, groups: groups.map { .init(key: $0.key, name: $0.name, metrics: $0.metrics) })
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }

    /// Long format: one row per group and interval, as analysts load it.
    static func csv(groups: [Group]) -> String {
        var lines = ["group,group_name,interval,label,count,mean,p25,median,p75,p90,min,max"]
        for group in groups {
            for interval in group.metrics.intervals {
                let d = interval.distribution
                let fields: [String] = [
                    group.key, group.name, interval.key, interval.label, String(d.count), number(d.mean), number(d.p25), number(d.median),
                    number(d.p75), number(d.p90), d.min.map(String.init) ?? "", d.max.map(String.init) ?? "",
                ]
                lines.append(fields.map(csvField).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func table(groups: [Group]) -> String {
        let header = ["Group", "Cases", "Infused", "Open", "Lost %", "Median r→i", "p25", "p75", "p90", "Top bottleneck (mean days)"]
        var rows: [[String]] = []
        for group in groups {
            let m = group.metrics
            let total = m.interval("referral_to_infusion")?.distribution
            let top = m.bottlenecks.first.map { "\($0.label) (\(number($0.meanCriticalDays)))" } ?? "–"
            rows.append([
                group.name, String(m.caseCount), String(m.infusedCount), String(m.openCount),
                m.lostBeforeInfusionShare.map { number($0 * 100) } ?? "–",
                number(total?.median), number(total?.p25), number(total?.p75), number(total?.p90), top,
            ])
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 || index == cells.count - 1 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        var output = line(header) + "\n" + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { output += line(row) + "\n" }
        return output
    }

    static func number(_ value: Double?) -> String { value.map(Format.number) ?? "" }

    static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
