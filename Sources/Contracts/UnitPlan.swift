import Core
import CareNetwork
import Outcomes

/// Everything one treated patient's contract says should be in the ledger as of a date,
/// computed from the terms, the patient's coverage periods and standing outcome events.
///
/// The plan knows nothing of what was posted before; ``Reconciliation`` compares it with the
/// ledger. Amounts that depend on what came before (caps, the reserve left, each payer's
/// share of the price borne) are computed in date order, so the plan is the same however
/// often and whenever it is computed.
struct UnitPlan {
    let terms: ContractTerms
    let patient: TreatedPatient
    let coverage: ArraySlice<CoveragePeriod>
    let events: ArraySlice<OutcomeEvent>
    let asOf: CalendarDate

    private(set) var targets: [SettlementTarget] = []
    private(set) var results: [MeasureResult] = []
    private(set) var flags: [SettlementFlag] = []
    private(set) var unit: UnitSettlement

    private let manufacturer: Party
    private let mediator: Party
    private let currency: Currency

    init(
        terms: ContractTerms, patient: TreatedPatient, coverage: ArraySlice<CoveragePeriod>, events: ArraySlice<OutcomeEvent>,
        asOf: CalendarDate
    ) {
        self.terms = terms
        self.patient = patient
        self.coverage = coverage
        self.events = events
        self.asOf = asOf
        manufacturer = .manufacturer(terms.parties.manufacturer)
        mediator = .mediator(terms.parties.mediator)
        currency = terms.unitPrice.currency
        let zero = Money.zero(terms.unitPrice.currency)
        unit = UnitSettlement(
            contractID: terms.id, contractVersion: terms.version, patientID: patient.patientID, productID: patient.productID,
            infusionDate: patient.infusionDate, unitPrice: terms.unitPrice, billed: zero, outstandingInstallments: zero,
            cancelledInstallments: zero, returns: zero, bonuses: zero, tiers: [], netPriceSetOn: patient.infusionDate
        )
        compute()
    }

    // MARK: - Schedule

    private enum Item {
        case upfront
        case fee
        case installment(number: Int, principal: Int64, interest: Int64, due: CalendarDate, conditions: [MeasureResult])
        case transfer(year: Int, amount: Int64)
        case contribution(year: Int, amount: Int64)
        case consequence(Consequence, MeasureResult)
        case reserveRelease
    }

    private struct Scheduled {
        var date: CalendarDate
        var rank: Int
        var order: Int
        var item: Item
    }

    /// The earliest event that ends installments (or, for transfers, the benefit).
    private struct Stop {
        var date: CalendarDate
        var knownOn: CalendarDate
        var reason: String
        var result: MeasureResult?
        var eventIDs: [OutcomeEventID]
    }

    /// Results by measure id, searched in order.
    struct MeasureResults {
        let results: [MeasureResult]
        init(_ results: [MeasureResult]) { self.results = results }
        subscript(id: MeasureID) -> MeasureResult? { results.first { $0.measureID == id } }
    }

    private var infusion: CalendarDate { patient.infusionDate }
    private var price: Money { terms.unitPrice }
    private var payingPayer: PayerID { patient.payingPayer }

