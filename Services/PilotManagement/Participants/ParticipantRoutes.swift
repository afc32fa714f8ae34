import Contracts
import Foundation
import Hummingbird
import Messaging
import Postgres
import ServiceHost
import ServiceKit

/// Enterprises, e-commerce platforms and stores enrolled in a pilot region, with their sales zone and pledged
/// discount; chain leaders and industrial clusters per region.
struct ParticipantRoutes: Sendable {
    let service: ServiceContext
    let settings: PilotSettings

    struct EnrolmentRequest: Decodable, Sendable {
        var creditCode: String
        var salesZone: String?
        var pledgedDiscountBasisPoints: Int
        var isChainLeader: Bool?
        var industrialCluster: String?
    }

    struct WithdrawalRequest: Decodable, Sendable {
        var reason: String
    }

    struct ParticipantList: Encodable, Sendable {
        var participants: [ParticipantView]
    }

    struct IndustrialChain: Encodable, Sendable {
        struct Cluster: Encodable, Sendable {
            var name: String
            var participants: [String]
        }

        var regionCode: String
        var chainLeaders: [ParticipantView]
        var clusters: [Cluster]
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("/regions/:code/participants") { request, context in try await enrol(request, context) }
        router.get("/regions/:code/participants") { request, context in
            let region = try regionCode(context)
            try context.requireRegion(region.rawValue)
            let status = request.uri.queryParameters.get("status")
            return JSONReply(ParticipantList(participants: try await participants(of: region, status: status)))
        }
        router.get("/regions/:code/industrial-chain") { _, context in
            let region = try regionCode(context)
            try context.requireRegion(region.rawValue)
            let enrolled = try await participants(of: region, status: "enrolled")
            var clusters: [String: [String]] = [:]
            for participant in enrolled {
                if let cluster = participant.industrialCluster { clusters[cluster, default: []].append(participant.creditCode) }
            }
            return JSONReply(IndustrialChain(
                regionCode: region.rawValue, chainLeaders: enrolled.filter(\.isChainLeader),
                clusters: clusters.keys.sorted().map { IndustrialChain.Cluster(name: $0, participants: clusters[$0]!.sorted()) }))
        }
        router.post("/participants/:id/withdrawal") { request, context in try await withdraw(request, context) }
    }

