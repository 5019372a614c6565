import Outcomes

/// Checks a contract file's raw text before a YAML parser sees it.
///
/// The YAML parser builds its tree recursively, so a file nested a hundred thousand levels
/// deep would exhaust the stack; anchors and aliases let a small file expand into a huge
/// one. Neither belongs in a contract, so they are refused here, with the line, from the
/// text alone: indentation levels and compact `- -` sequences for block nesting, brackets
/// outside quotes and comments for flow nesting, and — as a hard bound that no quoting
/// trick can get around — the total number of opening brackets.
enum ContractFileScan {
    static let maximumDepth = 32
    /// More than any real contract needs (a large JSON contract uses about 200), few enough
    /// that even fully nested the parser's recursion stays shallow.
    static let maximumBrackets = 1_000

    static func check(_ bytes: UnsafeRawBufferPointer) -> FileValidationError.Issue? {
        var line = 1
        var flowDepth = 0
        var brackets = 0
        var quote: UInt8? = nil
        var indents: [Int] = []
        var blockScalarParent: Int? = nil
        var index = 0
        let count = bytes.count
        while index < count {
            // One line at a time: [start, end).
            let start = index
            var end = start
            while end < count, bytes[end] != 0x0A { end += 1 }
            defer {
                index = end + 1
                line += 1
            }
            var indent = 0
            while start + indent < end, bytes[start + indent] == 0x20 { indent += 1 }
            let contentStart = start + indent
            let blank = contentStart >= end || bytes[contentStart] == UInt8(ascii: "#") || bytes[contentStart] == 0x0D
            if let parent = blockScalarParent {
                if blank || indent > parent { continue }
                blockScalarParent = nil
            }
            if !blank && quote == nil && flowDepth == 0 {
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
            } else if !blank && indents.last.map({ indent > $0 }) ?? true {
                // Continuation lines of a quoted or flow value still count, conservatively.
                indents.append(indent)
            }
            var position = contentStart
            var compact = 0
            while position + 1 < end, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "?"), bytes[position + 1] == 0x20 {
                compact += 1
                position += 2
                while position < end, bytes[position] == 0x20 { position += 1 }
            }
            if indents.count + compact + flowDepth > maximumDepth {
                return issue(line, "is nested deeper than \(maximumDepth) levels", rule: "depth")
            }

            // Characters: quotes, comments, brackets, anchors, aliases, tags, control characters.
            var nodeStart = true
            var previous: UInt8 = 0x20
            var cursor = contentStart
            while cursor < end {
                let byte = bytes[cursor]
                defer {
                    previous = byte
                    cursor += 1
                }
                if byte < 0x20 && byte != 0x09 && byte != 0x0D || byte == 0x7F {
                    return issue(line, "contains a control character (byte 0x\(String(byte, radix: 16)))", rule: "encoding")
                }
                if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                    brackets += 1
                    if brackets > maximumBrackets {
                        return issue(line, "has more than \(maximumBrackets) opening brackets; contract files are not that large", rule: "size-limit")
                    }
                }
                if let open = quote {
                    if open == UInt8(ascii: "\"") && byte == UInt8(ascii: "\\") {
                        cursor += 1
                    } else if byte == open {
                        if open == UInt8(ascii: "'"), cursor + 1 < end, bytes[cursor + 1] == open {
                            cursor += 1
                        } else {
                            quote = nil
                            nodeStart = false
                        }
                    }
                    continue
                }
                switch byte {
                case 0x20, 0x09, 0x0D:
                    continue
                case UInt8(ascii: "#") where previous == 0x20 || previous == 0x09 || cursor == contentStart:
                    cursor = end
                    continue
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    if nodeStart { quote = byte }
                    nodeStart = false
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flowDepth += 1
                    if indents.count + compact + flowDepth > maximumDepth {
                        return issue(line, "is nested deeper than \(maximumDepth) levels", rule: "depth")
                    }
                    nodeStart = true
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    flowDepth = max(0, flowDepth - 1)
                    nodeStart = false
                case UInt8(ascii: ","):
                    nodeStart = true
                case UInt8(ascii: ":"):
                    nodeStart = true
                case UInt8(ascii: "-") where nodeStart:
                    nodeStart = true
                case UInt8(ascii: "&") where nodeStart, UInt8(ascii: "*") where nodeStart:
                    return issue(line, "uses a YAML anchor or alias ('\(Character(Unicode.Scalar(byte)))'); write each value out in full", rule: "anchors")
                case UInt8(ascii: "!") where nodeStart:
                    return issue(line, "uses a YAML tag ('!'); contract files need none", rule: "tags")
                case UInt8(ascii: "|") where nodeStart && flowDepth == 0, UInt8(ascii: ">") where nodeStart && flowDepth == 0:
                    // A block scalar: the lines indented under this one are text.
                    blockScalarParent = indent
                    cursor = end
                    continue
                default:
                    nodeStart = false
                }
            }
        }
        return nil
    }

    private static func issue(_ line: Int, _ problem: String, rule: String) -> FileValidationError.Issue {
        FileValidationError.Issue(line: line, path: "", problem: problem, rule: rule)
    }
}