    private mutating func compute() {
        let evaluated = terms.measures.map { measure in
            MeasureEvaluation.evaluate(measure, infusion: infusion, slice: events, asOf: asOf)
        }
        results = evaluated
        // A contract has a handful of measures: a list is faster to search than a table is to build.
        let resultByMeasure = MeasureResults(evaluated)
        for (measure, result) in zip(terms.measures, evaluated) { flagMissingData(measure, result) }

        // Consequences whose condition holds, in file order.
        var triggered: [(Consequence, MeasureResult)] = []
        for consequence in terms.consequences {
            guard let result = resultByMeasure[consequence.measure], result.status == consequence.when.status,
                result.decidedOn != nil
            else { continue }
            if let range = consequence.failedWithinMonths {
                guard let failure = result.failureDate, failure >= infusion.adding(months: range.from),
                    failure < infusion.adding(months: range.to)
                else { continue }
            }
            triggered.append((consequence, result))
        }

        let installmentStop = stopOfInstallments(resultByMeasure: resultByMeasure, triggered: triggered)
        var benefitEnd = installmentStop
        func consider(_ stop: Stop) {
            if benefitEnd == nil || stop.date < benefitEnd!.date { benefitEnd = stop }
        }
        if let death = events.first(where: { $0.kind == .death }) {
            consider(Stop(date: death.date, knownOn: death.recordedOn, reason: "death", result: nil, eventIDs: [death.id]))
        }
        for (consequence, result) in triggered where consequence.action.isReturn {
            let date = result.failureDate ?? result.decidedOn!
            consider(Stop(date: date, knownOn: result.decidedOn!, reason: "consequences.\(consequence.id)", result: result, eventIDs: result.evidence))
        }

        var schedule: [Scheduled] = []
        let cutoff = asOf
        func add(_ date: CalendarDate, _ rank: Int, _ item: Item) {
            guard date <= cutoff else { return }
            schedule.append(Scheduled(date: date, rank: rank, order: schedule.count, item: item))
        }
        let upfront = price.scaled(by: terms.payment.upfront)
        if upfront.minorUnits > 0 { add(infusion, 0, .upfront) }
        if terms.fee != nil { add(infusion, 1, .fee) }
        scheduleInstallments(upfront: upfront, stop: installmentStop, results: resultByMeasure, add: add)

        let years = terms.benefitYears
        switch terms.portability.rule {
        case .staysWithPayingPayer:
            break
        case .followsCurrentPayer:
            let yearly = years > 1 ? upfront.minorUnits / Int64(years) : 0
            if yearly > 0 {
                for year in 2...years {
                    let start = infusion.adding(months: 12 * (year - 1))
                    if let end = benefitEnd, end.date <= start { break }
                    add(start, 3, .transfer(year: year, amount: yearly))
                }
            }
        case .mediatorPool:
            let yearly = price.minorUnits / Int64(years)
            for year in 1...years {
                let start = infusion.adding(months: 12 * (year - 1))
                if year > 1, let end = benefitEnd, end.date <= start { break }
                let amount = year == 1 ? price.minorUnits - yearly * Int64(years - 1) : yearly
                add(start, 3, .contribution(year: year, amount: amount))
            }
        }
        for (consequence, result) in triggered where consequence.action != .stopInstallments {
            add(result.decidedOn!, 4, .consequence(consequence, result))
        }
        for (consequence, _) in triggered {
            if let tier = consequence.tier, !unit.tiers.contains(tier) { unit.tiers.append(tier) }
        }
        if let reserve = terms.reserve { add(infusion.adding(months: reserve.releaseAfterMonths), 5, .reserveRelease) }

        schedule.sort { ($0.date, $0.rank, $0.order) < ($1.date, $1.rank, $1.order) }
        post(schedule, upfront: upfront)
        flags = deduplicated(flags)
    }

    private func stopOfInstallments(resultByMeasure: MeasureResults, triggered: [(Consequence, MeasureResult)]) -> Stop? {
        var stop: Stop?
        func consider(_ candidate: Stop) {
            if stop == nil || candidate.date < stop!.date { stop = candidate }
        }
        func firstEvent(_ matches: (OutcomeKind) -> Bool) -> OutcomeEvent? {
            events.first { $0.date >= infusion && matches($0.kind) }
        }
        for condition in terms.payment.installments?.stopWhen ?? [] {
            switch condition {
            case .death:
                if let event = firstEvent({ $0 == .death }) {
                    consider(Stop(date: event.date, knownOn: event.recordedOn, reason: "death", result: nil, eventIDs: [event.id]))
                }
            case .lostToFollowUp:
                if let event = firstEvent({ $0 == .lostToFollowUp }) {
                    consider(Stop(date: event.date, knownOn: event.recordedOn, reason: "lost to follow-up", result: nil, eventIDs: [event.id]))
                }
            case .subsequentTherapy:
                if let event = firstEvent({ $0 == .subsequentTherapy }) {
                    consider(Stop(date: event.date, knownOn: event.recordedOn, reason: "subsequent therapy", result: nil, eventIDs: [event.id]))
                }
            case .measureNotMet(let id):
                if let result = resultByMeasure[id], result.status == .notMet, let decided = result.decidedOn {
                    consider(Stop(
                        date: result.failureDate ?? decided, knownOn: decided, reason: "measure \(id) not met", result: result,
                        eventIDs: result.evidence
                    ))
                }
            }
        }
        for (consequence, result) in triggered where consequence.action == .stopInstallments {
            let decided = result.decidedOn!
            consider(Stop(
                date: result.failureDate ?? decided, knownOn: decided, reason: "consequences.\(consequence.id)", result: result,
                eventIDs: result.evidence
            ))
        }
        return stop
    }

