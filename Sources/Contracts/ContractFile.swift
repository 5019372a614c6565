import Foundation
import Core
import CareNetwork
import Outcomes
import Documents
import Yams

/// Contract files: the documented, versioned YAML (or JSON) form of ``ContractTerms``,
/// format `curepath.contract/v1`, described field by field in `docs/CONTRACTS.md`.
///
/// A file is refused with every problem found, each with its path (`measures[1].window.months`)
/// and line — unknown keys, wrong types, negative prices, percentages over 100%, caps below
/// floors, dates out of order, references to undefined measures. Files are hostile until
/// checked: ``limits`` bounds size, nesting, values and value length; anchors, aliases and
/// tags are refused by ``YAMLDocument`` before anything could be expanded; number sizes are
/// bounded while they are read; and no input makes the parser crash.
public enum ContractFile {
    public static let formatName = "curepath.contract/v1"

    /// How large a contract file may be. A contract is a page or two of terms: the largest
    /// example is under 2 KB, about 60 values and 4 levels deep, and a JSON contract with
    /// every optional part about 200 values. The limits leave room for fifty-fold that, and
    /// keep even a maximal file a few milliseconds of work; no value (a title, a tier) needs
    /// more than a few hundred characters.
    public static let limits = DocumentLimits(
        documentName: "contract file", maximumBytes: 1_048_576, maximumDepth: 32, maximumNodes: 20_000, maximumScalarBytes: 16_384)
    public static var maximumBytes: Int { limits.maximumBytes }

    public static func parse(_ text: String) throws(FileValidationError) -> ContractTerms {
        try parse(Array(text.utf8))
    }

    public static func parse(_ data: Data) throws(FileValidationError) -> ContractTerms {
        try parse([UInt8](data))
    }

    public static func parse(_ bytes: [UInt8]) throws(FileValidationError) -> ContractTerms {
        let root: Node
        do throws(FileIssue) {
            root = try YAMLDocument.compose(bytes, limits: limits)
        } catch {
            throw FileValidationError(issues: [error])
        }
        var builder = Builder()
        let terms = builder.build(root)
        var issues = builder.reader.issues
        if let terms {
            // Checks across fields run even when some fields failed, skipping those that depend on them.
            let problems = terms.problems(
                skipping: builder.failed, declaredMeasures: builder.declaredMeasures, measurePositions: builder.measurePositions,
                consequencePositions: builder.consequencePositions
            )
            for problem in problems where !issues.contains(where: { $0.path == problem.path }) {
                let place = builder.reader.place(of: problem.path)
                issues.append(.init(line: place?.line, column: place?.column, path: problem.path, problem: problem.problem, rule: problem.rule))
            }
        }
        issues.sort { ($0.line ?? 0, $0.column ?? 0, $0.path) < ($1.line ?? 0, $1.column ?? 0, $1.path) }
        if builder.reader.dropped > 0 {
            issues.append(.init(line: nil, path: "", problem: "\(builder.reader.dropped) more problems not listed"))
        }
        guard issues.isEmpty, let terms else {
            throw FileValidationError(issues: issues.isEmpty ? [.init(line: nil, path: "", problem: "could not be read")] : issues)
        }
        return terms
    }

    /// Reads the document into terms, recording which paths failed so that checks depending
    /// on them are skipped instead of reported twice.
    struct Builder {
        var reader = DocumentReader(maximumIssues: FileValidationError.maximumIssues)
        /// Paths whose value could not be read.
        var failed: Set<String> = []
        /// Every measure id written, even in measures that failed to parse, so a reference to
        /// one is not reported as undefined.
        var declaredMeasures: Set<MeasureID> = []
        /// The position in the file of each measure and consequence that parsed.
        var measurePositions: [Int] = []
        var consequencePositions: [Int] = []

        private mutating func read<T>(_ node: Node?, _ path: String, _ body: (inout DocumentReader, Node, String) -> T?) -> T? {
            guard let node else { return nil }
            let before = reader.issues.count + reader.dropped
            let value = body(&reader, node, path)
            if value == nil || reader.issues.count + reader.dropped > before { failed.insert(path) }
            return value
        }

