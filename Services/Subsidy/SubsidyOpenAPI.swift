import Contracts
import ServiceKit

/// The OpenAPI 3.1 document of `subsidy`'s own routes (the host adds health, metrics and `/openapi.json`), with
/// every request and response schema; `SubsidyDefinitionTests` checks it against the router.
enum SubsidyOpenAPI {
    static let officials: [Role] = [.ministry, .regionOfficial]
    static let uuid = JSONSchema.uuid
    static let date = JSONSchema.date
    static let dateTime = JSONSchema.dateTime
    static let fen = JSONSchema.integer(minimum: 0, maximum: Validator.maximumFen)

    // MARK: programmes

    static let purchaseTermsInput: JSONSchema = .object([
        .required("gradeRates", .array(of: GradeRate.schema, minItems: 1), "Rate per star grade (each grade once)."),
        .optional("localListRateBasisPoints", .integer(minimum: 1, maximum: 10_000), "Rate for uncertified local-list products; absent: excluded."),
        .optional("requiresLocalList", .boolean, "Whether a certified product must also be on the region's local list (default false)."),
        .required("eligibleCategories", .array(of: .enumeration(ProductCategory.self), minItems: 1), "Categories that qualify."),
        .required("capPerItem", fen, "Most paid for one unit, in fen (> 0)."),
        .optional("fixedAmountPriceThreshold", fen, "Unit price above which `fixedAmount` is paid instead of the rate."),
        .optional("fixedAmount", fen, "Fixed amount per unit above the threshold (given with it)."),
        .optional("priceCeiling", fen, "Unit price above which nothing is paid."),
        .required("householdCapCount", .integer(minimum: 1, maximum: Int64(Validator.maximumCount)), "Items per household per category."),
        .required("householdCapAmount", fen, "Subsidy per household per category, in fen (> 0)."),
    ])

    static let loanTermsInput: JSONSchema = .object([
        .required("subsidyRateBasisPoints", .integer(minimum: 1, maximum: 10_000), "Subsidised annual rate, basis points."),
        .required("maxPrincipal", fen, "Largest principal subsidised, in fen."),
        .required("maxTermMonths", .integer(minimum: 1, maximum: 360), "Longest term, in months."),
        .required("capPerLoan", fen, "Most paid for one loan, in fen."),
    ])

    static let programmeInput: JSONSchema = .object([
        .required("regionCode", .divisionCode, "The approved pilot region."),
        .required("name", .text(maxLength: 200), "Name."),
        .required("kind", .enumeration(SubsidyKind.self), "purchase or loan-interest."),
        .required("startsOn", date, "First eligible purchase date."),
        .required("endsOn", date, "Last eligible purchase date."),
        .required("budget", fen, "Total budget in fen (> 0)."),
        .required("fundingShares", .array(of: FundingShare.schema, minItems: 1), "Funders; shares add up to 10 000 basis points."),
        .optional("rounding", .enumeration(RoundingRule.self), "half-up (default) or down."),
        .required("reviewThreshold", fen, "Claims above this amount are held for two reviewers."),
        .optional("purchaseTerms", purchaseTermsInput, "Required for kind purchase."),
        .optional("loanTerms", loanTermsInput, "Required for kind loan-interest."),
    ])

    static let usage: JSONSchema = .object([
        .required("budget", fen, "The budget."),
        .required("reserved", fen, "Reserved for approved and held claims, not yet paid."),
        .required("paid", fen, "Paid and not clawed back."),
        .required("available", fen, "Still free."),
        .required("released", fen, "Released by rejections after a hold."),
        .required("clawedBack", fen, "Returned by clawbacks."),
    ])

