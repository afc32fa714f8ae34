import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// A stored programme: its terms, status and who drafted and approved it.
struct Programme: Sendable {
    var id: UUID
    var status: ProgrammeStatus
    var terms: ProgrammeTerms
    var createdBy: String
    var approvedBy: String?
    var createdAt: Date
    var approvedAt: Date?
    var openedAt: Date?
    var closedAt: Date?
    var closeReason: String?

    var ledger: BudgetLedger { BudgetLedger(programmeID: id) }

    static let columns = """
        id, region_code, name, kind, status, starts_on::text AS starts_on, ends_on::text AS ends_on, budget, rounding,
        review_threshold, funding_shares::text AS funding_shares, terms::text AS terms, created_by, created_at,
        approved_by, approved_at, opened_at, closed_at, close_reason
        """

    /// The programme `id`, locked for update when `lock` is set.
    static func load(_ id: UUID, lock: Bool = false, on connection: PostgresConnection) async throws -> Programme? {
        let rows = try await connection.query("""
            SELECT \(unescaped: columns) FROM programme WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")
            """)
        return try rows.first.map(Programme.init(row:))
    }

    init(row: PostgresRow) throws {
        id = try row.decode("id", as: UUID.self)
        status = try row.enumeration("status", as: ProgrammeStatus.self)
        let kind = try row.enumeration("kind", as: SubsidyKind.self)
        let termsText = Array(try row.decode("terms", as: String.self).utf8)
        terms = ProgrammeTerms(
            regionCode: try row.identifier("region_code", as: DivisionCode.self),
            name: try row.decode("name", as: String.self),
            kind: kind,
            startsOn: try row.calendarDate("starts_on"),
            endsOn: try row.calendarDate("ends_on"),
            budget: Fen(try row.decode("budget", as: Int64.self)),
            fundingShares: try ContractJSON.decode(
                [FundingShare].self, from: Array(try row.decode("funding_shares", as: String.self).utf8)),
            rounding: try row.enumeration("rounding", as: RoundingRule.self),
            reviewThreshold: Fen(try row.decode("review_threshold", as: Int64.self)),
            purchaseTerms: kind == .purchase ? try ContractJSON.decode(PurchaseSubsidyTerms.self, from: termsText) : nil,
            loanTerms: kind == .loanInterest ? try ContractJSON.decode(LoanInterestTerms.self, from: termsText) : nil)
        createdBy = try row.decode("created_by", as: String.self)
        approvedBy = try row.decode("approved_by", as: String?.self)
        createdAt = try row.decode("created_at", as: Date.self)
        approvedAt = try row.decode("approved_at", as: Date?.self)
        openedAt = try row.decode("opened_at", as: Date?.self)
        closedAt = try row.decode("closed_at", as: Date?.self)
        closeReason = try row.decode("close_reason", as: String?.self)
    }

    /// Whether claims are taken on `day`: open (or exhausted, which rejects for the budget) and within the period.
    func covers(_ day: CalendarDate) -> Bool { terms.startsOn <= day && day <= terms.endsOn }
}

/// A programme as the API returns it, with its money.
struct ProgrammeView: ResponseEncodable, Sendable {
    var id: String
    var regionCode: String
    var name: String
    var kind: SubsidyKind
    var status: ProgrammeStatus
    var startsOn: CalendarDate
    var endsOn: CalendarDate
    var budget: Fen
    var fundingShares: [FundingShare]
    var rounding: RoundingRule
    var reviewThreshold: Fen
    var purchaseTerms: PurchaseSubsidyTerms?
    var loanTerms: LoanInterestTerms?
    var usage: BudgetLedger.Usage
    var createdAt: Date
    var approvedAt: Date?
    var openedAt: Date?
    var closedAt: Date?
    var closeReason: String?

    init(_ programme: Programme, usage: BudgetLedger.Usage) {
        let terms = programme.terms
        id = programme.id.uuidString.lowercased()
        regionCode = terms.regionCode.rawValue
        name = terms.name
        kind = terms.kind
        status = programme.status
        startsOn = terms.startsOn
        endsOn = terms.endsOn
        budget = terms.budget
        fundingShares = terms.fundingShares
        rounding = terms.rounding
        reviewThreshold = terms.reviewThreshold
        purchaseTerms = terms.purchaseTerms
        loanTerms = terms.loanTerms
        self.usage = usage
        createdAt = programme.createdAt
        approvedAt = programme.approvedAt
        openedAt = programme.openedAt
        closedAt = programme.closedAt
        closeReason = programme.closeReason
    }
}