        mutating func build(_ root: Node) -> ContractTerms? {
            let rootKeys = [
                "format", "id", "version", "amends", "appliesTo", "title", "parties", "product", "unitPrice", "effective",
                "payment", "measures", "consequences", "limits", "reserve", "fee", "portability",
            ]
            let required = ["format", "id", "version", "parties", "product", "unitPrice", "effective", "payment", "portability"]
            guard let fields = reader.mapping(root, "", allowed: rootKeys, required: required) else { return nil }
            for key in required where fields[key] == nil { failed.insert(key) }
            if let format = read(fields["format"], "format", { $0.text($1, $2) }), format != ContractFile.formatName {
                reader.fail("format", fields["format"], "must be \(ContractFile.formatName), got \"\(format.prefix(40))\"", rule: "format")
            }
            let id: ContractID? = read(fields["id"], "id") { $0.identifier($1, $2) }
            let version = read(fields["version"], "version") { $0.integer($1, $2, in: 1...100_000) }
            let amends = read(fields["amends"], "amends") { $0.integer($1, $2, in: 1...100_000) }
            let appliesTo = read(fields["appliesTo"], "appliesTo") { $0.choice($1, $2, among: AmendmentScope.allCases.map(\.rawValue)) }
                .flatMap(AmendmentScope.init(rawValue:)) ?? .newInfusions
            let title = read(fields["title"], "title") { $0.text($1, $2) }
            let parties = fields["parties"].flatMap { parseParties($0) }
            let product: ProductID? = read(fields["product"], "product") { $0.identifier($1, $2) }
            let price = read(fields["unitPrice"], "unitPrice") { $0.money($1, $2) }
            if let price, price.minorUnits == 0 {
                reader.fail("unitPrice", fields["unitPrice"], "must be more than zero", rule: "negative")
                failed.insert("unitPrice")
            }
            let effective = fields["effective"].flatMap { parseEffective($0) }
            let payment = fields["payment"].flatMap { parsePayment($0) }
            var measures: [OutcomeMeasure] = []
            if let node = fields["measures"], let items = reader.list(node, "measures") {
                for (index, item) in items.enumerated() {
                    if let raw = item.mapping?["id"]?.scalar?.string { declaredMeasures.insert(MeasureID(raw)) }
                    if let measure = parseMeasure(item, "measures[\(index)]") {
                        measures.append(measure)
                        measurePositions.append(index)
                    } else {
                        failed.insert("measures[\(index)]")
                    }
                }
            }
            var consequences: [Consequence] = []
            if let node = fields["consequences"], let items = reader.list(node, "consequences") {
                for (index, item) in items.enumerated() {
                    if let consequence = parseConsequence(item, "consequences[\(index)]") {
                        consequences.append(consequence)
                        consequencePositions.append(index)
                    } else {
                        failed.insert("consequences[\(index)]")
                    }
                }
            }
            let limits = fields["limits"].flatMap { parseLimits($0) } ?? ReturnLimits()
            let reserve = fields["reserve"].flatMap { parseReserve($0) }
            let fee = fields["fee"].flatMap { parseFee($0) }
            let portability = fields["portability"].flatMap { parsePortability($0) }

            // Stand-ins for required fields that failed, so the checks across fields can still run;
            // the failures are already reported and the terms are never returned.
            for (key, present) in [
                ("id", id != nil), ("version", version != nil), ("parties", parties != nil), ("product", product != nil),
                ("unitPrice", price != nil), ("effective", effective != nil), ("payment", payment != nil), ("portability", portability != nil),
            ] where !present {
                failed.insert(key)
            }
            if fields["amends"] != nil && amends == nil { failed.insert("amends") }
            return ContractTerms(
                id: id ?? "invalid", version: version ?? 1, amends: amends, appliesTo: appliesTo, title: title,
                parties: parties ?? ContractParties(manufacturer: "invalid", mediator: "invalid"), product: product ?? "invalid",
                unitPrice: price ?? Money(minorUnits: 1), effective: effective ?? EffectivePeriod(from: CalendarDate(daysSinceEpoch: 0)),
                payment: payment ?? PaymentSchedule(), measures: measures, consequences: consequences,
                limits: limits, reserve: reserve, fee: fee, portability: portability ?? Portability(rule: .staysWithPayingPayer)
            )
        }

