import Contracts
import ServiceKit

/// The subsidy service's domain errors, each with a stable code; HTTP renders them as problem+json with the status
/// and, for bad input, the field at fault. (A claim that fails eligibility is not an error: it is stored as a
/// rejected claim with every reason code.)
public enum SubsidyError: Error, Equatable, Sendable, ProblemConvertible {
    case programmeNotFound(String)
    case claimNotFound(String)
    case paymentBatchNotFound(String)
    case loanSubsidyNotFound(String)
    /// The lender's loan contract already has a granted subsidy.
    case loanAlreadySubsidised(String)
    /// The programme is not in a status that allows the action.
    case programmeState(ProgrammeStatus, action: String)
    /// The claim is not in a status that allows the action.
    case claimState(ClaimStatus, action: String)
    /// The region is not an approved pilot region (as far as `gbm.pilot.regions.v1` has told this service).
    case regionNotApproved(String)
    /// Whoever created a programme or submitted a claim may not also approve or review it.
    case fourEyes(String)
    /// This reviewer already reviewed the claim.
    case alreadyReviewed
    /// An enterprise submits claims only as the seller named in its token.
    case sellerMismatch(String)
    /// The Idempotency-Key was used before with a different request body.
    case idempotencyKeyReused
    /// The programme has no approved, unpaid claim outside a payment batch.
    case nothingToPay
    /// A bank confirmation file that cannot be read, with the line at fault.
    case confirmationInvalid(line: Int, reason: String)

    public var code: String {
        switch self {
        case .programmeNotFound: "programme-not-found"
        case .claimNotFound: "claim-not-found"
        case .paymentBatchNotFound: "payment-batch-not-found"
        case .loanSubsidyNotFound: "loan-subsidy-not-found"
        case .loanAlreadySubsidised: "loan-already-subsidised"
        case .programmeState: "programme-state"
        case .claimState: "claim-state"
        case .regionNotApproved: "region-not-approved"
        case .fourEyes: "four-eyes"
        case .alreadyReviewed: "already-reviewed"
        case .sellerMismatch: "seller-mismatch"
        case .idempotencyKeyReused: "idempotency-key-reused"
        case .nothingToPay: "nothing-to-pay"
        case .confirmationInvalid: "confirmation-file-invalid"
        }
    }

    public var problem: Problem {
        switch self {
        case .programmeNotFound(let id):
            return .notFound("No subsidy programme \(id).", code: code)
        case .claimNotFound(let id):
            return .notFound("No claim \(id).", code: code)
        case .paymentBatchNotFound(let id):
            return .notFound("No payment batch \(id).", code: code)
        case .loanSubsidyNotFound(let id):
            return .notFound("No loan interest subsidy \(id).", code: code)
        case .loanAlreadySubsidised(let contract):
            return .conflict(code: code, detail: "Loan contract \(contract) already has a granted interest subsidy.",
                             field: "loanContractNumber", reason: "already has a granted interest subsidy")
        case .programmeState(let status, let action):
            return .conflict(code: code, detail: "A programme that is \(status.rawValue) cannot be \(action).")
        case .claimState(let status, let action):
            return .conflict(code: code, detail: "A claim that is \(status.rawValue) cannot be \(action).")
        case .regionNotApproved(let region):
            return Problem(
                status: .unprocessableContent, code: code, title: "Unprocessable Content",
                detail: "Region \(region) is not an approved pilot region.",
                errors: [FieldError(field: "regionCode", reason: "is not an approved pilot region")])
        case .fourEyes(let detail):
            return .forbidden(detail, code: code)
        case .alreadyReviewed:
            return .conflict(code: code, detail: "You have already reviewed this claim; another reviewer must decide.")
        case .sellerMismatch(let seller):
            return Problem(
                status: .forbidden, code: code, title: "Forbidden",
                detail: "An enterprise submits claims only for its own sales; \(seller) is not the enterprise of the token.",
                errors: [FieldError(field: "sellerCreditCode", reason: "is not the enterprise of the token")])
        case .idempotencyKeyReused:
            return Problem(
                status: .unprocessableContent, code: code, title: "Unprocessable Content",
                detail: "This Idempotency-Key was used before with a different request.",
                errors: [FieldError(field: "Idempotency-Key", reason: "was used with a different request body")])
        case .nothingToPay:
            return .conflict(code: code, detail: "The programme has no approved claim waiting for payment.")
        case .confirmationInvalid(let line, let reason):
            return Problem(
                status: .unprocessableContent, code: code, title: "Unprocessable Content",
                detail: "The confirmation file is invalid at line \(line): \(reason)",
                errors: [FieldError(field: "line \(line)", reason: reason)])
        }
    }
}