    static let programme: JSONSchema = .object([
        .required("id", uuid, "The programme."),
        .required("regionCode", .divisionCode, "The pilot region."),
        .required("name", .text(maxLength: 200), "Name."),
        .required("kind", .enumeration(SubsidyKind.self), "Kind."),
        .required("status", .enumeration(ProgrammeStatus.self), "draft, approved, open, exhausted or closed."),
        .required("startsOn", date, "First eligible day."),
        .required("endsOn", date, "Last eligible day."),
        .required("budget", fen, "Budget in fen."),
        .required("fundingShares", .array(of: FundingShare.schema, minItems: 1), "Funders."),
        .required("rounding", .enumeration(RoundingRule.self), "Rounding to the fen."),
        .required("reviewThreshold", fen, "Two reviewers above this amount."),
        .optional("purchaseTerms", PurchaseSubsidyTerms.schema, "What a purchase subsidy pays."),
        .optional("loanTerms", LoanInterestTerms.schema, "What a loan interest subsidy pays."),
        .required("usage", usage, "The budget's use, from the ledger."),
        .required("createdAt", dateTime, "Drafted."),
        .optional("approvedAt", dateTime, "Approved."),
        .optional("openedAt", dateTime, "Opened."),
        .optional("closedAt", dateTime, "Closed."),
        .optional("closeReason", .text(maxLength: 1000), "Why it closed."),
    ])

    static let reason: JSONSchema = .object([.required("reason", .text(maxLength: 1000), "Why.")])

    // MARK: claims

    static let claimInput: JSONSchema = .object([
        .required("programmeID", uuid, "An open purchase programme."),
        .required("buyerIDNumber", .string(pattern: "^[0-9]{17}[0-9Xx]$"), "Resident identity number (check character verified); stored only hashed and masked."),
        .required("householdID", .text(maxLength: 64), "Household identifier (户号); stored only hashed."),
        .optional("buyerPhone", .string(pattern: "^1[3-9][0-9]{9}$"), "Mobile number; stored only masked."),
        .required("sellerCreditCode", .creditCode, "The seller (an enterprise submits only its own sales)."),
        .optional("invoiceCode", .string(pattern: "^([0-9]{10}|[0-9]{12})$"), "Invoice code (absent on a fully digital invoice)."),
        .required("invoiceNumber", .string(pattern: "^[0-9]{8,20}$"), "Invoice number; an invoice backs one claim, ever."),
        .required("purchasedOn", date, "Invoice date: not in the future, from 2022-01-01."),
        .required("lines", .array(of: .object([
            .optional("certificateNumber", .certificateNumber, "The product's certificate."),
            .optional("localListEntryID", uuid, "The region's local-list entry (an uncertified product)."),
            .required("quantity", .integer(minimum: 1, maximum: 10_000), "Units."),
            .required("unitPrice", .integer(minimum: 1, maximum: Validator.maximumFen), "Price of one unit, in fen."),
        ]), minItems: 1), "1 to 50 lines; each names a certificate or a local-list entry."),
        .required("bankAccount", .string(pattern: "^[0-9 ]{12,40}$"), "Account the subsidy is paid to (12–30 digits); stored encrypted, shown masked."),
    ])

    static let claim: JSONSchema = .object([
        .required("id", uuid, "The claim."),
        .required("programmeID", uuid, "Its programme."),
        .required("regionCode", .divisionCode, "The programme's region."),
        .required("status", .enumeration(ClaimStatus.self), "approved, rejected, held, paid or clawed-back."),
        .required("buyerIDNumberMasked", .text(maxLength: 18), "The buyer's ID number, masked."),
        .optional("buyerPhoneMasked", .text(maxLength: 11), "The phone, masked."),
        .required("bankAccountMasked", .text(maxLength: 40), "The account, masked."),
        .required("sellerCreditCode", .creditCode, "The seller."),
        .optional("invoiceCode", .text(maxLength: 12), "Invoice code."),
        .required("invoiceNumber", .text(maxLength: 20), "Invoice number."),
        .required("purchasedOn", date, "Invoice date."),
        .required("lines", .array(of: .object([
            .optional("certificateNumber", .text(maxLength: 40), "Certificate."),
            .optional("localListEntryID", uuid, "Local-list entry."),
            .optional("category", .text(maxLength: 100), "The product's category, when known."),
            .required("quantity", .integer(minimum: 1, maximum: 10_000), "Units."),
            .required("unitPrice", fen, "Unit price."),
            .required("subsidyAmount", fen, "What the line earns (0 when not eligible)."),
        ])), "Lines."),
        .required("purchaseAmount", fen, "Total price."),
        .required("requestedAmount", fen, "What the lines earn under the terms."),
        .required("reservedAmount", fen, "Reserved in (or paid from) the budget."),
        .required("rejectionReasons", .array(of: .enumeration(ClaimRejectionReason.self)), "Every reason that failed."),
        .required("holdRules", .array(of: .enumeration(ClaimHoldRule.self)), "Every rule that held it."),
        .required("reviewsRequired", .integer(minimum: 1, maximum: 2), "Approvals a held claim needs."),
        .required("reviews", .array(of: .object([
            .required("reviewer", .text(maxLength: 200), "Reviewer's account."),
            .required("decision", .enumeration(ClaimReviewDecision.self), "approve or reject."),
            .optional("comment", .text(maxLength: 1000), "Comment."),
            .required("reviewedAt", dateTime, "When."),
        ])), "Reviews so far."),
        .required("submitterRole", .text(maxLength: 40), "enterprise (the seller) or consumer (the buyer)."),
        .required("submittedAt", dateTime, "Submitted."),
        .optional("decidedAt", dateTime, "Decided."),
        .optional("paymentDueOn", date, "Due day of payment (15 working days after approval)."),
        .optional("paidAt", dateTime, "Paid."),
        .optional("clawedBackAt", dateTime, "Clawed back."),
        .optional("clawbackReason", .text(maxLength: 1000), "Why."),
    ])