        private mutating func parseParties(_ node: Node) -> ContractParties? {
            let path = "parties"
            guard let fields = reader.mapping(node, path, allowed: ["manufacturer", "payers", "mediator", "center"], required: ["manufacturer", "payers", "mediator"]) else {
                failed.insert(path)
                return nil
            }
            let manufacturer: ManufacturerID? = read(fields["manufacturer"], "parties.manufacturer") { $0.identifier($1, $2) }
            let mediator: MediatorID? = read(fields["mediator"], "parties.mediator") { $0.identifier($1, $2) }
            let center: CenterID? = read(fields["center"], "parties.center") { $0.identifier($1, $2) }
            var payers: [PayerID]?
            var payersRead = false
            if let node = fields["payers"] {
                if node.scalar?.string == "any" {
                    payersRead = true
                } else if node.sequence != nil, let items = reader.list(node, "parties.payers") {
                    var list: [PayerID] = []
                    for (index, item) in items.enumerated() {
                        if let payer: PayerID = read(item, "parties.payers[\(index)]", { $0.identifier($1, $2) }) { list.append(payer) }
                    }
                    if list.isEmpty, items.isEmpty {
                        reader.fail("parties.payers", node, "must name at least one payer, or be any")
                    }
                    payers = list
                    payersRead = list.count == items.count && !items.isEmpty
                } else {
                    reader.fail("parties.payers", node, "must be any, or a list of payer identifiers")
                }
            }
            guard let manufacturer, let mediator, payersRead else {
                failed.insert(path)
                return nil
            }
            return ContractParties(manufacturer: manufacturer, payers: payers, mediator: mediator, center: center)
        }

        private mutating func parseEffective(_ node: Node) -> EffectivePeriod? {
            guard let fields = reader.mapping(node, "effective", allowed: ["from", "to"], required: ["from"]) else {
                failed.insert("effective")
                return nil
            }
            let from = read(fields["from"], "effective.from") { $0.date($1, $2) }
            let to = read(fields["to"], "effective.to") { $0.date($1, $2) }
            guard let from else {
                failed.insert("effective")
                return nil
            }
            if fields["to"] != nil && to == nil { failed.insert("effective.to") }
            return EffectivePeriod(from: from, to: to)
        }

        private mutating func parsePayment(_ node: Node) -> PaymentSchedule? {
            guard let fields = reader.mapping(node, "payment", allowed: ["upfront", "installments"], required: ["upfront"]) else {
                failed.insert("payment")
                return nil
            }
            let upfront = read(fields["upfront"], "payment.upfront") { $0.share($1, $2) }
            var installments: InstallmentPlan?
            if let node = fields["installments"] {
                let path = "payment.installments"
                if let plan = reader.mapping(
                    node, path,
                    allowed: ["count", "intervalMonths", "firstDueMonths", "annualInterestBasisPoints", "stopWhen", "payableIf"],
                    required: ["count", "intervalMonths"]
                ) {
                    let count = read(plan["count"], "\(path).count") { $0.integer($1, $2, in: 1...120) }
                    let interval = read(plan["intervalMonths"], "\(path).intervalMonths") { $0.integer($1, $2, in: 1...120) }
                    let first = read(plan["firstDueMonths"], "\(path).firstDueMonths") { $0.integer($1, $2, in: 0...600) }
                    let interest = read(plan["annualInterestBasisPoints"], "\(path).annualInterestBasisPoints") {
                        $0.integer($1, $2, in: 0...10_000)
                    } ?? 0
                    var stops: [StopCondition] = []
                    if let node = plan["stopWhen"], let items = reader.list(node, "\(path).stopWhen") {
                        for (index, item) in items.enumerated() {
                            let itemPath = "\(path).stopWhen[\(index)]"
                            if item.mapping != nil {
                                if let fields = reader.mapping(item, itemPath, allowed: ["measureNotMet"], required: ["measureNotMet"]),
                                    let measure: MeasureID = read(fields["measureNotMet"], "\(itemPath).measureNotMet", { $0.identifier($1, $2) })
                                {
                                    stops.append(.measureNotMet(measure))
                                }
                            } else if let word = read(item, itemPath, { $0.choice($1, $2, among: ["death", "lostToFollowUp", "subsequentTherapy"]) }) {
                                stops.append(word == "death" ? .death : word == "lostToFollowUp" ? .lostToFollowUp : .subsequentTherapy)
                            }
                        }
                    }
                    var conditions: [MeasureID] = []
                    if let node = plan["payableIf"], let items = reader.list(node, "\(path).payableIf") {
                        for (index, item) in items.enumerated() {
                            if let measure: MeasureID = read(item, "\(path).payableIf[\(index)]", { $0.identifier($1, $2) }) { conditions.append(measure) }
                        }
                    }
                    if let count, let interval {
                        installments = InstallmentPlan(
                            count: count, intervalMonths: interval, firstDueMonths: first, annualInterestBasisPoints: interest,
                            stopWhen: stops, payableIf: conditions
                        )
                    }
                }
                if installments == nil { failed.insert(path) }
            }
            guard let upfront else {
                failed.insert("payment")
                return nil
            }
            return PaymentSchedule(upfront: upfront, installments: installments)
        }