    private mutating func scheduleInstallments(
        upfront: Money, stop: Stop?, results: MeasureResults, add: (CalendarDate, Int, Item) -> Void
    ) {
        guard let plan = terms.payment.installments, plan.count > 0 else { return }
        let financed = price.minorUnits - upfront.minorUnits
        guard financed > 0 else { return }
        let base = financed / Int64(plan.count)
        var outstanding = financed
        for number in 1...plan.count {
            let principal = number == plan.count ? financed - base * Int64(plan.count - 1) : base
            let monthsAccrued = number == 1 ? plan.firstDueMonths : plan.intervalMonths
            let interest = ExactMath.scale(outstanding, by: Int64(plan.annualInterestBasisPoints) * Int64(monthsAccrued), over: 120_000)
            outstanding -= principal
            let due = infusion.adding(months: plan.firstDueMonths + (number - 1) * plan.intervalMonths)
            if let stop, due >= stop.date {
                cancel(principal, knownOn: stop.knownOn)
                continue
            }
            let conditions = plan.payableIf.compactMap { results[$0] }
            if let failed = conditions.first(where: { $0.status == .notMet }) {
                cancel(principal, knownOn: failed.decidedOn ?? due)
                continue
            }
            if let undecided = conditions.first(where: { $0.status == .pending || $0.status == .escalated }) {
                if due <= asOf {
                    flags.append(flag(
                        .installmentHeld, measure: undecided.measureID, date: due,
                        "installment \(number) due \(due.iso) waits for measure \(undecided.measureID) (\(undecided.status.rawValue))"
                    ))
                }
                unit.outstandingInstallments = unit.outstandingInstallments + money(principal)
                continue
            }
            let postOn = ([due] + conditions.compactMap(\.decidedOn)).max()!
            if postOn > asOf {
                unit.outstandingInstallments = unit.outstandingInstallments + money(principal)
                continue
            }
            add(postOn, 2, .installment(number: number, principal: principal, interest: interest, due: due, conditions: conditions))
        }
    }

    private mutating func cancel(_ principal: Int64, knownOn: CalendarDate) {
        unit.cancelledInstallments = unit.cancelledInstallments + money(principal)
        unit.netPriceSetOn = max(unit.netPriceSetOn, min(knownOn, asOf))
    }

    // MARK: - Posting