    // MARK: payments

    static let batch: JSONSchema = .object([
        .required("id", uuid, "The batch."),
        .required("programmeID", uuid, "Its programme."),
        .required("regionCode", .divisionCode, "The region."),
        .required("claimCount", .count, "Claims in it."),
        .required("total", fen, "Total, in fen."),
        .required("fileSHA256", .sha256, "SHA-256 of the transfer file."),
        .required("createdAt", dateTime, "Created."),
        .required("payments", .array(of: .object([
            .required("id", uuid, "The payment (the transfer file's payment_id)."),
            .optional("claimID", uuid, "The purchase claim paid, or"),
            .optional("loanSubsidyID", uuid, "the loan interest subsidy"),
            .optional("loanPeriod", .integer(minimum: 1, maximum: 360), "and its repayment period paid."),
            .required("amount", fen, "Amount."),
            .required("status", .enumeration(PaymentDesk.PaymentState.self), "pending, paid or failed."),
            .optional("bankReference", .text(maxLength: 100), "The bank's reference."),
            .optional("failureReason", .text(maxLength: 500), "The bank's reason."),
            .optional("confirmedAt", dateTime, "When the bank's file was imported."),
        ])), "Payments."),
    ])

    // MARK: loan interest subsidies

    static let loanInput: JSONSchema = .object([
        .required("programmeID", uuid, "An open loan-interest programme."),
        .required("borrowerIDNumber", .string(pattern: "^[0-9]{17}[0-9Xx]$"), "Borrower's resident identity number; stored only hashed and masked."),
        .required("householdID", .text(maxLength: 64), "Household identifier (户号); stored only hashed."),
        .required("lender", .text(maxLength: 200), "The lending bank."),
        .required("loanContractNumber", .text(maxLength: 100), "The lender's contract number; a contract is subsidised once."),
        .required("loanPrincipal", .integer(minimum: 1, maximum: Validator.maximumFen), "Principal, in fen."),
        .required("eligibleShareBasisPoints", .integer(minimum: 1, maximum: 10_000), "Share spent on eligible materials, basis points."),
        .required("loanTermMonths", .integer(minimum: 1, maximum: 360), "Term, in months (monthly equal-principal repayment)."),
        .required("interestRateBasisPoints", .integer(minimum: 1, maximum: 10_000), "The loan's annual rate, basis points."),
        .required("loanDate", date, "Day the loan was made (not in the future)."),
        .required("firstRepaymentOn", date, "Due day of the first repayment (within a year after loanDate)."),
        .required("certificateNumbers", .array(of: .certificateNumber, minItems: 1, uniqueItems: true), "Certificates of the materials financed."),
        .required("bankAccount", .string(pattern: "^[0-9 ]{12,40}$"), "Account the subsidy is paid to; stored encrypted."),
    ])