        private static let measureKinds = ["responseBy", "aliveAt", "transfusionIndependence", "noHospitalization", "labAtLeast", "responseMaintained"]

        private mutating func parseMeasure(_ node: Node, _ path: String) -> OutcomeMeasure? {
            let common = ["id", "kind", "window", "graceDays", "missingData"]
            let specific: [String: [String]] = [
                "responseBy": ["responses"], "aliveAt": [], "transfusionIndependence": ["forMonths"],
                "noHospitalization": ["reason"], "labAtLeast": ["test", "atLeast", "unit", "toleranceDays"],
                "responseMaintained": ["responses"],
            ]
            // The kind decides which other keys are allowed, so read it first.
            let kindNode = node.mapping?["kind"]
            let kindName = kindNode.flatMap { read($0, "\(path).kind") { $0.choice($1, $2, among: Builder.measureKinds) } }
            let allowed = common + (kindName.map { specific[$0]! } ?? specific.values.flatMap { $0 })
            var required = common
            switch kindName {
            case "transfusionIndependence": required.append("forMonths")
            case "labAtLeast": required += ["test", "atLeast", "unit"]
            default: break
            }
            guard let fields = reader.mapping(node, path, allowed: allowed, required: required) else { return nil }
            let id: MeasureID? = read(fields["id"], "\(path).id") { $0.identifier($1, $2) }
            let window = fields["window"].flatMap { parseWindow($0, "\(path).window") }
            let grace = read(fields["graceDays"], "\(path).graceDays") { $0.integer($1, $2, in: 0...3650) }
            let missing = fields["missingData"].flatMap { parseMissingData($0, "\(path).missingData") }
            var kind: MeasureKind?
            switch kindName {
            case "responseBy": kind = .responseBy(responses: parseResponses(fields["responses"], "\(path).responses"))
            case "responseMaintained": kind = .responseMaintained(responses: parseResponses(fields["responses"], "\(path).responses"))
            case "aliveAt": kind = .aliveAt
            case "transfusionIndependence":
                if let months = read(fields["forMonths"], "\(path).forMonths", { $0.integer($1, $2, in: 1...1200) }) {
                    kind = .transfusionIndependence(forMonths: months)
                }
            case "noHospitalization":
                let reason = read(fields["reason"], "\(path).reason") { reader, node, path -> String? in
                    guard let text = reader.text(node, path) else { return nil }
                    return DocumentReader.code(text, path, &reader, node)
                }
                if fields["reason"] == nil || reason != nil { kind = .noHospitalization(reason: reason) }
            case "labAtLeast":
                let test = read(fields["test"], "\(path).test") { reader, node, path -> String? in
                    guard let text = reader.text(node, path) else { return nil }
                    return DocumentReader.code(text, path, &reader, node)
                }
                let threshold = read(fields["atLeast"], "\(path).atLeast") { $0.decimal($1, $2) }
                let unit = read(fields["unit"], "\(path).unit") { $0.text($1, $2, maximumLength: 32) }
                let tolerance = read(fields["toleranceDays"], "\(path).toleranceDays") { $0.integer($1, $2, in: 0...365) } ?? 30
                if let test, let threshold, let unit { kind = .labAtLeast(test: test, threshold: threshold, unit: unit, toleranceDays: tolerance) }
            default: break
            }
            guard let id, let kind, let window, let grace, let missing else { return nil }
            return OutcomeMeasure(id: id, kind: kind, window: window, graceDays: grace, missingData: missing)
        }

