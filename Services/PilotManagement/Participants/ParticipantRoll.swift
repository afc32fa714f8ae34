import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// The enterprises, e-commerce platforms and stores enrolled in each pilot region, with their sales zone and
/// pledged discount; an enterprise is enrolled in a region at most once at a time. Each change runs in one
/// transaction with its event.
struct ParticipantRoll: Sendable {
    let context: PilotContext

    /// An enrolment as requested, its fields already checked.
    struct Enrolment: Sendable {
        var creditCode: UnifiedSocialCreditCode
        var salesZone: String?
        var pledgedDiscountBasisPoints: Int
        /// Overrides the catalogue's word on chain leadership, when given.
        var isChainLeader: Bool?
        /// Overrides the catalogue's industrial cluster, when given.
        var industrialCluster: String?
    }

    /// Enrols a catalogue enterprise in an approved region; its name, kind and (unless the enrolment says) chain
    /// leadership and cluster come from the ``EnterpriseDirectory``.
    func enrol(_ enrolment: Enrolment, in region: DivisionCode) async throws -> ParticipantView {
        let now = context.clock.now()
        let id = UUID()
        let creditCode = enrolment.creditCode
        try await context.pool.transaction { connection in
            try await RegionRegistry.requireApproved(region, on: connection)
            guard let enterprise = try await EnterpriseDirectory.entry(creditCode, on: connection) else {
                throw PilotError.unknownEnterprise(creditCode.rawValue)
            }
            let isChainLeader = enrolment.isChainLeader ?? enterprise.isChainLeader
            let cluster = enrolment.industrialCluster ?? enterprise.industrialCluster
            let enrolled = try await connection.query("""
                SELECT 1 FROM participant WHERE region_code = \(region.rawValue)
                  AND credit_code = \(creditCode.rawValue) AND status = 'enrolled'
                """)
            if !enrolled.isEmpty { throw PilotError.alreadyEnrolled(creditCode.rawValue) }
            try await connection.insert("""
                INSERT INTO participant (id, region_code, credit_code, kind, sales_zone, pledged_discount_basis_points,
                    is_chain_leader, industrial_cluster, status, enrolled_at)
                VALUES (\(id), \(region.rawValue), \(creditCode.rawValue), \(enterprise.kind.rawValue),
                    \(enrolment.salesZone), \(enrolment.pledgedDiscountBasisPoints), \(isChainLeader), \(cluster),
                    'enrolled', \(now))
                """, orFailWith: .alreadyEnrolled(creditCode.rawValue))
            try await context.outbox.append(ParticipantEnrolled(
                participantID: id.uuidString.lowercased(), regionCode: region, creditCode: creditCode,
                name: enterprise.name, kind: enterprise.kind, salesZone: enrolment.salesZone,
                pledgedDiscountBasisPoints: enrolment.pledgedDiscountBasisPoints, isChainLeader: isChainLeader,
                industrialCluster: cluster, enrolledAt: now), on: connection, time: now)
        }
        return try await participant(id)
    }

    /// Withdraws an enrolled participant with a reason, if `access` lets the caller act in its region.
    func withdraw(_ id: UUID, reason: String, access: RegionAccess) async throws -> ParticipantView {
        let now = context.clock.now()
        try await context.pool.transaction { connection in
            guard let current = try await load(id, on: connection, lock: true) else {
                throw PilotError.participantNotFound(id.uuidString)
            }
            let principal = try access(current.regionCode)
            guard current.status == "enrolled" else { throw PilotError.participantState(current.status) }
            try await connection.query("""
                UPDATE participant SET status = 'withdrawn', withdrawal_reason = \(reason), withdrawn_at = \(now)
                WHERE id = \(id)
                """)
            try await context.outbox.append(ParticipantWithdrawn(
                participantID: id.uuidString.lowercased(), regionCode: try DivisionCode(validating: current.regionCode),
                creditCode: try UnifiedSocialCreditCode(validating: current.creditCode), reason: reason,
                actorRole: principal.actorRole, withdrawnAt: now), on: connection, time: now)
        }
        return try await participant(id)
    }

    /// One participant, or `participant-not-found`.
    func participant(_ id: UUID) async throws -> ParticipantView {
        let view = try await context.pool.withConnection { try await load(id, on: $0) }
        guard let view else { throw PilotError.participantNotFound(id.uuidString) }
        return view
    }

    /// The region's participants in the order they enrolled, only those with `status` when given.
    func participants(of region: DivisionCode, status: String?) async throws -> [ParticipantView] {
        let query: PostgresQuery = """
            SELECT \(unescaped: ParticipantView.columns) FROM participant p
            JOIN known_enterprise e ON e.credit_code = p.credit_code
            WHERE p.region_code = \(region.rawValue) AND (\(status)::text IS NULL OR p.status = \(status))
            ORDER BY p.enrolled_at, p.id
            """
        let rows = try await context.pool.query(query.plannedWithValues)
        return try rows.rows.map(ParticipantView.init(row:))
    }

    /// The region's chain leaders and industrial clusters, among its enrolled participants.
    func industrialChain(of region: DivisionCode) async throws -> IndustrialChain {
        IndustrialChain(regionCode: region.rawValue, enrolled: try await participants(of: region, status: "enrolled"))
    }

    private func load(_ id: UUID, on connection: PostgresConnection, lock: Bool = false) async throws -> ParticipantView? {
        let rows = try await connection.query("""
            SELECT \(unescaped: ParticipantView.columns) FROM participant p JOIN known_enterprise e ON e.credit_code = p.credit_code
            WHERE p.id = \(id) \(unescaped: lock ? "FOR UPDATE OF p" : "")
            """)
        return try rows.first.map(ParticipantView.init(row:))
    }
}
