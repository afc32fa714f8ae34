import Contracts
import Foundation
import Postgres
import ServiceKit

/// A claim list's filters; the caller's own scope is added to them.
struct ClaimFilter: Sendable {
    var programmeID: UUID?
    var region: DivisionCode?
    var seller: UnifiedSocialCreditCode?
    var status: ClaimStatus?
    var limit: Int = 100
    /// Claims submitted before this one (the previous page's last id).
    var before: UUID?
}

extension ClaimDesk {
    /// One claim, if `principal` may see it (nil: an internal read); otherwise `claim-not-found`, so a caller
    /// cannot learn which ids exist.
    func view(_ id: UUID, as principal: Principal?) async throws -> ClaimView {
        try await context.pool.withConnection { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: ClaimView.columns) FROM claim WHERE id = \(id)
                """)
            guard let row = rows.first else { throw SubsidyError.claimNotFound(id.lowercasedText) }
            if let principal {
                guard ClaimView.visible(
                    region: try row.decode("region_code", as: String.self),
                    seller: try row.decode("seller_credit_code", as: String.self),
                    submittedBy: try row.decode("submitted_by", as: String.self),
                    submitterRole: try row.decode("submitter_role", as: String.self), to: principal)
                else { throw SubsidyError.claimNotFound(id.lowercasedText) }
            }
            return try await ClaimView.load([row], on: connection)[0]
        }
    }

    /// Claims newest first, within what `principal` may see: a buyer its own, a seller its sales, a regional
    /// official its region (and the divisions under it), a ministry official everything.
    func list(_ filter: ClaimFilter, as principal: Principal) async throws -> [ClaimView] {
        var submitter: String?
        var seller = filter.seller?.rawValue
        var regionPrefix = filter.region.map(Self.prefix)
        switch principal.role {
        case .ministry:
            break
        case .regionOfficial:
            guard let own = principal.regionCode else { return [] }
            if let region = filter.region {
                guard principal.mayAct(in: region) else {
                    throw Problem.forbidden("A regional official of \(own.rawValue) may not read claims of \(region.rawValue).",
                                            code: "region-not-allowed")
                }
            } else {
                regionPrefix = Self.prefix(own)
            }
        case .enterprise:
            guard let own = principal.enterpriseCode else { return [] }
            if let seller, seller != own.rawValue { return [] }
            seller = own.rawValue
        case .consumer:
            submitter = principal.subject
        case .certificationBody, .certificationCommittee, .marketRegulator, .promotionGroup:
            throw Problem.forbidden("The role \(principal.role.rawValue) does not read subsidy claims.", code: "role-not-allowed")
        }
        return try await context.pool.withConnection { connection in
            var cursor: (Date, UUID)?
            if let before = filter.before {
                let rows = try await connection.query("SELECT submitted_at FROM claim WHERE id = \(before)")
                guard let row = rows.first else {
                    throw Problem.validation(field: "before", reason: "names no claim")
                }
                cursor = (try row.decode("submitted_at", as: Date.self), before)
            }
            let rows = try await connection.query("""
                SELECT \(unescaped: ClaimView.columns) FROM claim
                WHERE (\(filter.programmeID)::uuid IS NULL OR programme_id = \(filter.programmeID))
                  AND (\(regionPrefix)::text IS NULL OR region_code LIKE \(regionPrefix) || '%')
                  AND (\(seller)::text IS NULL OR seller_credit_code = \(seller))
                  AND (\(filter.status?.rawValue)::text IS NULL OR status = \(filter.status?.rawValue))
                  AND (\(submitter)::text IS NULL OR (submitted_by = \(submitter) AND submitter_role = 'consumer'))
                  AND (\(cursor?.0)::timestamptz IS NULL OR (submitted_at, id) < (\(cursor?.0), \(cursor?.1)))
                ORDER BY submitted_at DESC, id DESC LIMIT \(filter.limit)
                """)
            return try await ClaimView.load(rows.rows, on: connection)
        }
    }

    /// The start every code inside `region` has: `33` for a province, `3301` for a city, the code for a county.
    static func prefix(_ region: DivisionCode) -> String {
        switch region.level {
        case .province: String(region.rawValue.prefix(2))
        case .city: String(region.rawValue.prefix(4))
        default: region.rawValue
        }
    }
}