        private mutating func parseResponses(_ node: Node?, _ path: String) -> [String] {
            guard let node else { return ["complete", "partial"] }
            guard let items = reader.list(node, path) else { return [] }
            var responses: [String] = []
            for (index, item) in items.enumerated() {
                if let text = read(item, "\(path)[\(index)]", { reader, node, path -> String? in
                    guard let text = reader.text(node, path) else { return nil }
                    return DocumentReader.code(text, path, &reader, node)
                }) {
                    responses.append(text)
                }
            }
            if items.isEmpty { reader.fail(path, node, "must name at least one response category") }
            return responses
        }

        private mutating func parseWindow(_ node: Node, _ path: String) -> MeasureWindow? {
            guard let fields = reader.mapping(node, path, allowed: ["months", "days"]) else { return nil }
            switch (fields["months"], fields["days"]) {
            case (let months?, nil): return read(months, "\(path).months") { $0.integer($1, $2, in: 1...1200) }.map(MeasureWindow.months)
            case (nil, let days?): return read(days, "\(path).days") { $0.integer($1, $2, in: 1...36_500) }.map(MeasureWindow.days)
            default:
                reader.fail(path, node, "must give exactly one of months or days")
                return nil
            }
        }

        private mutating func parseMissingData(_ node: Node, _ path: String) -> MissingDataRule? {
            if node.mapping != nil {
                guard let fields = reader.mapping(node, path, allowed: ["extendDays"], required: ["extendDays"]),
                    let days = read(fields["extendDays"], "\(path).extendDays", { $0.integer($1, $2, in: 1...3650) })
                else { return nil }
                return .extend(days: days)
            }
            switch read(node, path, { $0.choice($1, $2, among: ["assumeMet", "assumeNotMet", "escalate"]) }) {
            case "assumeMet": return .assumeMet
            case "assumeNotMet": return .assumeNotMet
            case "escalate": return .escalate
            default:
                return nil
            }
        }

        private mutating func parseConsequence(_ node: Node, _ path: String) -> Consequence? {
            let actions = ["rebate", "refund", "proRatedRefund", "stopInstallments", "bonus"]
            guard let fields = reader.mapping(
                node, path, allowed: ["id", "measure", "when", "failedWithinMonths", "tier"] + actions, required: ["id", "measure", "when"]
            ) else { return nil }
            let id: ConsequenceID? = read(fields["id"], "\(path).id") { $0.identifier($1, $2) }
            let measure: MeasureID? = read(fields["measure"], "\(path).measure") { $0.identifier($1, $2) }
            let when = read(fields["when"], "\(path).when") { $0.choice($1, $2, among: ["met", "notMet"]) }.flatMap(MeasureStatus.Decided.init(rawValue:))
            let tier = read(fields["tier"], "\(path).tier") { $0.text($1, $2, maximumLength: 64) }
            var range: MonthRange?
            if let node = fields["failedWithinMonths"] {
                let rangePath = "\(path).failedWithinMonths"
                if let bounds = reader.mapping(node, rangePath, allowed: ["from", "to"], required: ["from", "to"]),
                    let from = read(bounds["from"], "\(rangePath).from", { $0.integer($1, $2, in: 0...1200) }),
                    let to = read(bounds["to"], "\(rangePath).to", { $0.integer($1, $2, in: 1...1200) })
                {
                    range = MonthRange(from: from, to: to)
                } else {
                    failed.insert(rangePath)
                }
            }
            let given = actions.filter { fields[$0] != nil }
            guard given.count == 1 else {
                reader.fail(path, node, given.isEmpty
                    ? "needs one action: \(actions.joined(separator: ", "))"
                    : "has \(given.count) actions (\(given.joined(separator: ", "))); write one consequence per action")
                return nil
            }
            let name = given[0]
            let actionPath = "\(path).\(name)"
            var action: ConsequenceAction?
            switch name {
            case "rebate": action = read(fields[name], actionPath) { $0.amount($1, $2) }.map(ConsequenceAction.rebate)
            case "refund": action = read(fields[name], actionPath) { $0.amount($1, $2) }.map(ConsequenceAction.refund)
            case "bonus": action = read(fields[name], actionPath) { $0.amount($1, $2) }.map(ConsequenceAction.bonus)
            case "stopInstallments":
                if let flag = read(fields[name], actionPath, { $0.boolean($1, $2) }) {
                    if flag { action = .stopInstallments } else { reader.fail(actionPath, fields[name], "must be true; leave the consequence out otherwise") }
                }
            default:
                if let node = fields[name], let spec = reader.mapping(node, actionPath, allowed: ["share", "overMonths"], required: ["share", "overMonths"]),
                    let share = read(spec["share"], "\(actionPath).share", { $0.share($1, $2) }),
                    let months = read(spec["overMonths"], "\(actionPath).overMonths", { $0.integer($1, $2, in: 1...1200) })
                {
                    action = .proRatedRefund(share: share, overMonths: months)
                }
            }
            guard let id, let measure, let when, let action else { return nil }
            if fields["failedWithinMonths"] != nil && range == nil { return nil }
            return Consequence(id: id, measure: measure, when: when, failedWithinMonths: range, tier: tier, action: action)
        }

