import Contracts
import Foundation
import Postgres

/// The thresholds of the fraud and anomaly rules; deployments tune them.
public struct FraudThresholds: Sendable, Hashable {
    /// The claim that makes this many claims by one buyer in a programme is held (`repeat-buyer`).
    public var claimsPerBuyer: Int = 4
    /// A seller's claims today above `spikeFactor` × its daily average over the previous 28 days, and above
    /// `spikeFloor`, are held (`seller-volume-spike`).
    public var spikeFactor: Int = 5
    public var spikeFloor: Int = 50
    /// A bank account receiving subsidies for this many distinct buyers in a programme is held (`shared-bank-account`).
    public var buyersPerBankAccount: Int = 3
    /// A unit price above `priceFactorPercent` % of the seller's average for the product, once it has
    /// `priceHistory` earlier lines of it, is held (`price-anomaly`).
    public var priceFactorPercent: Int = 150
    public var priceHistory: Int = 5

    public init() {}
}

/// The named rules that hold an otherwise eligible claim for review. Each reads only this service's own tables.
struct FraudRules: Sendable {
    let thresholds: FraudThresholds

    struct Subject: Sendable {
        var programme: Programme
        var consumerRef: String
        var bankAccountRef: String
        var seller: UnifiedSocialCreditCode
        var today: CalendarDate
        var lines: [ClaimSubmission.Line]
        var requested: Fen
    }

    /// Every rule that holds the claim (empty: approve it).
    func holds(_ claim: Subject, on connection: PostgresConnection) async throws -> [ClaimHoldRule] {
        var rules: [ClaimHoldRule] = []
        let programmeID = claim.programme.id
        let counts = try await connection.query("""
            SELECT
                (SELECT count(*) FROM claim WHERE programme_id = \(programmeID) AND consumer_ref = \(claim.consumerRef)
                   AND status <> 'rejected')::bigint AS buyer_claims,
                (SELECT count(DISTINCT consumer_ref) FROM claim WHERE programme_id = \(programmeID)
                   AND bank_account_ref = \(claim.bankAccountRef) AND consumer_ref <> \(claim.consumerRef)
                   AND status <> 'rejected')::bigint AS other_buyers,
                (SELECT coalesce(sum(claims), 0) FROM seller_day WHERE seller_credit_code = \(claim.seller.rawValue)
                   AND day = \(claim.today.description)::date)::bigint AS today,
                (SELECT coalesce(sum(claims), 0) FROM seller_day WHERE seller_credit_code = \(claim.seller.rawValue)
                   AND day >= \(claim.today.adding(days: -28).description)::date
                   AND day < \(claim.today.description)::date)::bigint AS previous
            """)
        let row = counts.first!
        if try row.decode("buyer_claims", as: Int64.self) + 1 >= thresholds.claimsPerBuyer { rules.append(.repeatBuyer) }
        if try row.decode("other_buyers", as: Int64.self) + 1 >= thresholds.buyersPerBankAccount { rules.append(.sharedBankAccount) }
        let today = try row.decode("today", as: Int64.self) + 1
        let dailyAverage = Double(try row.decode("previous", as: Int64.self)) / 28
        if today > Int64(thresholds.spikeFloor), Double(today) > dailyAverage * Double(thresholds.spikeFactor) {
            rules.append(.sellerVolumeSpike)
        }
        if try await priceAnomaly(claim, on: connection) { rules.append(.priceAnomaly) }
        if claim.requested > claim.programme.terms.reviewThreshold { rules.append(.amountAboveThreshold) }
        return rules
    }

    private func priceAnomaly(_ claim: Subject, on connection: PostgresConnection) async throws -> Bool {
        let numbers = Array(Set(claim.lines.compactMap(\.certificateNumber?.rawValue)))
        guard !numbers.isEmpty else { return false }
        let rows = try await connection.query("""
            SELECT certificate_number, avg(unit_price)::float8 AS average, count(*)::bigint AS lines
            FROM claim_line WHERE seller_credit_code = \(claim.seller.rawValue) AND certificate_number = ANY(\(numbers))
            GROUP BY certificate_number
            """)
        var usual: [String: Double] = [:]
        for row in rows.rows where try row.decode("lines", as: Int64.self) >= Int64(thresholds.priceHistory) {
            usual[try row.decode("certificate_number", as: String.self)] = try row.decode("average", as: Double.self)
        }
        return claim.lines.contains { line in
            guard let number = line.certificateNumber, let average = usual[number.rawValue] else { return false }
            return Double(line.unitPrice.rawValue) * 100 > average * Double(thresholds.priceFactorPercent)
        }
    }
}
