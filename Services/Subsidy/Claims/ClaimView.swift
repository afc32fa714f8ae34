import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// A claim as the API returns it: personal data only masked, never the ID number, household id or bank account.
struct ClaimView: ResponseEncodable, Codable, Sendable {
    struct Line: Codable, Sendable {
        var certificateNumber: String?
        var localListEntryID: String?
        var category: String?
        var quantity: Int
        var unitPrice: Fen
        var subsidyAmount: Fen
    }

    struct Review: Codable, Sendable {
        var reviewer: String
        var decision: ClaimReviewDecision
        var comment: String?
        var reviewedAt: Date
    }

    var id: String
    var programmeID: String
    var regionCode: String
    var status: ClaimStatus
    var buyerIDNumberMasked: String
    var buyerPhoneMasked: String?
    var bankAccountMasked: String
    var sellerCreditCode: String
    var invoiceCode: String?
    var invoiceNumber: String
    var purchasedOn: CalendarDate
    var lines: [Line]
    var purchaseAmount: Fen
    var requestedAmount: Fen
    var reservedAmount: Fen
    var rejectionReasons: [ClaimRejectionReason]
    var holdRules: [ClaimHoldRule]
    var reviewsRequired: Int
    var reviews: [Review]
    var submitterRole: String
    var submittedAt: Date
    var decidedAt: Date?
    var paymentDueOn: CalendarDate?
    var paidAt: Date?
    var clawedBackAt: Date?
    var clawbackReason: String?

    static let columns = """
        id, programme_id, region_code, status, id_number_masked, phone_masked, bank_account_masked, seller_credit_code,
        invoice_code, invoice_number, purchased_on::text AS purchased_on, purchase_amount, requested_amount,
        reserved_amount, rejection_reasons, hold_rules, reviews_required, submitted_by, submitter_role, submitted_at,
        decided_at, payment_due_on::text AS payment_due_on, paid_at, clawed_back_at, clawback_reason
        """

    /// Who may see a claim: the buyer who submitted it, the seller, officials of its region, ministry officials.
    static func visible(region: String, seller: String, submittedBy: String, submitterRole: String,
                        to principal: Principal) -> Bool {
        switch principal.role {
        case .ministry: true
        case .regionOfficial: DivisionCode(rawValue: region).map(principal.mayAct(in:)) ?? false
        case .enterprise: principal.enterpriseCode?.rawValue == seller
        case .consumer: submitterRole == "consumer" && submittedBy == principal.subject
        case .certificationBody, .certificationCommittee, .marketRegulator, .promotionGroup: false
        }
    }

    /// Claims with their lines and reviews, in the order of `rows`.
    static func load(_ rows: [PostgresRow], on connection: PostgresConnection) async throws -> [ClaimView] {
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode("id", as: UUID.self) }
        let lineRows = try await connection.query("""
            SELECT claim_id, certificate_number, local_list_entry_id, category, quantity, unit_price, subsidy_amount
            FROM claim_line WHERE claim_id = ANY(\(ids)) ORDER BY claim_id, line_no
            """)
        var lines: [UUID: [Line]] = [:]
        for row in lineRows.rows {
            lines[try row.decode("claim_id", as: UUID.self), default: []].append(Line(
                certificateNumber: try row.decode("certificate_number", as: String?.self),
                localListEntryID: try row.decode("local_list_entry_id", as: UUID?.self)?.lowercasedText,
                category: try row.decode("category", as: String?.self),
                quantity: try row.decode("quantity", as: Int.self),
                unitPrice: Fen(try row.decode("unit_price", as: Int64.self)),
                subsidyAmount: Fen(try row.decode("subsidy_amount", as: Int64.self))))
        }
        let reviewRows = try await connection.query("""
            SELECT claim_id, reviewer, decision, comment, reviewed_at FROM claim_review WHERE claim_id = ANY(\(ids))
            ORDER BY reviewed_at
            """)
        var reviews: [UUID: [Review]] = [:]
        for row in reviewRows.rows {
            reviews[try row.decode("claim_id", as: UUID.self), default: []].append(Review(
                reviewer: try row.decode("reviewer", as: String.self),
                decision: try row.enumeration("decision", as: ClaimReviewDecision.self),
                comment: try row.decode("comment", as: String?.self),
                reviewedAt: try row.decode("reviewed_at", as: Date.self)))
        }
        return try rows.map { row in
            let id = try row.decode("id", as: UUID.self)
            return ClaimView(
                id: id.lowercasedText,
                programmeID: try row.decode("programme_id", as: UUID.self).lowercasedText,
                regionCode: try row.decode("region_code", as: String.self),
                status: try row.enumeration("status", as: ClaimStatus.self),
                buyerIDNumberMasked: try row.decode("id_number_masked", as: String.self),
                buyerPhoneMasked: try row.decode("phone_masked", as: String?.self),
                bankAccountMasked: try row.decode("bank_account_masked", as: String.self),
                sellerCreditCode: try row.decode("seller_credit_code", as: String.self),
                invoiceCode: try row.decode("invoice_code", as: String?.self),
                invoiceNumber: try row.decode("invoice_number", as: String.self),
                purchasedOn: try row.calendarDate("purchased_on"),
                lines: lines[id] ?? [],
                purchaseAmount: Fen(try row.decode("purchase_amount", as: Int64.self)),
                requestedAmount: Fen(try row.decode("requested_amount", as: Int64.self)),
                reservedAmount: Fen(try row.decode("reserved_amount", as: Int64.self)),
                rejectionReasons: try row.decode("rejection_reasons", as: [String].self).compactMap(ClaimRejectionReason.init(rawValue:)),
                holdRules: try row.decode("hold_rules", as: [String].self).compactMap(ClaimHoldRule.init(rawValue:)),
                reviewsRequired: try row.decode("reviews_required", as: Int.self),
                reviews: reviews[id] ?? [],
                submitterRole: try row.decode("submitter_role", as: String.self),
                submittedAt: try row.decode("submitted_at", as: Date.self),
                decidedAt: try row.decode("decided_at", as: Date?.self),
                paymentDueOn: try row.decode("payment_due_on", as: String?.self).flatMap(CalendarDate.init),
                paidAt: try row.decode("paid_at", as: Date?.self),
                clawedBackAt: try row.decode("clawed_back_at", as: Date?.self),
                clawbackReason: try row.decode("clawback_reason", as: String?.self))
        }
    }
}