    private mutating func post(_ schedule: [Scheduled], upfront: Money) {
        let reserveAmount = terms.reserve.map { min(price.scaled(by: $0.share).minorUnits, upfront.minorUnits) } ?? 0
        var reserveLeft = reserveAmount
        var returned: Int64 = 0
        var bonused: Int64 = 0
        // What each payer has borne of the price so far, for sharing returns under followsCurrentPayer.
        var borne: [PayerID: Int64] = [:]
        let years = terms.benefitYears
        let plan = terms.payment.installments

        for scheduled in schedule {
            let date = scheduled.date
            switch scheduled.item {
            case .upfront:
                var entries: [LedgerEntry] = []
                if upfront.minorUnits - reserveAmount > 0 {
                    entries.append(.debit(account(manufacturer, .receivable), money(upfront.minorUnits - reserveAmount)))
                }
                if reserveAmount > 0 { entries.append(.debit(account(mediator, .reserve), money(reserveAmount))) }
                entries.append(.credit(upfrontObligor, upfront))
                borne[payingPayer, default: 0] += upfront.minorUnits
                unit.billed = unit.billed + upfront
                target(
                    "payment.upfront", "infusion", date, .upfront, entries,
                    memo: .upfront(share: terms.payment.upfront, held: reserveAmount > 0 ? money(reserveAmount) : nil)
                )

            case .fee:
                guard let fee = terms.fee else { continue }
                let amount = fee.amount(price: price)
                guard amount.minorUnits > 0 else { continue }
                let from = fee.paidBy == .manufacturer ? account(manufacturer, .receivable) : upfrontObligor
                target("fee", "infusion", date, .fee, [.debit(account(mediator, .fees), amount), .credit(from, amount)], memo: .text("mediator fee"))

            case .installment(let number, let principal, let interest, let due, let conditions):
                let obligor = self.obligor(on: due, clause: "payment.installments")
                let count = plan?.count ?? number
                let evidence = conditions.flatMap(\.evidence)
                target(
                    "payment.installments", "\(number)", date, .installment,
                    [.debit(account(manufacturer, .receivable), money(principal)), .credit(obligor.account, money(principal))],
                    result: conditions.first, eventIDs: evidence,
                    memo: .installment(number: number, count: count, due: due, conditional: !conditions.isEmpty)
                )
                if let payer = obligor.payer { borne[payer, default: 0] += principal }
                unit.billed = unit.billed + money(principal)
                if interest > 0 {
                    target(
                        "payment.interest", "\(number)", date, .interest,
                        [.debit(account(manufacturer, .receivable), money(interest)), .credit(obligor.account, money(interest))],
                        memo: .interest(number: number, annualBasisPoints: plan?.annualInterestBasisPoints ?? 0)
                    )
                }

            case .transfer(let year, let amount):
                let current = currentPayer(on: date, clause: "portability")
                guard current != payingPayer else { continue }
                target(
                    "portability.transfer", "year-\(year)", date, .valueTransfer,
                    [.debit(account(.payer(payingPayer), .receivable), money(amount)), .credit(account(.payer(current), .payable), money(amount))],
                    memo: .transfer(from: current, to: payingPayer, year: year, years: years)
                )
                borne[current, default: 0] += amount
                borne[payingPayer, default: 0] -= amount

            case .contribution(let year, let amount):
                let contributor: PayerID
                if year == 1 {
                    contributor = payingPayer
                } else {
                    guard let covering = covering(on: date)?.payerID else {
                        flags.append(flag(.noCoverage, date: date, "no coverage on \(date.iso); the pool bears outcome year \(year)"))
                        continue
                    }
                    contributor = terms.parties.includes(covering) ? covering : payingPayer
                    if contributor != covering {
                        flags.append(flag(.payerNotParty, date: date, "\(covering) is not a party; \(payingPayer) contributes for outcome year \(year)"))
                    }
                }
                target(
                    "portability.contribution", "year-\(year)", date, .poolContribution,
                    [.debit(account(mediator, .pool), money(amount)), .credit(account(.payer(contributor), .payable), money(amount))],
                    memo: .contribution(payer: contributor, year: year, years: years)
                )

            case .consequence(let consequence, let result):
                let clause = "consequences.\(consequence.id)"
                switch consequence.action {
                case .rebate(let amount), .refund(let amount):
                    let computed = amount.resolved(price: price).minorUnits
                    postReturn(
                        consequence, result, computed: computed, date: date, clause: clause, returned: &returned,
                        reserveLeft: &reserveLeft, borne: borne,
                        description: .init(action: consequence.action, explanation: "")
                    )
                case .proRatedRefund(let share, let overMonths):
                    let failure = result.failureDate ?? date
                    let elapsed = infusion.fullMonths(until: failure)
                    let remaining = max(0, overMonths - elapsed)
                    let computed = ExactMath.scale(
                        price.minorUnits, by: Int64(share.basisPoints) * Int64(remaining), over: 10_000 * Int64(overMonths)
                    )
                    postReturn(
                        consequence, result, computed: computed, date: date, clause: clause, returned: &returned,
                        reserveLeft: &reserveLeft, borne: borne,
                        description: .init(action: consequence.action, remainingMonths: remaining, failedInMonth: elapsed + 1, explanation: "")
                    )
                case .bonus(let amount):
                    var value = amount.resolved(price: price).minorUnits
                    if let cap = terms.limits.maximumBonus?.resolved(price: price).minorUnits { value = min(value, max(0, cap - bonused)) }
                    guard value > 0 else { continue }
                    bonused += value
                    let obligor = self.obligor(on: date, clause: clause)
                    target(
                        clause, "result", date, .bonus,
                        [.debit(account(manufacturer, .receivable), money(value)), .credit(obligor.account, money(value))],
                        result: result, tier: consequence.tier, memo: .outcome(.init(action: consequence.action, limitedTo: value != amount.resolved(price: price).minorUnits ? money(value) : nil, explanation: result.explanation))
                    )
                    unit.bonuses = unit.bonuses + money(value)
                    unit.netPriceSetOn = max(unit.netPriceSetOn, date)
                case .stopInstallments:
                    continue
                }

            case .reserveRelease:
                guard reserveLeft > 0 else { continue }
                target(
                    "reserve.release", "release", date, .reserveRelease,
                    [.debit(account(manufacturer, .receivable), money(reserveLeft)), .credit(account(mediator, .reserve), money(reserveLeft))],
                    memo: .reserveRelease(months: terms.reserve?.releaseAfterMonths ?? 0)
                )
                reserveLeft = 0
            }
        }
    }

