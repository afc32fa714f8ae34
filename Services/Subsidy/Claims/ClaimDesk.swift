import Contracts
import Crypto
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Takes claims and decides them at once, in one transaction with their events: eligibility from the read models,
/// the fraud and anomaly rules, the invoice (one claim per invoice, ever) and the budget reservation. Then reviews,
/// clawbacks and who may see what.
///
/// Personal data: the buyer's ID number is kept only as a keyed hash (`consumer_ref`, the reference events carry)
/// and a masked form; the household identifier only as a keyed hash; the phone only masked; the bank account
/// encrypted (AES-GCM), as a keyed hash for the shared-account rule and masked for display.
struct ClaimDesk: Sendable {
    let context: SubsidyContext

    var personalData: PersonalDataProtector { context.service.personalData }
    var programmes: ProgrammeBook { ProgrammeBook(context: context) }

    /// Who submitted: the seller (its token names its enterprise) or the buyer.
    struct Submitter: Sendable {
        var subject: String
        var role: ActorRole
    }

    /// A submission's Idempotency-Key and the fingerprint of its body.
    struct Idempotency: Sendable {
        var key: String
        var requestSHA256: String
    }

    /// Submits and decides a claim; with an `idempotency` key already used by this caller for the same body, returns
    /// that claim instead (`created` false).
    func submit(_ claim: ClaimSubmission, by submitter: Submitter, idempotency: Idempotency?) async throws
        -> (view: ClaimView, created: Bool)
    {
        let id = UUID()
        let now = context.clock.now()
        let today = WorkingDayCalendar.day(of: now)
        let consumerRef = personalData.matchingHash(claim.idNumber.rawValue)
        let householdRef = personalData.matchingHash("household:" + claim.householdID)
        let bankRef = personalData.matchingHash("bank-account:" + claim.bankAccount)
        let bankEncrypted = try personalData.encrypt(claim.bankAccount)
        let outcome: UUID = try await context.pool.transaction { connection in
            if let idempotency {
                if let earlier = try await Self.rememberKey(idempotency, caller: submitter.subject, claim: id, at: now, on: connection) {
                    return earlier
                }
            }
            guard let programme = try await Programme.load(claim.programmeID, on: connection) else {
                throw SubsidyError.programmeNotFound(claim.programmeID.lowercasedText)
            }
            guard programme.terms.kind == .purchase, let terms = programme.terms.purchaseTerms else {
                throw Problem.validation(field: "programmeID", reason: "is a loan-interest programme; purchase claims need a purchase programme")
            }
            // One buyer's and one household's claims are decided one at a time, so their caps and counts hold.
            try await connection.query("""
                SELECT pg_advisory_xact_lock(1, hashtext(\(consumerRef))), pg_advisory_xact_lock(2, hashtext(\(householdRef)))
                """)
            let eligibility = Eligibility(programme: programme, terms: terms)
            let decision = try await eligibility.decide(claim, householdRef: householdRef, on: connection)
            var reasons = decision.reasons
            let requested = decision.requested
            var holdRules: [ClaimHoldRule] = []
            var slice: Int?
            var sliceFull = false
            if reasons.isEmpty {
                holdRules = try await FraudRules(thresholds: context.settings.fraud).holds(FraudRules.Subject(
                    programme: programme, consumerRef: consumerRef, bankAccountRef: bankRef, seller: claim.seller,
                    today: today, lines: claim.lines, requested: requested), on: connection)
                let invoice = try await connection.query("""
                    INSERT INTO invoice_use (invoice_code, invoice_number, claim_id)
                    VALUES (\(claim.invoiceCode ?? ""), \(claim.invoiceNumber), \(id)) ON CONFLICT DO NOTHING
                    """)
                if invoice.affectedRows == 0 {
                    reasons.insert(.duplicateInvoice)
                } else if requested > .zero {
                    switch try await programme.ledger.reserve(requested, for: id, preferring: Int(id.uuid.15),
                                                              at: now, on: connection) {
                    case .reserved(let reservedSlice, let full):
                        slice = reservedSlice
                        sliceFull = full
                    case .noRoom(let left):
                        reasons.insert(.budgetExhausted)
                        sliceFull = left == .zero
                    case .notAccepting:
                        reasons.insert(.programmeNotOpen)
                    }
                }
                if !reasons.isEmpty {
                    try await connection.query("DELETE FROM invoice_use WHERE claim_id = \(id)")
                }
            } else {
                let used = try await connection.query("""
                    SELECT 1 FROM invoice_use WHERE invoice_code = \(claim.invoiceCode ?? "") AND invoice_number = \(claim.invoiceNumber)
                    """)
                if !used.isEmpty { reasons.insert(.duplicateInvoice) }
            }
            let status: ClaimStatus = !reasons.isEmpty ? .rejected : holdRules.isEmpty ? .approved : .held
            let reviewsRequired = requested > programme.terms.reviewThreshold ? 2 : 1
            let approvedOn = status == .approved ? today : nil
            let dueOn = approvedOn.map { context.settings.workingDays.addingWorkingDays(context.settings.paymentWorkingDays, to: $0) }
            let sortedReasons = reasons.sorted { $0.rawValue < $1.rawValue }
            try await connection.query("""
                INSERT INTO claim (id, programme_id, region_code, status, consumer_ref, household_ref, id_number_masked,
                    phone_masked, bank_account_encrypted, bank_account_ref, bank_account_masked, seller_credit_code,
                    invoice_code, invoice_number, purchased_on, purchase_amount, requested_amount, reserved_amount,
                    budget_slice, rejection_reasons, hold_rules, reviews_required, submitted_by, submitter_role,
                    submitted_at, decided_at, approved_on, payment_due_on)
                VALUES (\(id), \(programme.id), \(programme.terms.regionCode.rawValue), \(status.rawValue), \(consumerRef),
                    \(householdRef), \(PersonalDataProtector.maskIDNumber(claim.idNumber.rawValue)), \(claim.phone.map(PersonalDataProtector.maskPhone)),
                    \(bankEncrypted), \(bankRef), \(Self.maskAccount(claim.bankAccount)), \(claim.seller.rawValue),
                    \(claim.invoiceCode), \(claim.invoiceNumber), \(claim.purchasedOn.description)::date,
                    \(claim.purchaseAmount.rawValue), \(requested.rawValue), \(slice == nil ? 0 : requested.rawValue),
                    \(slice), \(sortedReasons.map(\.rawValue)), \(holdRules.map(\.rawValue)), \(reviewsRequired),
                    \(submitter.subject), \(submitter.role.rawValue), \(now), \(now), \(approvedOn?.description)::date,
                    \(dueOn?.description)::date)
                """)
            try await connection.query("""
                INSERT INTO claim_line (claim_id, line_no, certificate_number, local_list_entry_id, category,
                    seller_credit_code, quantity, unit_price, subsidy_amount)
                SELECT \(id), n, c, e, cat, \(claim.seller.rawValue), q, p, s
                FROM unnest(\(decision.lines.map { $0.line.certificateNumber?.rawValue ?? "" })::text[],
                            \(decision.lines.map { $0.line.localListEntryID?.lowercasedText ?? "" })::text[],
                            \(decision.lines.map { $0.category?.rawValue ?? "" })::text[],
                            \(decision.lines.map { $0.line.quantity })::int[],
                            \(decision.lines.map { $0.line.unitPrice.rawValue })::bigint[],
                            \(decision.lines.map { $0.subsidy.rawValue })::bigint[])
                     WITH ORDINALITY AS t(c0, e0, cat0, q, p, s, n),
                     LATERAL (SELECT nullif(c0, '') AS c, nullif(e0, '')::uuid AS e, nullif(cat0, '') AS cat) v
                """)

            let region = programme.terms.regionCode
            let consumer = ConsumerRef(rawValue: consumerRef)!
            var events: [CloudEvent] = []
            let source = context.outbox.source.eventSource
            events.append(try CloudEvent(source: source, payload: ClaimSubmitted(
                claimID: id.lowercasedText, programmeID: programme.id.lowercasedText, regionCode: region,
                consumerRef: consumer, householdRef: ConsumerRef(rawValue: householdRef)!, sellerCreditCode: claim.seller,
                submitterRole: submitter.role, invoiceCode: claim.invoiceCode, invoiceNumber: claim.invoiceNumber,
                purchasedOn: claim.purchasedOn,
                lines: decision.lines.map {
                    ClaimLine(certificateNumber: $0.line.certificateNumber, localListEntryID: $0.line.localListEntryID?.lowercasedText,
                              quantity: $0.line.quantity, unitPrice: $0.line.unitPrice, subsidyAmount: $0.subsidy)
                },
                purchaseAmount: claim.purchaseAmount, requestedAmount: requested, submittedAt: now), time: now))
            switch status {
            case .approved:
                events.append(try CloudEvent(source: source, payload: ClaimApproved(
                    claimID: id.lowercasedText, programmeID: programme.id.lowercasedText, regionCode: region,
                    consumerRef: consumer, approvedAmount: requested, paymentDueOn: dueOn!, afterReview: false,
                    actorRole: .system, approvedAt: now), time: now))
            case .held:
                events.append(try CloudEvent(source: source, payload: ClaimHeld(
                    claimID: id.lowercasedText, programmeID: programme.id.lowercasedText, regionCode: region,
                    consumerRef: consumer, rules: holdRules, reservedAmount: requested, reviewsRequired: reviewsRequired,
                    heldAt: now), time: now))
            default:
                events.append(try CloudEvent(source: source, payload: ClaimRejected(
                    claimID: id.lowercasedText, programmeID: programme.id.lowercasedText, regionCode: region,
                    consumerRef: consumer, reasonCodes: sortedReasons, reason: ClaimRejectionText.describe(sortedReasons),
                    actorRole: .system, rejectedAt: now), time: now))
            }
            try await context.outbox.append(events, on: connection)
            if sliceFull {
                try await programmes.noteAvailability(of: programme, status: .open, at: now, on: connection)
            }
            return id
        }
        if outcome == id { await countForSeller(claim.seller, on: today) }
        return (try await view(outcome, as: nil), outcome == id)
    }