    /// Enrols a catalogue enterprise in an approved region; its name, kind and (unless the request says) chain
    /// leadership and cluster come from the catalogue's events.
    func enrol(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ParticipantView> {
        let region = try regionCode(context)
        try context.requireRegion(region.rawValue)
        let body = try await request.decode(as: EnrolmentRequest.self, context: context)
        var validator = Validator()
        let creditCode = validator.creditCode(body.creditCode, field: "creditCode")
        validator.require((0...10_000).contains(body.pledgedDiscountBasisPoints), field: "pledgedDiscountBasisPoints",
                          "must be 0 to 10000 basis points")
        if let zone = body.salesZone { validator.text(zone, field: "salesZone", maxLength: 300) }
        if let cluster = body.industrialCluster { validator.text(cluster, field: "industrialCluster", maxLength: 200) }
        try validator.validate()
        guard let creditCode else { throw Problem.validation(validator.errors) }
        let now = settings.clock.now()
        let id = UUID()
        try await service.pool.transaction { connection in
            let regionRows = try await connection.query("SELECT status FROM region WHERE code = \(region.rawValue)")
            guard try regionRows.first?.decode("status", as: String.self) == "approved" else {
                throw Problem.regionNotApproved(region.rawValue)
            }
            let known = try await connection.query("""
                SELECT name, kind, is_chain_leader, industrial_cluster FROM known_enterprise
                WHERE credit_code = \(creditCode.rawValue)
                """)
            guard let enterprise = known.first else { throw Problem.unknownEnterprise(creditCode.rawValue) }
            let name = try enterprise.decode("name", as: String.self)
            let kind = EnterpriseKind(rawValue: try enterprise.decode("kind", as: String.self)) ?? .manufacturer
            let isChainLeader = try body.isChainLeader ?? enterprise.decode("is_chain_leader", as: Bool.self)
            let cluster = try body.industrialCluster ?? enterprise.decode("industrial_cluster", as: String?.self)
            let enrolled = try await connection.query("""
                SELECT 1 FROM participant WHERE region_code = \(region.rawValue)
                  AND credit_code = \(creditCode.rawValue) AND status = 'enrolled'
                """)
            if !enrolled.isEmpty { throw Problem.alreadyEnrolled(creditCode.rawValue) }
            try await connection.insert("""
                INSERT INTO participant (id, region_code, credit_code, kind, sales_zone, pledged_discount_basis_points,
                    is_chain_leader, industrial_cluster, status, enrolled_at)
                VALUES (\(id), \(region.rawValue), \(creditCode.rawValue), \(kind.rawValue), \(body.salesZone),
                    \(body.pledgedDiscountBasisPoints), \(isChainLeader), \(cluster), 'enrolled', \(now))
                """, orFailWith: Problem.alreadyEnrolled(creditCode.rawValue))
            try await service.outbox.append(ParticipantEnrolled(
                participantID: id.uuidString.lowercased(), regionCode: region, creditCode: creditCode, name: name,
                kind: kind, salesZone: body.salesZone, pledgedDiscountBasisPoints: body.pledgedDiscountBasisPoints,
                isChainLeader: isChainLeader, industrialCluster: cluster, enrolledAt: now), on: connection, time: now)
        }
        return JSONReply(try await load(id), status: .created)
    }

    func withdraw(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ParticipantView> {
        let id = try RequestValue.uuid(try context.parameters.require("id"), notFound: Problem.participantNotFound)
        try context.require(role: .ministry, .regionOfficial)
        let body = try await request.decode(as: WithdrawalRequest.self, context: context)
        var validator = Validator()
        validator.text(body.reason, field: "reason", maxLength: 500)
        try validator.validate()
        let now = settings.clock.now()
        try await service.pool.transaction { connection in
            guard let current = try await ParticipantView.load(id, on: connection, lock: true) else {
                throw Problem.participantNotFound(id.uuidString)
            }
            let principal = try context.requireRegion(current.regionCode)
            guard current.status == "enrolled" else { throw Problem.participantState(current.status) }
            try await connection.query("""
                UPDATE participant SET status = 'withdrawn', withdrawal_reason = \(body.reason), withdrawn_at = \(now)
                WHERE id = \(id)
                """)
            try await service.outbox.append(ParticipantWithdrawn(
                participantID: id.uuidString.lowercased(), regionCode: try DivisionCode(validating: current.regionCode),
                creditCode: try UnifiedSocialCreditCode(validating: current.creditCode), reason: body.reason,
                actorRole: principal.actorRole, withdrawnAt: now), on: connection, time: now)
        }
        return JSONReply(try await load(id))
    }

    private func participants(of region: DivisionCode, status: String?) async throws -> [ParticipantView] {
        let query: PostgresQuery = """
            SELECT \(unescaped: ParticipantView.columns) FROM participant p
            JOIN known_enterprise e ON e.credit_code = p.credit_code
            WHERE p.region_code = \(region.rawValue) AND (\(status)::text IS NULL OR p.status = \(status))
            ORDER BY p.enrolled_at, p.id
            """
        let rows = try await service.pool.query(query.plannedWithValues)
        return try rows.rows.map(ParticipantView.init(row:))
    }

    private func regionCode(_ context: AppRequestContext) throws -> DivisionCode {
        var validator = Validator()
        let code = validator.divisionCode(try context.parameters.require("code"), field: "regionCode")
        try validator.validate()
        return code!
    }

    private func load(_ id: UUID) async throws -> ParticipantView {
        let view = try await service.pool.withConnection { try await ParticipantView.load(id, on: $0) }
        guard let view else { throw Problem.participantNotFound(id.uuidString) }
        return view
    }
}