    static let loan: JSONSchema = .object([
        .required("id", uuid, "The subsidy."),
        .required("programmeID", uuid, "Its programme."),
        .required("regionCode", .divisionCode, "The region."),
        .required("status", .string(pattern: "^(granted|rejected)$"), "granted or rejected."),
        .required("borrowerIDNumberMasked", .text(maxLength: 18), "Masked ID number."),
        .required("bankAccountMasked", .text(maxLength: 40), "Masked account."),
        .required("lender", .text(maxLength: 200), "Lender."),
        .required("loanContractNumber", .text(maxLength: 100), "Contract."),
        .required("loanPrincipal", fen, "Principal."),
        .required("eligibleShareBasisPoints", .integer(minimum: 1, maximum: 10_000), "Eligible share."),
        .required("subsidisedPrincipal", fen, "Principal the subsidy is computed on."),
        .required("loanTermMonths", .integer(minimum: 1, maximum: 360), "Term."),
        .required("subsidisedMonths", .integer(minimum: 1, maximum: 360), "Periods subsidised."),
        .required("interestRateBasisPoints", .integer(minimum: 1, maximum: 10_000), "Loan rate."),
        .required("subsidyRateBasisPoints", .basisPoints, "Subsidised rate."),
        .required("loanDate", date, "Loan day."),
        .required("firstRepaymentOn", date, "First repayment."),
        .required("certificateNumbers", .array(of: .text(maxLength: 40)), "Certificates."),
        .required("grantedAmount", fen, "Total subsidy (0 when rejected)."),
        .required("rejectionReasons", .array(of: .enumeration(ClaimRejectionReason.self)), "Every reason that failed."),
        .required("schedule", .array(of: .object([
            .required("period", .integer(minimum: 1, maximum: 360), "Repayment period."),
            .required("dueOn", date, "Its due day."),
            .required("outstandingPrincipal", fen, "Subsidised principal outstanding at its start."),
            .required("amount", fen, "Subsidy for the period."),
        ])), "The subsidy per repayment period."),
        .required("createdAt", dateTime, "Applied."),
    ])

