import Core
import Outcomes

/// Recursive descent over the expression text, type-checking as it goes.
///
/// Grammar, loosest first:
/// `or := and ("or" and)*`, `and := not ("and" not)*`, `not := "not" not | comparison`,
/// `comparison := sum (("<"|"<="|">"|">="|"=="|"!=") sum)?`, `sum := product (("+"|"-") product)*`,
/// `product := atom ("*" atom)*`, `atom := number | "true" | "false" | fact | "(" or ")"`.
struct ExpressionParser {
    private enum Token: Equatable {
        case number(String)
        case word(String)
        case symbol(String)
        case end
    }

    private let characters: [Character]
    private var position = 0
    private var token: Token = .end
    /// 1-based column where the current token starts.
    private var tokenColumn = 1
    private var tokenizeError: ExpressionError?
    /// Guards the recursion so that `((((…` cannot exhaust the stack.
    private var depth = 0
    static let maximumDepth = 64
    static let maximumLength = 1_000

    init(_ source: String) {
        characters = Array(source.prefix(ExpressionParser.maximumLength + 1))
        advance()
    }

    private mutating func advance() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
        tokenColumn = position + 1
        guard position < characters.count else {
            token = .end
            return
        }
        let character = characters[position]
        if character.isASCII, character.isNumber {
            var text = ""
            while position < characters.count, characters[position].isASCII, characters[position].isNumber || characters[position] == "." {
                text.append(characters[position])
                position += 1
            }
            token = .number(text)
        } else if character.isASCII, character.isLetter || character == "_" {
            var text = ""
            while position < characters.count, characters[position].isASCII,
                characters[position].isLetter || characters[position].isNumber || characters[position] == "_" || characters[position] == "."
            {
                text.append(characters[position])
                position += 1
            }
            token = .word(text)
        } else {
            let two = position + 1 < characters.count ? String(characters[position...position + 1]) : ""
            if ["<=", ">=", "==", "!="].contains(two) {
                token = .symbol(two)
                position += 2
            } else if "<>+-*()".contains(character) {
                token = .symbol(String(character))
                position += 1
            } else {
                if tokenizeError == nil {
                    let hint = character == "=" ? " (use == to compare)" : character == "&" || character == "|" ? " (use and, or)" : ""
                    tokenizeError = ExpressionError(column: tokenColumn, problem: "unexpected character '\(character)'\(hint)")
                }
                token = .end
                position = characters.count
            }
        }
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .number(let text): "the number \(text)"
        case .word(let text): "'\(text)'"
        case .symbol(let text): "'\(text)'"
        case .end: "the end of the expression"
        }
    }

    private func fail(_ problem: String, at column: Int? = nil) throws(ExpressionError) -> Never {
        if let tokenizeError { throw tokenizeError }
        throw ExpressionError(column: column ?? tokenColumn, problem: problem)
    }

    mutating func expectEnd() throws(ExpressionError) {
        if let tokenizeError { throw tokenizeError }
        guard token == .end else { try fail("expected an operator (and, or, <, <=, …) or the end, got \(describe(token))") }
    }

    private mutating func require(_ type: ExpressionType, _ operand: (ExpressionType, Int), after what: String) throws(ExpressionError) {
        guard operand.0 == type else {
            try fail("\(what) needs a \(type.rawValue), but this is a \(operand.0.rawValue)", at: operand.1)
        }
    }

    mutating func parseExpression() throws(ExpressionError) -> (ExpressionNode, ExpressionType) {
        guard characters.count <= ExpressionParser.maximumLength else {
            try fail("is longer than \(ExpressionParser.maximumLength) characters", at: ExpressionParser.maximumLength)
        }
        if token == .end { try fail("is empty: expected a condition such as labs.ldh <= 2 * uln.ldh") }
        return try parseOr()
    }

    private mutating func parseOr() throws(ExpressionError) -> (ExpressionNode, ExpressionType) {
        let leftColumn = tokenColumn
        var (left, type) = try parseAnd()
        while token == .word("or") {
            try require(.boolean, (type, leftColumn), after: "'or'")
            advance()
            let rightColumn = tokenColumn
            let right = try parseAnd()
            try require(.boolean, (right.1, rightColumn), after: "'or'")
            left = .or(left, right.0)
            type = .boolean
        }
        return (left, type)
    }

    private mutating func parseAnd() throws(ExpressionError) -> (ExpressionNode, ExpressionType) {
        let leftColumn = tokenColumn
        var (left, type) = try parseNot()
        while token == .word("and") {
            try require(.boolean, (type, leftColumn), after: "'and'")
            advance()
            let rightColumn = tokenColumn
            let right = try parseNot()
            try require(.boolean, (right.1, rightColumn), after: "'and'")
            left = .and(left, right.0)
            type = .boolean
        }
        return (left, type)
    }

    private mutating func parseNot() throws(ExpressionError) -> (ExpressionNode, ExpressionType) {
        guard token == .word("not") else { return try parseComparison() }
        depth += 1
        defer { depth -= 1 }
        guard depth <= ExpressionParser.maximumDepth else { try fail("is nested more than \(ExpressionParser.maximumDepth) deep") }
        advance()
        let column = tokenColumn
        let (inner, type) = try parseNot()
        try require(.boolean, (type, column), after: "'not'")
        return (.not(inner), .boolean)
    }

    private mutating func parseComparison() throws(ExpressionError) -> (ExpressionNode, ExpressionType) {
        let leftColumn = tokenColumn
        let (left, type) = try parseSum()
        guard case .symbol(let symbol) = token, let comparison = Comparison(rawValue: symbol) else { return (left, type) }
        try require(.number, (type, leftColumn), after: "'\(symbol)'")
        advance()
        let rightColumn = tokenColumn
        let right = try parseSum()
        try require(.number, (right.1, rightColumn), after: "'\(symbol)'")
        if case .symbol(let next) = token, Comparison(rawValue: next) != nil {
            try fail("comparisons cannot be chained; join them with 'and'")
        }
        return (.compare(comparison, left, right.0), .boolean)
    }

    private mutating func parseSum() throws(ExpressionError) -> (ExpressionNode, ExpressionType) {
        let leftColumn = tokenColumn
        var (left, type) = try parseProduct()
        while case .symbol(let symbol) = token, symbol == "+" || symbol == "-" {
            try require(.number, (type, leftColumn), after: "'\(symbol)'")
            advance()
            let rightColumn = tokenColumn
            let right = try parseProduct()
            try require(.number, (right.1, rightColumn), after: "'\(symbol)'")
            left = .arithmetic(ArithmeticOperator(rawValue: symbol)!, left, right.0)
            type = .number
        }
        return (left, type)
    }

    private mutating func parseProduct() throws(ExpressionError) -> (ExpressionNode, ExpressionType) {
        let leftColumn = tokenColumn
        var (left, type) = try parseAtom()
        while token == .symbol("*") {
            try require(.number, (type, leftColumn), after: "'*'")
            advance()
            let rightColumn = tokenColumn
            let right = try parseAtom()
            try require(.number, (right.1, rightColumn), after: "'*'")
            left = .arithmetic(.times, left, right.0)
            type = .number
        }
        return (left, type)
    }

    private mutating func parseAtom() throws(ExpressionError) -> (ExpressionNode, ExpressionType) {
        if let tokenizeError { throw tokenizeError }
        switch token {
        case .number(let text):
            guard case .success(let value) = ExactDecimal.parse(text) else {
                try fail("'\(text)' is not a number: write digits with at most one decimal point, such as 1.5")
            }
            advance()
            return (.number(value), .number)
        case .word("true"), .word("false"):
            let value = token == .word("true")
            advance()
            return (.boolean(value), .boolean)
        case .word(let name) where ["and", "or", "not"].contains(name):
            try fail("expected a number, a fact or '(', got '\(name)'")
        case .word(let name):
            guard let fact = FactReference(name: name) else {
                let hint = closestName(to: name).map { " (did you mean \($0)?)" } ?? ""
                try fail("unknown fact '\(name)'\(hint); facts are age, ecog, priorLines, labs.<code>, uln.<code>, exclusions.<kind> with codes \(LabCode.knownNames.joined(separator: ", "))")
            }
            advance()
            return (.fact(fact), fact.type)
        case .symbol("("):
            let open = tokenColumn
            depth += 1
            defer { depth -= 1 }
            guard depth <= ExpressionParser.maximumDepth else { try fail("is nested more than \(ExpressionParser.maximumDepth) deep") }
            advance()
            let inner = try parseOr()
            guard token == .symbol(")") else { try fail("expected ')' to close the '(' at column \(open), got \(describe(token))") }
            advance()
            return inner
        case .symbol("-"):
            try fail("negative numbers are not needed by any threshold; write the comparison the other way round")
        default:
            try fail("expected a number, a fact or '(', got \(describe(token))")
        }
    }

    private func closestName(to name: String) -> String? {
        DidYouMean.closest(to: name, in: FactReference.allNames)
    }
}
