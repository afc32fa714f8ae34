import Contracts
import Messaging
import Postgres

/// The catalogue's copy of which pilot regions are approved, built from `gbm.pilot.regions.v1`: only an
/// approved region may hold a local list.
enum ApprovedRegions {
    static let handler = EventHandler.on(RegionApproved.self) { approval, _, connection in
        try await record(approval, on: connection)
    }

    static func record(_ approval: RegionApproved, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO approved_regions (region_code, region_name, batch_year, approved_on, approved_at)
            VALUES (\(approval.regionCode.rawValue), \(approval.regionName), \(approval.batchYear),
                \(approval.approvedOn.description)::date, \(approval.approvedAt))
            ON CONFLICT (region_code) DO UPDATE SET region_name = EXCLUDED.region_name,
                batch_year = EXCLUDED.batch_year, approved_on = EXCLUDED.approved_on, approved_at = EXCLUDED.approved_at
            """)
    }

    /// Throws unless `region` is an approved pilot region; locks its row so list changes are ordered per region.
    static func requireApproved(_ region: DivisionCode, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            "SELECT 1 FROM approved_regions WHERE region_code = \(region.rawValue) FOR SHARE")
        guard !rows.isEmpty else { throw CatalogueError.regionNotApproved(region.rawValue) }
    }
}