    /// A rebate or refund: floor and cap applied, funded from the reserve first, credited to
    /// the payer the portability rule names.
    private mutating func postReturn(
        _ consequence: Consequence, _ result: MeasureResult, computed: Int64, date: CalendarDate, clause: String,
        returned: inout Int64, reserveLeft: inout Int64, borne: [PayerID: Int64], description: PostingMemo.OutcomeMemo
    ) {
        var value = computed
        if value > 0, let floor = terms.limits.minimumReturn?.resolved(price: price).minorUnits { value = max(value, floor) }
        if let cap = terms.limits.maximumReturn?.resolved(price: price).minorUnits { value = min(value, max(0, cap - returned)) }
        guard value > 0 else { return }
        returned += value
        let fromReserve = min(reserveLeft, value)
        reserveLeft -= fromReserve
        var entries: [LedgerEntry] = []
        let beneficiary: LedgerAccount
        var current: PayerID?
        switch terms.portability.rule {
        case .staysWithPayingPayer: beneficiary = account(.payer(payingPayer), .receivable)
        case .mediatorPool: beneficiary = account(mediator, .pool)
        case .followsCurrentPayer:
            current = currentPayer(on: date, clause: clause)
            beneficiary = account(.payer(current!), .receivable)
        }
        entries.append(.debit(beneficiary, money(value)))
        if fromReserve > 0 { entries.append(.credit(account(mediator, .reserve), money(fromReserve))) }
        if value - fromReserve > 0 { entries.append(.credit(account(manufacturer, .payable), money(value - fromReserve))) }
        let category: PostingCategory = if case .rebate = consequence.action { .rebate } else { .refund }
        var memo = description
        memo.limitedTo = value != computed ? money(value) : nil
        memo.fromReserve = fromReserve > 0 ? money(fromReserve) : nil
        memo.explanation = result.explanation
        target(clause, "result", date, category, entries, result: result, tier: consequence.tier, memo: .outcome(memo))
        unit.returns = unit.returns + money(value)
        unit.netPriceSetOn = max(unit.netPriceSetOn, date)

        // Under followsCurrentPayer the current payer receives the return and passes on each
        // other payer's share, in proportion to the price each has borne.
        guard let current else { return }
        let payers = borne.filter { $0.value > 0 }.keys.sorted()
        let shares = ExactMath.allocate(value, weights: payers.map { borne[$0]! })
        var passOn: [LedgerEntry] = []
        var total: Int64 = 0
        for (payer, share) in zip(payers, shares) where payer != current && share > 0 {
            passOn.append(.debit(account(.payer(payer), .receivable), money(share)))
            total += share
        }
        guard total > 0 else { return }
        passOn.append(.credit(account(.payer(current), .payable), money(total)))
        let weights = payers.map { "\($0) \(money(borne[$0]!))" }.joined(separator: ", ")
        target(
            "\(clause).share", "result", date, .valueTransfer, passOn, result: result, tier: consequence.tier,
            memo: .text("\(current) passes on the shares of the \(category.rawValue) borne by earlier payers (price borne: \(weights))")
        )
    }

    // MARK: - Who owes

    /// The upfront payment's obligor: the paying payer, or the pool that pays for it.
    private var upfrontObligor: LedgerAccount {
        terms.portability.rule == .mediatorPool ? account(mediator, .pool) : account(.payer(payingPayer), .payable)
    }