    static let routes: [OpenAPIRoute] = [
        OpenAPIRoute("post", "/programmes", "Draft a programme in an approved pilot region", roles: officials,
                     requestBody: programmeInput, success: 201, response: programme),
        OpenAPIRoute("get", "/programmes", "Programmes, newest first (public)",
                     query: [.init("regionCode", .divisionCode, "Only this region's"),
                             .init("status", .enumeration(ProgrammeStatus.self), "Only this status"),
                             .init("limit", .integer(minimum: 1, maximum: 500), "1–500, default 100")],
                     response: .object([.required("programmes", .array(of: programme), "Programmes.")])),
        OpenAPIRoute("get", "/programmes/{id}", "One programme with its budget's use (public)", response: programme, problems: [404]),
        OpenAPIRoute("post", "/programmes/{id}/approval", "Approve a draft (a ministry official who did not draft it)",
                     roles: [.ministry], response: programme, problems: [404, 409]),
        OpenAPIRoute("post", "/programmes/{id}/opening", "Open an approved programme: claims are taken", roles: officials,
                     response: programme, problems: [404, 409]),
        OpenAPIRoute("post", "/programmes/{id}/top-ups", "Raise the budget (an exhausted programme opens again)", roles: [.ministry],
                     requestBody: .object([.required("amount", fen, "Amount in fen (> 0)."), .required("reason", .text(maxLength: 1000), "Why.")]),
                     response: programme, problems: [404, 409]),
        OpenAPIRoute("post", "/programmes/{id}/closure", "Close a programme for good", roles: officials, requestBody: reason,
                     response: programme, problems: [404, 409]),
        OpenAPIRoute("post", "/claims", "Submit a purchase subsidy claim: decided at once (approved, held or rejected with every reason)",
                     roles: [.enterprise, .consumer],
                     headers: [.init("Idempotency-Key", .text(maxLength: 200), "A retry with the same key and body returns the first claim (200)")],
                     requestBody: claimInput, success: 201, response: claim, problems: [404]),
        OpenAPIRoute("get", "/claims", "Claims the caller may see, newest first",
                     roles: [.ministry, .regionOfficial, .enterprise, .consumer],
                     query: [.init("programmeID", uuid, "Only this programme's"), .init("regionCode", .divisionCode, "Only this region's (and below)"),
                             .init("sellerCreditCode", .creditCode, "Only this seller's"),
                             .init("status", .enumeration(ClaimStatus.self), "Only this status"),
                             .init("before", uuid, "Claims submitted before this one (paging)"),
                             .init("limit", .integer(minimum: 1, maximum: 500), "1–500, default 100")],
                     response: .object([.required("claims", .array(of: claim), "Claims.")])),
        OpenAPIRoute("get", "/claims/{id}", "One claim, if the caller may see it", roles: [.ministry, .regionOfficial, .enterprise, .consumer],
                     response: claim, problems: [404]),
        OpenAPIRoute("post", "/claims/{id}/reviews", "Approve or reject a held claim (not its submitter; two approvers above the threshold)",
                     roles: officials,
                     requestBody: .object([.required("decision", .enumeration(ClaimReviewDecision.self), "approve or reject."),
                                           .optional("comment", .text(maxLength: 1000), "Comment.")]),
                     response: claim, problems: [404, 409]),
        OpenAPIRoute("post", "/claims/{id}/clawback", "Claw back a paid claim (goods returned, fraud found)", roles: officials,
                     requestBody: reason, response: claim, problems: [404, 409]),
        OpenAPIRoute("post", "/programmes/{id}/payment-batches", "Collect approved, unpaid claims (or loan periods due) into a payment batch", roles: officials,
                     requestBody: .object([.optional("limit", .integer(minimum: 1, maximum: 10_000), "Most claims (default 1000).")]),
                     success: 201, response: batch, problems: [404, 409]),
        OpenAPIRoute("get", "/payment-batches/{id}", "A payment batch with its payments", roles: officials, response: batch, problems: [404]),
        OpenAPIRoute("get", "/payment-batches/{id}/transfer-file",
                     "The bank transfer file: payment_id,reference_id,account,amount_fen lines, then #checksum,count,total,sha256",
                     roles: officials, responseMediaType: "text/csv", problems: [404]),
        OpenAPIRoute("post", "/payment-batches/{id}/confirmation",
                     "Import the bank's confirmation (payment_id,status,bank_reference,reason); importing it again pays once",
                     roles: officials, requestMediaType: "text/csv",
                     response: .object([.required("paid", .count, "Payments confirmed paid now."),
                                        .required("failed", .count, "Payments confirmed failed now."),
                                        .required("alreadyConfirmed", .count, "Lines about payments confirmed before.")]),
                     problems: [404]),
        OpenAPIRoute("post", "/loan-subsidies", "Apply for a loan interest subsidy: decided at once with its schedule",
                     roles: [.consumer, .regionOfficial], requestBody: loanInput, success: 201, response: loan, problems: [404, 409]),
        OpenAPIRoute("get", "/loan-subsidies/{id}", "One loan interest subsidy with its schedule, if the caller may see it",
                     roles: [.ministry, .regionOfficial, .consumer], response: loan, problems: [404]),
    ]

    /// What ``OpenAPIRoute`` writes one of per route: a claim retried with the same Idempotency-Key and body is
    /// answered 200 with the first claim.
    static let retriedClaim: OpenAPIDocument = {
        let patch: JSONValue = [
            "openapi": "3.1.0", "info": ["title": "subsidy", "version": "1.0.0"],
            "paths": ["/claims": ["post": ["responses": ["200": [
                "description": "A retry with the same Idempotency-Key and body: the first submission's claim",
                "content": ["application/json": ["schema": claim.json]],
            ]]]]],
        ]
        return (try? OpenAPIDocument(json: patch.serialized())) ?? OpenAPIDocument(title: "subsidy", version: "1.0.0")
    }()

    static let document = OpenAPIDocument(
        title: "subsidy", version: "1.0.0",
        description: "Purchase and loan-interest subsidy programmes, claims, the budget ledger and payments of the 绿色建材下乡 campaign.",
        routes: routes).merging(retriedClaim)
}