    /// Counts the claim in its seller's day (the volume-spike rule's norm), after the claim committed and in a
    /// transaction of its own that does not wait for the disk: every claim of a seller updates that one row, so it
    /// is held only for an instant instead of for a claim's whole transaction. A count lost to a crash only makes
    /// the heuristic a little less eager.
    private func countForSeller(_ seller: UnifiedSocialCreditCode, on day: CalendarDate) async {
        do {
            try await context.pool.transaction { connection in
                try await connection.query("SET LOCAL synchronous_commit TO off")
                try await connection.query("""
                    INSERT INTO seller_day (seller_credit_code, day, claims) VALUES (\(seller.rawValue), \(day.description)::date, 1)
                    ON CONFLICT (seller_credit_code, day) DO UPDATE SET claims = seller_day.claims + 1
                    """)
            }
        } catch {
            context.logger.warning("seller day count not recorded", metadata: ["error": "\(error)"])
        }
    }

    /// Records the caller's Idempotency-Key for `claim`, or returns the claim an earlier request with the same key
    /// made (throwing when its body differed). Waits for a concurrent request with the same key to finish first.
    private static func rememberKey(_ idempotency: Idempotency, caller: String, claim: UUID, at now: Date,
                                on connection: PostgresConnection) async throws -> UUID? {
        let inserted = try await connection.query("""
            INSERT INTO idempotency_key (caller, key, request_sha256, claim_id, created_at)
            VALUES (\(caller), \(idempotency.key), \(idempotency.requestSHA256), \(claim), \(now))
            ON CONFLICT (caller, key) DO NOTHING
            """)
        if inserted.affectedRows == 1 { return nil }
        let rows = try await connection.query("""
            SELECT claim_id, request_sha256 FROM idempotency_key WHERE caller = \(caller) AND key = \(idempotency.key)
            """)
        guard let row = rows.first else { return nil }
        guard try row.decode("request_sha256", as: String.self) == idempotency.requestSHA256 else {
            throw SubsidyError.idempotencyKeyReused
        }
        return try row.decode("claim_id", as: UUID.self)
    }

    /// `6222********1234`: the first and last four digits of an account.
    static func maskAccount(_ account: String) -> String {
        guard account.count > 8 else { return String(repeating: "*", count: account.count) }
        return String(account.prefix(4)) + String(repeating: "*", count: account.count - 8) + String(account.suffix(4))
    }

    /// The SHA-256 of a request body, in hex: what an Idempotency-Key is bound to.
    static func fingerprint(_ bytes: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Array(bytes)).lowercaseHex
    }
}