    /// Who owes an amount falling due on `date` under the portability rule.
    private mutating func obligor(on date: CalendarDate, clause: String) -> (account: LedgerAccount, payer: PayerID?) {
        switch terms.portability.rule {
        case .staysWithPayingPayer: return (account(.payer(payingPayer), .payable), payingPayer)
        case .mediatorPool: return (account(mediator, .pool), nil)
        case .followsCurrentPayer:
            let payer = currentPayer(on: date, clause: clause)
            return (account(.payer(payer), .payable), payer)
        }
    }

    /// The payer covering the patient on `date`; without coverage that day, the last payer
    /// that covered them, else the paying payer. A payer outside the contract's parties is
    /// replaced by the paying payer. Both fallbacks are flagged.
    private mutating func currentPayer(on date: CalendarDate, clause: String) -> PayerID {
        var payer = covering(on: date)?.payerID
        if payer == nil {
            let previous = coverage.filter { $0.start <= date }.max { $0.start < $1.start }?.payerID
            flags.append(flag(
                .noCoverage, date: date,
                "no coverage in force on \(date.iso) for \(clause); \(previous.map { "last payer \($0)" } ?? "paying payer \(payingPayer)") used"
            ))
            payer = previous
        }
        let chosen = payer ?? payingPayer
        guard terms.parties.includes(chosen) else {
            flags.append(flag(.payerNotParty, date: date, "\(chosen) is not a party to the contract; \(payingPayer) used for \(clause)"))
            return payingPayer
        }
        return chosen
    }

    /// The coverage period in force on `date` (the latest-starting if several), as
    /// `CoveragePeriod.inForce` decides it, without building an array per call.
    private func covering(on date: CalendarDate) -> CoveragePeriod? {
        var found: CoveragePeriod?
        for period in coverage where period.covers(date) {
            if found == nil || period.start > found!.start { found = period }
        }
        return found
    }

    // MARK: - Helpers

    private func account(_ party: Party, _ kind: AccountKind) -> LedgerAccount { LedgerAccount(party, kind) }

    private func money(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: currency) }

    private mutating func target(
        _ clause: String, _ period: String, _ date: CalendarDate, _ category: PostingCategory, _ entries: [LedgerEntry],
        result: MeasureResult? = nil, eventIDs: [OutcomeEventID]? = nil, tier: String? = nil, memo: PostingMemo
    ) {
        targets.append(SettlementTarget(
            slot: PostingSlot(contractID: terms.id, contractVersion: terms.version, patientID: patient.patientID, clause: clause, period: period),
            effectiveOn: date, category: category, entries: entries,
            citation: Citation(
                contractID: terms.id, contractVersion: terms.version, productID: terms.product, patientID: patient.patientID,
                clause: clause, measure: result, eventIDs: eventIDs ?? result?.evidence ?? [], tier: tier
            ),
            memo: memo
        ))
    }

    private func flag(_ kind: SettlementFlag.Kind, measure: MeasureID? = nil, date: CalendarDate? = nil, _ message: String) -> SettlementFlag {
        SettlementFlag(kind: kind, contractID: terms.id, patientID: patient.patientID, measureID: measure, date: date, message: message)
    }

    private mutating func flagMissingData(_ measure: OutcomeMeasure, _ result: MeasureResult) {
        switch result.basis {
        case .observed: return
        case .assumedMet, .assumedNotMet:
            flags.append(flag(.missingDataAssumed, measure: measure.id, date: result.decidedOn, result.explanation))
        case .escalated:
            flags.append(flag(.escalated, measure: measure.id, date: result.decidedOn, result.explanation))
        case .awaitingData:
            // Waiting inside the grace period is normal; waiting past it (an extension) is worth a look.
            if asOf > result.windowEnd.adding(days: measure.graceDays) {
                flags.append(flag(.missingDataAwaited, measure: measure.id, date: asOf, result.explanation))
            }
        }
    }

    private func deduplicated(_ flags: [SettlementFlag]) -> [SettlementFlag] {
        guard flags.count > 1 else { return flags }
        var seen: Set<SettlementFlag> = []
        return flags.filter { seen.insert($0).inserted }
    }
}
