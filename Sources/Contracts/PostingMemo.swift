import Core
import CareNetwork

/// What a posting is, kept as the facts and put into words only when someone reads it.
///
/// A settlement makes millions of postings and most memos are never read; building each
/// sentence up front cost a third of the engine's time and memory. The words are the same
/// either way: ``LedgerTransaction/memo`` renders them on demand.
enum PostingMemo: Hashable, Sendable {
    case text(String)
    case upfront(share: Share, held: Money?)
    case installment(number: Int, count: Int, due: CalendarDate, conditional: Bool)
    case interest(number: Int, annualBasisPoints: Int)
    case transfer(from: PayerID, to: PayerID, year: Int, years: Int)
    case contribution(payer: PayerID, year: Int, years: Int)
    case reserveRelease(months: Int)
    case outcome(OutcomeMemo)
    indirect case corrected(PostingMemo)

    /// A rebate, refund or bonus and the result behind it.
    struct OutcomeMemo: Hashable, Sendable {
        var action: ConsequenceAction
        /// For a pro-rated refund: the months refunded and the month the failure fell in.
        var remainingMonths: Int?
        var failedInMonth: Int?
        /// The amount after caps and floors, when they changed it.
        var limitedTo: Money?
        var fromReserve: Money?
        var explanation: String
    }

    var text: String {
        switch self {
        case .text(let text): return text
        case .upfront(let share, let held):
            return "\(share) of the price due at infusion\(held.map { ", \($0) held in reserve" } ?? "")"
        case .installment(let number, let count, let due, let conditional):
            return "installment \(number) of \(count), due \(due.iso)\(conditional ? ", conditions met" : "")"
        case .interest(let number, let points):
            return "interest on installment \(number) at \(Share(basisPoints: points)) a year"
        case .transfer(let from, let to, let year, let years):
            return "\(from) reimburses \(to) for outcome year \(year) (1/\(years) of the upfront payment)"
        case .contribution(let payer, let year, let years):
            return "\(payer) contributes for outcome year \(year) (1/\(years) of the price)"
        case .reserveRelease(let months):
            return "warranty reserve released to the manufacturer after \(months) months"
        case .corrected(let memo):
            return "corrected: \(memo.text)"
        case .outcome(let memo):
            var description: String
            switch memo.action {
            case .rebate(let amount), .refund(let amount), .bonus(let amount):
                description = "\(memo.action.name) of \(amount.text)"
            case .proRatedRefund(let share, let overMonths):
                description = "pro-rated refund: \(share) × \(memo.remainingMonths ?? 0)/\(overMonths) months (failed in month \(memo.failedInMonth ?? 0))"
            case .stopInstallments:
                description = "installments stopped"
            }
            if let limited = memo.limitedTo { description += " limited to \(limited) by the contract's caps and floors" }
            if let reserve = memo.fromReserve { description += " (\(reserve) from the reserve)" }
            return "\(description): \(memo.explanation)"
        }
    }
}
