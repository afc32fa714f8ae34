import Contracts
import Foundation
import Postgres

/// Decides whether a purchase claim is eligible, from the service's own read models (no synchronous call to any
/// other service), and what each line earns. Every failing reason is collected, not only the first:
///
/// - the programme is open (or exhausted, which fails later for the budget) and the purchase date is in its period;
/// - each certificate is known, of an eligible category and grade, and valid on the purchase date (issued, not
///   expired, not suspended or revoked that day); on the region's local list that day when the programme requires it;
/// - each uncertified product is on the region's local list that day, and the programme pays for local-list products;
/// - no unit price is above the programme's ceiling;
/// - the seller was enrolled in the region on the purchase date;
/// - the household stays within the programme's count and amount caps per category.
///
/// The invoice and the budget are checked last, by the claim desk, since they take something (the invoice, the
/// money) that a rejected claim must not keep.
struct Eligibility: Sendable {
    let programme: Programme
    let terms: PurchaseSubsidyTerms

    struct PricedLine: Sendable {
        var line: ClaimSubmission.Line
        var category: ProductCategory?
        var subsidy: Fen
    }

    struct Decision: Sendable {
        var lines: [PricedLine]
        var reasons: Set<ClaimRejectionReason>
        var requested: Fen { lines.map(\.subsidy).sum() }
    }

    func decide(_ claim: ClaimSubmission, householdRef: String, on connection: PostgresConnection) async throws -> Decision {
        var reasons: Set<ClaimRejectionReason> = []
        if programme.status != .open && programme.status != .exhausted { reasons.insert(.programmeNotOpen) }
        if !programme.covers(claim.purchasedOn) { reasons.insert(.outsideProgrammePeriod) }
        let day = claim.purchasedOn.description
        let region = programme.terms.regionCode.rawValue

        let certificates = try await CatalogueReadModel.certificates(
            Array(Set(claim.lines.compactMap(\.certificateNumber?.rawValue))), on: claim.purchasedOn, listedIn: region,
            connection: connection)
        let entryIDs = Array(Set(claim.lines.compactMap(\.localListEntryID)))
        var entries: [UUID: (category: ProductCategory?, certificate: String?, listed: Bool)] = [:]
        if !entryIDs.isEmpty {
            let rows = try await connection.query("""
                SELECT entry_id, category, certificate_number,
                    (added_on <= \(day)::date AND (removed_on IS NULL OR removed_on > \(day)::date)) AS listed
                FROM local_list_entry WHERE entry_id = ANY(\(entryIDs)) AND region_code = \(region)
                """)
            for row in rows.rows {
                entries[try row.decode("entry_id", as: UUID.self)] = (
                    ProductCategory(rawValue: try row.decode("category", as: String.self)),
                    try row.decode("certificate_number", as: String?.self), try row.decode("listed", as: Bool.self))
            }
        }

        var priced: [PricedLine] = []
        for line in claim.lines {
            var category: ProductCategory?
            var rate: Int?
            if let number = line.certificateNumber {
                if let certificate = certificates[number.rawValue] {
                    category = certificate.category
                    if !certificate.valid { reasons.insert(.certificateNotValid) }
                    if let grade = certificate.grade, let gradeRate = terms.rate(for: grade) {
                        rate = gradeRate
                    } else {
                        reasons.insert(.gradeNotEligible)
                    }
                    if let entryID = line.localListEntryID {
                        let entry = entries[entryID]
                        if entry == nil || entry?.certificate != number.rawValue || entry?.listed != true {
                            reasons.insert(.productNotListed)
                        }
                    } else if terms.requiresLocalList, !certificate.listed {
                        reasons.insert(.productNotListed)
                    }
                } else {
                    reasons.insert(.unknownCertificate)
                }
            } else if let entryID = line.localListEntryID {
                if let entry = entries[entryID], entry.listed {
                    category = entry.category
                    if let localRate = terms.localListRateBasisPoints { rate = localRate } else { reasons.insert(.gradeNotEligible) }
                } else {
                    reasons.insert(.productNotListed)
                }
            }
            if let category, !terms.eligibleCategories.contains(category) { reasons.insert(.categoryNotEligible) }
            var subsidy = Fen.zero
            if let rate {
                if let perUnit = terms.subsidy(unitPrice: line.unitPrice, rateBasisPoints: rate, rounding: programme.terms.rounding) {
                    subsidy = perUnit * Int64(line.quantity)
                } else {
                    reasons.insert(.priceAboveCeiling)
                }
            }
            priced.append(PricedLine(line: line, category: category, subsidy: subsidy))
        }

        let enrolled = try await connection.query("""
            SELECT 1 FROM seller_enrolment WHERE credit_code = \(claim.seller.rawValue) AND region_code = \(region)
              AND enrolled_on <= \(day)::date AND (withdrawn_on IS NULL OR withdrawn_on > \(day)::date) LIMIT 1
            """)
        if enrolled.isEmpty { reasons.insert(.sellerNotEnrolled) }

        reasons.formUnion(try await householdCaps(priced, householdRef: householdRef, on: connection))
        return Decision(lines: priced, reasons: reasons)
    }

    /// The household's caps per category, counting its approved, held and paid claims in this programme.
    private func householdCaps(_ lines: [PricedLine], householdRef: String,
                               on connection: PostgresConnection) async throws -> Set<ClaimRejectionReason> {
        var claimed: [ProductCategory: (count: Int, amount: Fen)] = [:]
        for line in lines {
            guard let category = line.category else { continue }
            let current = claimed[category] ?? (0, .zero)
            claimed[category] = (current.count + line.line.quantity, current.amount + line.subsidy)
        }
        guard !claimed.isEmpty else { return [] }
        let rows = try await connection.query("""
            SELECT l.category, sum(l.quantity)::bigint AS items, sum(l.subsidy_amount)::bigint AS amount
            FROM claim c JOIN claim_line l ON l.claim_id = c.id
            WHERE c.programme_id = \(programme.id) AND c.household_ref = \(householdRef)
              AND c.status IN ('approved', 'held', 'paid')
            GROUP BY l.category
            """)
        for row in rows.rows {
            guard let category = ProductCategory(rawValue: try row.decode("category", as: String?.self) ?? ""),
                  let current = claimed[category] else { continue }
            claimed[category] = (current.count + Int(try row.decode("items", as: Int64.self)),
                                 current.amount + Fen(try row.decode("amount", as: Int64.self)))
        }
        var reasons: Set<ClaimRejectionReason> = []
        for (_, total) in claimed {
            if total.count > terms.householdCapCount { reasons.insert(.householdCountCap) }
            if total.amount > terms.householdCapAmount { reasons.insert(.householdAmountCap) }
        }
        return reasons
    }
}
