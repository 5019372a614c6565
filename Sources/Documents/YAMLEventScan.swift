import Core
internal import CYaml

/// One pass over libyaml's event stream that refuses what a user's document must never hold,
/// before Yams composes a single node.
///
/// Composing first is what made uploads hostile: an alias is a reference, and Yams's
/// duplicate-key check hashes every key in full, so `? *a8` over nested anchors costs time
/// exponential in a 337-byte file. Events are flat — an alias is one event naming its
/// anchor — so refusing anchors, aliases and tags here, with their line and column, means
/// nothing is ever expanded. The same pass counts depth, values and scalar lengths against
/// ``DocumentLimits``, and stops at the first excess, so its cost is linear in the bytes read.
///
/// libyaml is reached through the `CYaml` module that Yams bundles, which is not Yams's
/// public API; `Package.swift` holds Yams to the tested major version and
/// `Tests/DocumentsTests` fails loudly if the events stop carrying what is checked here.
struct YAMLEventScan {
    let limits: DocumentLimits

    /// What each open collection expects next: a mapping alternates key, value.
    private enum Open {
        case sequence
        case mapping(expectingKey: Bool)
    }

    /// The first problem in file order, or `nil` when the document may be composed.
    func firstProblem(in bytes: UnsafeBufferPointer<UInt8>) -> FileIssue? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return FileIssue(line: nil, problem: "could not start the YAML reader", rule: "syntax")
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)

        var open: [Open] = []
        var nodes = 0
        var documents = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return failure(of: parser, in: bytes) }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            func refuse(_ problem: String, _ rule: String) -> FileIssue {
                FileIssue(line: line, column: column, problem: problem, rule: rule)
            }

            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 { return refuse("a \(limits.documentName) holds one YAML document; remove the second '---'", "syntax") }
                if event.data.document_start.tag_directives.start != event.data.document_start.tag_directives.end {
                    return refuse("tags are not allowed in \(limits.pluralName) (found a %TAG directive)", "tags")
                }
                continue
            case YAML_ALIAS_EVENT:
                let name = Self.text(event.data.alias.anchor)
                return refuse("anchors and aliases are not allowed in \(limits.pluralName) (found the alias *\(name)); write each value out in full", "anchors")
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                open.removeLast()
                continue
            case YAML_SCALAR_EVENT, YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                break
            default:
                continue
            }

            // A node: a scalar, or the start of a list or mapping.
            let (anchor, tag) = Self.properties(of: event)
            if let anchor {
                return refuse("anchors and aliases are not allowed in \(limits.pluralName) (found the anchor &\(Self.text(anchor))); write each value out in full", "anchors")
            }
            if let tag {
                return refuse("tags are not allowed in \(limits.pluralName) (found \(Self.text(tag))); write the value plainly", "tags")
            }
            nodes += 1
            if nodes > limits.maximumNodes {
                return refuse("has more than \(limits.maximumNodes) values; \(limits.pluralName) are not that large", "size-limit")
            }
            if case .mapping(let expectingKey) = open.last {
                open[open.count - 1] = .mapping(expectingKey: !expectingKey)
                if expectingKey {
                    guard event.type == YAML_SCALAR_EVENT else {
                        return refuse("a key must be text, not a \(event.type == YAML_MAPPING_START_EVENT ? "mapping" : "list")", "syntax")
                    }
                    if event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE, Self.text(event.data.scalar.value, length: event.data.scalar.length) == "<<" {
                        return refuse("merge keys (<<) are not allowed in \(limits.pluralName); write each field out in full", "anchors")
                    }
                }
            }
            switch event.type {
            case YAML_SCALAR_EVENT:
                if event.data.scalar.length > limits.maximumScalarBytes {
                    return refuse(
                        "a value is \(DocumentLimits.describe(bytes: Int(event.data.scalar.length))); no value in a \(limits.documentName) may be longer than \(DocumentLimits.describe(bytes: limits.maximumScalarBytes))",
                        "size-limit")
                }
            case YAML_SEQUENCE_START_EVENT:
                open.append(.sequence)
            default:
                open.append(.mapping(expectingKey: true))
            }
            if open.count > limits.maximumDepth {
                return refuse("is nested deeper than \(limits.maximumDepth) levels", "depth")
            }
        }
    }

    private static func properties(of event: yaml_event_t) -> (anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?) {
        switch event.type {
        case YAML_SCALAR_EVENT: (event.data.scalar.anchor, event.data.scalar.tag)
        case YAML_SEQUENCE_START_EVENT: (event.data.sequence_start.anchor, event.data.sequence_start.tag)
        case YAML_MAPPING_START_EVENT: (event.data.mapping_start.anchor, event.data.mapping_start.tag)
        default: (nil, nil)
        }
    }

    /// A name from the file, cut short: anchors and tags are the attacker's text.
    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int? = nil) -> String {
        guard let pointer else { return "" }
        var count = length ?? 0
        if length == nil {
            while count <= 40, pointer[count] != 0 { count += 1 }
        }
        let shown = String(decoding: UnsafeBufferPointer(start: pointer, count: min(count, 40)), as: UTF8.self)
        return count > 40 ? shown + "…" : shown
    }

    /// libyaml's own refusal — bad syntax, bad UTF-8, a control character — with its place.
    private func failure(of parser: yaml_parser_t, in bytes: UnsafeBufferPointer<UInt8>) -> FileIssue {
        let problem = parser.problem.map { String(cString: $0) } ?? "could not be read"
        if parser.error == YAML_READER_ERROR {
            // Reader errors carry a byte offset, not a mark.
            let offset = min(Int(parser.problem_offset), bytes.count)
            var line = 1, lineStart = 0
            for index in 0..<offset where bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            let column = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<offset]), as: UTF8.self).count + 1
            let what = problem.contains("control characters")
                ? "contains a control character (U+\(String(UInt32(bitPattern: parser.problem_value), radix: 16, uppercase: true)))"
                : "byte \(offset + 1) is not valid UTF-8 (\(problem)); save the file as UTF-8"
            return FileIssue(line: line, column: column, problem: what, rule: "encoding")
        }
        if problem.hasPrefix("Maximum nesting level reached") {
            // libyaml's own bound (1,000 levels, counted by its scanner, which reads ahead of
            // the events): deeper than ours by far, so the same refusal.
            return FileIssue(
                line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1,
                problem: "is nested deeper than \(limits.maximumDepth) levels", rule: "depth")
        }
        let context = parser.context.map { " (\(String(cString: $0)))" } ?? ""
        return FileIssue(
            line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1,
            problem: "YAML syntax: \(problem)\(context)", rule: "syntax")
    }
}