        private mutating func parseLimits(_ node: Node) -> ReturnLimits? {
            guard let fields = reader.mapping(node, "limits", allowed: ["maximumReturn", "minimumReturn", "maximumBonus"]) else {
                failed.insert("limits")
                return nil
            }
            return ReturnLimits(
                maximumReturn: read(fields["maximumReturn"], "limits.maximumReturn") { $0.amount($1, $2) },
                minimumReturn: read(fields["minimumReturn"], "limits.minimumReturn") { $0.amount($1, $2) },
                maximumBonus: read(fields["maximumBonus"], "limits.maximumBonus") { $0.amount($1, $2) }
            )
        }

        private mutating func parseReserve(_ node: Node) -> WarrantyReserve? {
            guard let fields = reader.mapping(node, "reserve", allowed: ["share", "releaseAfterMonths"], required: ["share", "releaseAfterMonths"]),
                let share = read(fields["share"], "reserve.share", { $0.share($1, $2) }),
                let months = read(fields["releaseAfterMonths"], "reserve.releaseAfterMonths", { $0.integer($1, $2, in: 1...1200) })
            else {
                failed.insert("reserve")
                return nil
            }
            return WarrantyReserve(share: share, releaseAfterMonths: months)
        }

        private mutating func parseFee(_ node: Node) -> MediatorFee? {
            guard let fields = reader.mapping(node, "fee", allowed: ["basisPoints", "perPatient", "paidBy"]) else {
                failed.insert("fee")
                return nil
            }
            let paidBy = read(fields["paidBy"], "fee.paidBy") { $0.choice($1, $2, among: MediatorFee.Payer.allCases.map(\.rawValue)) }
                .flatMap(MediatorFee.Payer.init(rawValue:)) ?? .manufacturer
            switch (fields["basisPoints"], fields["perPatient"]) {
            case (let points?, nil):
                return read(points, "fee.basisPoints") { $0.integer($1, $2, in: 0...10_000) }.map { MediatorFee(basis: .basisPoints($0), paidBy: paidBy) }
            case (nil, let amount?):
                return read(amount, "fee.perPatient") { $0.money($1, $2) }.map { MediatorFee(basis: .perPatient($0), paidBy: paidBy) }
            default:
                reader.fail("fee", node, "must give exactly one of basisPoints or perPatient")
                failed.insert("fee")
                return nil
            }
        }

        private mutating func parsePortability(_ node: Node) -> Portability? {
            let rules = Portability.Rule.allCases.map(\.rawValue)
            if node.mapping != nil {
                guard let fields = reader.mapping(node, "portability", allowed: ["rule", "benefitYears"], required: ["rule"]),
                    let rule = read(fields["rule"], "portability.rule", { $0.choice($1, $2, among: rules) }).flatMap(Portability.Rule.init(rawValue:))
                else {
                    failed.insert("portability")
                    return nil
                }
                let years = read(fields["benefitYears"], "portability.benefitYears") { $0.integer($1, $2, in: 1...50) }
                return Portability(rule: rule, benefitYears: years)
            }
            return read(node, "portability") { $0.choice($1, $2, among: rules) }.flatMap(Portability.Rule.init(rawValue:)).map { Portability(rule: $0) }
        }
    }
}
