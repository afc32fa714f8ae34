import Contracts

/// A loan interest subsidy's schedule: monthly equal-principal repayments (等额本金), so the outstanding principal
/// falls by `principal / term` each month. For each subsidised period the subsidy is
///
///     outstanding subsidised principal at the period's start × subsidised annual rate / 12
///
/// rounded to the fen by the programme's rule, where the subsidised principal is the loan's eligible share (the part
/// spent on green building materials), at most the programme's maximum principal; the subsidised rate is the
/// programme's, at most the loan's own; only the first `maxTermMonths` periods are subsidised; and the running
/// total stops at the programme's cap per loan (the period that reaches it is paid the remainder, later ones 0).
struct LoanSchedule: Sendable, Equatable {
    struct Period: Sendable, Equatable, Codable {
        var period: Int
        var dueOn: CalendarDate
        var outstandingPrincipal: Fen
        var amount: Fen
    }

    var subsidisedPrincipal: Fen
    var subsidisedMonths: Int
    var subsidyRateBasisPoints: Int
    var periods: [Period]
    var total: Fen { periods.map(\.amount).sum() }

    init(principal: Fen, eligibleShareBasisPoints: Int, termMonths: Int, interestRateBasisPoints: Int,
         firstRepaymentOn: CalendarDate, terms: LoanInterestTerms, rounding: RoundingRule) {
        let eligible = Fen.percentage(of: principal, basisPoints: eligibleShareBasisPoints, rounding: .down)
        subsidisedPrincipal = min(eligible, terms.maxPrincipal)
        subsidisedMonths = min(termMonths, terms.maxTermMonths)
        subsidyRateBasisPoints = min(terms.subsidyRateBasisPoints, interestRateBasisPoints)
        var periods: [Period] = []
        var paid = Fen.zero
        for index in 0..<subsidisedMonths {
            // Outstanding at the start of the period, exactly: P × (n − k) / n, rounded down to the fen.
            let outstanding = Fen.fraction(of: subsidisedPrincipal, times: termMonths - index, over: termMonths, rounding: .down)
            // A month's interest at the annual rate: outstanding × basis points / (12 × 10 000).
            var amount = Fen.fraction(of: outstanding, times: subsidyRateBasisPoints, over: 120_000, rounding: rounding)
            amount = min(amount, terms.capPerLoan - paid)
            paid = paid + amount
            periods.append(Period(period: index + 1, dueOn: Self.month(firstRepaymentOn, plus: index),
                                  outstandingPrincipal: outstanding, amount: amount))
        }
        self.periods = periods
    }

    /// The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb).
    static func month(_ day: CalendarDate, plus months: Int) -> CalendarDate {
        let zeroBased = day.month - 1 + months
        let year = day.year + zeroBased / 12
        let month = zeroBased % 12 + 1
        var date = CalendarDate(year: year, month: month, day: day.day)
        var dayOfMonth = day.day
        while date == nil, dayOfMonth > 28 {
            dayOfMonth -= 1
            date = CalendarDate(year: year, month: month, day: dayOfMonth)
        }
        return date!
    }
}
