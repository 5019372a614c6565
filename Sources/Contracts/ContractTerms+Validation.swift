import Core

extension ContractTerms {
    /// A rule the terms break, named by the path of the field in the contract file.
    struct Problem {
        var path: String
        var problem: String
        var rule: String
    }

    /// Every reason these terms cannot be settled, each naming the field by its path in the
    /// contract file. Terms built in code (tests, the API) are checked the same way as files.
    public var issues: [ValidationError.Issue] {
        problems(skipping: []).map { ValidationError.Issue(field: $0.path, problem: $0.problem, rule: $0.rule) }
    }

    /// Throws every issue at once, or returns the terms unchanged.
    public func validated() throws(ValidationError) -> ContractTerms {
        let issues = issues
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        return self
    }

    /// The checks that need more than one field. `failed` names paths a file reader could not
    /// read; checks that depend on them are skipped rather than reported a second time.
    ///
    /// A file reader also passes the measure ids written in the file (even in measures that
    /// failed) and the file position of each measure and consequence that parsed, so that
    /// paths point at the right list item.
    func problems(
        skipping failed: Set<String>, declaredMeasures: Set<MeasureID>? = nil, measurePositions: [Int]? = nil,
        consequencePositions: [Int]? = nil
    ) -> [Problem] {
        var problems: [Problem] = []
        func add(_ path: String, _ problem: String, _ rule: String) { problems.append(Problem(path: path, problem: problem, rule: rule)) }
        /// Whether a path, or one inside it or around it, could not be read.
        func unread(_ paths: String...) -> Bool {
            paths.contains { path in
                failed.contains { f in
                    f == path || f.hasPrefix(path + ".") || f.hasPrefix(path + "[") || path.hasPrefix(f + ".") || path.hasPrefix(f + "[")
                }
            }
        }
        func measurePath(_ index: Int) -> String { "measures[\(measurePositions?[index] ?? index)]" }
        func consequencePath(_ index: Int) -> String { "consequences[\(consequencePositions?[index] ?? index)]" }
        let priceKnown = !unread("unitPrice")
        let currency = unitPrice.currency
        func checkMoney(_ amount: ContractAmount?, _ path: String, notAbovePrice: Bool) {
            guard priceKnown, case .money(let money)? = amount else { return }
            if money.currency != currency {
                add(path, "is in \(money.currency.rawValue); the unit price is in \(currency.rawValue)", "currency")
            } else if notAbovePrice && money > unitPrice {
                add(path, "is \(MoneyText.format(money)), more than the unit price \(MoneyText.format(unitPrice))", "exceeds-price")
            }
        }

        if priceKnown && unitPrice.minorUnits <= 0 { add("unitPrice", "must be more than zero", "negative") }
        if !unread("effective"), let to = effective.to, to < effective.from {
            add("effective.to", "is \(to), before effective.from \(effective.from)", "date-order")
        }
        if !unread("version", "amends") {
            if version > 1 && amends == nil {
                add("amends", "is required for version \(version): name the version this one amends", "amendment")
            }
            if let amends, amends >= version {
                add("amends", "must name an earlier version than \(version), got \(amends)", "amendment")
            }
        }
        if !unread("parties"), let payers = parties.payers {
            var seen: Set<String> = []
            for (index, payer) in payers.enumerated() where !seen.insert(payer.rawValue).inserted {
                add("parties.payers[\(index)]", "names \(payer) twice", "unique")
            }
        }

        var measureIndex: [MeasureID: Int] = [:]
        for (index, measure) in measures.enumerated() {
            if let first = measureIndex[measure.id] {
                add("\(measurePath(index)).id", "\"\(measure.id)\" is already the id of \(measurePath(first))", "unique")
            } else {
                measureIndex[measure.id] = index
            }
            let windowMonths: Int = switch measure.window {
            case .months(let months): months
            case .days(let days): days / 31
            }
            switch measure.kind {
            case .transfusionIndependence(let months) where months > windowMonths:
                add("\(measurePath(index)).forMonths", "is \(months) months, longer than the \(windowMonths)-month window it must fit in", "window")
            case .responseBy(let responses), .responseMaintained(let responses):
                if responses.isEmpty { add("\(measurePath(index)).responses", "must name at least one response category", "required") }
            default: break
            }
        }
        func measureDefined(_ id: MeasureID) -> Bool { declaredMeasures?.contains(id) ?? (measureIndex[id] != nil) }

        if unread("payment") {
            // Reported where it failed.
        } else if let plan = payment.installments {
            if payment.upfront == .whole {
                add("payment.installments", "have nothing to pay: payment.upfront is 100%", "payment")
            }
            for (index, stop) in plan.stopWhen.enumerated() {
                if case .measureNotMet(let id) = stop, !measureDefined(id) {
                    add("payment.installments.stopWhen[\(index)].measureNotMet", "names measure \"\(id)\", which is not defined in measures", "reference")
                }
            }
            for (index, id) in plan.payableIf.enumerated() where !measureDefined(id) {
                add("payment.installments.payableIf[\(index)]", "names measure \"\(id)\", which is not defined in measures", "reference")
            }
        } else if payment.upfront < .whole && !failed.contains("payment.installments") {
            add("payment.upfront", "is \(payment.upfront), and there are no installments to pay the rest of the price", "payment")
        }

        var consequenceIndex: [ConsequenceID: Int] = [:]
        for (index, consequence) in consequences.enumerated() {
            let path = consequencePath(index)
            if let first = consequenceIndex[consequence.id] {
                add("\(path).id", "\"\(consequence.id)\" is already the id of \(consequencePath(first))", "unique")
            } else {
                consequenceIndex[consequence.id] = index
            }
            if !measureDefined(consequence.measure) {
                add("\(path).measure", "names measure \"\(consequence.measure)\", which is not defined in measures", "reference")
            }
            if let range = consequence.failedWithinMonths {
                if consequence.when != .notMet {
                    add("\(path).failedWithinMonths", "applies only to a consequence for when: notMet", "tier")
                }
                if range.to <= range.from {
                    add("\(path).failedWithinMonths.to", "is \(range.to), not after from (\(range.from))", "tier")
                }
            }
            switch consequence.action {
            case .rebate(let amount), .refund(let amount):
                checkMoney(amount, "\(path).\(consequence.action.name)", notAbovePrice: true)
            case .bonus(let amount):
                checkMoney(amount, "\(path).bonus", notAbovePrice: false)
            case .stopInstallments:
                if payment.installments == nil && !unread("payment") {
                    add("\(path).stopInstallments", "has no installments to stop: payment.installments is not given", "payment")
                }
            case .proRatedRefund:
                break
            }
        }

        checkMoney(limits.maximumReturn, "limits.maximumReturn", notAbovePrice: true)
        checkMoney(limits.minimumReturn, "limits.minimumReturn", notAbovePrice: true)
        checkMoney(limits.maximumBonus, "limits.maximumBonus", notAbovePrice: false)
        if let cap = limits.maximumReturn, let floor = limits.minimumReturn {
            let floorAboveCap: Bool? = switch (floor, cap) {
            case (.share(let low), .share(let high)): low > high
            case (.money(let low), .money(let high)) where low.currency == high.currency: low > high
            default: priceKnown && floor.resolved(price: unitPrice).currency == cap.resolved(price: unitPrice).currency
                ? floor.resolved(price: unitPrice) > cap.resolved(price: unitPrice) : nil
            }
            if floorAboveCap == true {
                add("limits.minimumReturn", "is \(floor.text), above limits.maximumReturn \(cap.text): a rebate cap cannot be below its floor", "cap-floor")
            }
        }
        if let reserve, !unread("payment.upfront"), reserve.share > payment.upfront {
            add("reserve.share", "is \(reserve.share), more than the \(payment.upfront) paid upfront that it is held from", "reserve")
        }
        if let fee {
            switch fee.basis {
            case .perPatient(let money):
                checkMoney(.money(money), "fee.perPatient", notAbovePrice: true)
            case .basisPoints:
                break
            }
        }
        return problems
    }
}
