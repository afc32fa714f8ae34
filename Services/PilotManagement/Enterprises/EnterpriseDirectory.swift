import Contracts
import Foundation
import Messaging
import Postgres

/// The service's own copy of the catalogue's enterprises, built from `gbm.catalogue.enterprises.v1`, so that an
/// enrolment can check its credit code without calling the catalogue.
enum EnterpriseDirectory {
    /// Handlers that keep `known_enterprise` up to date; an older event never overwrites a newer state.
    static var handlers: [EventHandler] {
        [
            EventHandler.on(EnterpriseRegistered.self) { payload, _, connection in
                try await upsert(
                    creditCode: payload.creditCode, name: payload.name, kind: payload.kind,
                    regionCode: payload.regionCode, isChainLeader: payload.isChainLeader,
                    industrialCluster: payload.industrialCluster, at: payload.registeredAt, on: connection)
            },
            EventHandler.on(EnterpriseUpdated.self) { payload, _, connection in
                try await upsert(
                    creditCode: payload.creditCode, name: payload.name, kind: payload.kind,
                    regionCode: payload.regionCode, isChainLeader: payload.isChainLeader,
                    industrialCluster: payload.industrialCluster, at: payload.updatedAt, on: connection)
            },
        ]
    }

    static func upsert(
        creditCode: UnifiedSocialCreditCode, name: String, kind: EnterpriseKind, regionCode: DivisionCode,
        isChainLeader: Bool, industrialCluster: String?, at time: Date, on connection: PostgresConnection
    ) async throws {
        try await connection.query("""
            INSERT INTO known_enterprise (credit_code, name, kind, region_code, is_chain_leader, industrial_cluster, updated_at)
            VALUES (\(creditCode.rawValue), \(name), \(kind.rawValue), \(regionCode.rawValue), \(isChainLeader),
                \(industrialCluster), \(time))
            ON CONFLICT (credit_code) DO UPDATE
            SET name = EXCLUDED.name, kind = EXCLUDED.kind, region_code = EXCLUDED.region_code,
                is_chain_leader = EXCLUDED.is_chain_leader, industrial_cluster = EXCLUDED.industrial_cluster,
                updated_at = EXCLUDED.updated_at
            WHERE known_enterprise.updated_at <= EXCLUDED.updated_at
            """)
    }

    /// What the directory knows of one enterprise: its name, kind, chain leadership and cluster.
    struct Entry: Sendable {
        var name: String
        var kind: EnterpriseKind
        var isChainLeader: Bool
        var industrialCluster: String?
    }

    /// The enterprise with `creditCode`, if the catalogue has registered it.
    static func entry(_ creditCode: UnifiedSocialCreditCode, on connection: PostgresConnection) async throws -> Entry? {
        let rows = try await connection.query("""
            SELECT name, kind, is_chain_leader, industrial_cluster FROM known_enterprise
            WHERE credit_code = \(creditCode.rawValue)
            """)
        guard let row = rows.first else { return nil }
        return Entry(
            name: try row.decode("name", as: String.self),
            kind: EnterpriseKind(rawValue: try row.decode("kind", as: String.self)) ?? .manufacturer,
            isChainLeader: try row.decode("is_chain_leader", as: Bool.self),
            industrialCluster: try row.decode("industrial_cluster", as: String?.self))
    }
}
