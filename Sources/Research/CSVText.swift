import Foundation

/// CSV as RFC 4180 writes it: records end in CRLF, a field holding a comma, a double quote,
/// CR or LF is enclosed in double quotes with its quotes doubled, and anything else is
/// written as it is — so an empty field is NULL to a `COPY … CSV` loader.
public enum CSVText {
    public static let recordEnd = "\r\n"

    public static func field(_ text: String) -> String {
        let needsQuotes = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + recordEnd
    }
}
