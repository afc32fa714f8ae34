import Contracts
import Messaging

/// Facts from `gbm.subsidy.*`: programmes and budgets, claims by the state they reach, amounts requested, approved,
/// paid and clawed back, loan interest subsidies and payments, all in fen. Consumers appear in none of them.
enum SubsidyProjection {
    static let handlers: [EventHandler] = [
        FactLedger.handler(ProgrammeApproved.self) { approved in
            [
                Fact(.programmesApproved, approved.kind.rawValue, region: approved.regionCode, at: approved.approvedAt),
                Fact(.budget, region: approved.regionCode, at: approved.approvedAt, value: approved.budget.rawValue),
            ]
        },
        FactLedger.handler(ProgrammeOpened.self) { opened in
            [Fact(.programmesOpened, region: opened.regionCode, at: opened.openedAt)]
        },
        FactLedger.handler(ProgrammeBudgetChanged.self) { changed in
            [Fact(.budget, region: changed.regionCode, at: changed.changedAt,
                  value: changed.budget.rawValue - changed.previousBudget.rawValue)]
        },
        FactLedger.handler(ProgrammeExhausted.self) { exhausted in
            [Fact(.programmesExhausted, region: exhausted.regionCode, at: exhausted.exhaustedAt)]
        },
        FactLedger.handler(ProgrammeClosed.self) { closed in
            [Fact(.programmesClosed, region: closed.regionCode, day: closed.closedOn)]
        },
        FactLedger.handler(ClaimSubmitted.self) { submitted in
            [
                Fact(.claims, "submitted", region: submitted.regionCode, at: submitted.submittedAt),
                Fact(.purchases, region: submitted.regionCode, at: submitted.submittedAt, value: submitted.purchaseAmount.rawValue),
                Fact(.subsidyRequested, region: submitted.regionCode, at: submitted.submittedAt,
                     value: submitted.requestedAmount.rawValue),
            ]
        },
        FactLedger.handler(ClaimHeld.self) { held in
            [Fact(.claims, "held", region: held.regionCode, at: held.heldAt)]
        },
        FactLedger.handler(ClaimReviewed.self) { reviewed in
            [Fact(.claimReviews, reviewed.decision.rawValue, region: reviewed.regionCode, at: reviewed.reviewedAt)]
        },
        FactLedger.handler(ClaimApproved.self) { approved in
            [
                Fact(.claims, "approved", region: approved.regionCode, at: approved.approvedAt),
                Fact(.subsidyApproved, region: approved.regionCode, at: approved.approvedAt, value: approved.approvedAmount.rawValue),
            ]
        },
        FactLedger.handler(ClaimRejected.self) { rejected in
            [Fact(.claims, "rejected", region: rejected.regionCode, at: rejected.rejectedAt)]
        },
        FactLedger.handler(ClaimPaid.self) { paid in
            [
                Fact(.claims, "paid", region: paid.regionCode, at: paid.paidAt),
                Fact(.subsidyPaid, region: paid.regionCode, at: paid.paidAt, value: paid.amount.rawValue),
            ]
        },
        FactLedger.handler(ClaimPaymentOverdue.self) { overdue in
            [Fact(.claims, "payment-overdue", region: overdue.regionCode, at: overdue.detectedAt)]
        },
        FactLedger.handler(ClaimClawedBack.self) { clawedBack in
            [
                Fact(.claims, "clawed-back", region: clawedBack.regionCode, at: clawedBack.clawedBackAt),
                Fact(.subsidyClawedBack, region: clawedBack.regionCode, at: clawedBack.clawedBackAt, value: clawedBack.amount.rawValue),
            ]
        },
        FactLedger.handler(LoanInterestSubsidyGranted.self) { granted in
            [
                Fact(.loansGranted, region: granted.regionCode, at: granted.grantedAt),
                Fact(.loanSubsidyGranted, region: granted.regionCode, at: granted.grantedAt, value: granted.grantedAmount.rawValue),
                Fact(.loanPrincipal, region: granted.regionCode, at: granted.grantedAt, value: granted.loanPrincipal.rawValue),
            ]
        },
        FactLedger.handler(PaymentMade.self) { made in
            [Fact(.paymentsMade, made.purpose.rawValue, region: made.regionCode, at: made.paidAt, value: made.amount.rawValue)]
        },
        FactLedger.handler(PaymentFailed.self) { failed in
            [Fact(.paymentsFailed, failed.purpose.rawValue, region: failed.regionCode, at: failed.failedAt)]
        },
    ]
}
