import Foundation
import Postgres

/// A region with its pilot status, batch and how far its campaign has got.
struct RegionSummary: Codable, Sendable {
    struct Counts: Codable, Sendable {
        var activitiesScheduled: Int
        var activitiesHeld: Int
        var activitiesCancelled: Int
        var participantsEnrolled: Int
    }

    var code: String
    var name: String
    var level: String
    var batchYear: Int?
    var status: String
    var approvedOn: String?
    var launchMeetingHeldOn: String?
    var summaryReportSubmittedOn: String?
    var counts: Counts

    /// Regions matching the filters, by code.
    static func list(
        status: String?, batchYear: Int?, code: String? = nil, campaignYear: Int, on pool: PostgresPool
    ) async throws -> [RegionSummary] {
        let query: PostgresQuery = """
            SELECT r.code, r.name, r.level, r.batch_year, r.status, r.approved_on::text AS approved_on,
                   r.summary_report_submitted_on::text AS report_on,
                   (SELECT starts_on::text FROM activity a WHERE a.region_code = r.code AND a.kind = 'launch-meeting'
                      AND a.campaign_year = \(campaignYear)) AS launch_on,
                   (SELECT count(*) FROM activity a WHERE a.region_code = r.code AND a.kind <> 'launch-meeting'
                      AND a.status = 'scheduled') AS scheduled,
                   (SELECT count(*) FROM activity a WHERE a.region_code = r.code AND a.status = 'held') AS held,
                   (SELECT count(*) FROM activity a WHERE a.region_code = r.code AND a.status = 'cancelled') AS cancelled,
                   (SELECT count(*) FROM participant p WHERE p.region_code = r.code AND p.status = 'enrolled') AS participants
            FROM region r
            WHERE (\(status)::text IS NULL OR r.status = \(status))
              AND (\(batchYear)::int IS NULL OR r.batch_year = \(batchYear))
              AND (\(code)::text IS NULL OR r.code = \(code))
            ORDER BY r.code
            """
        let rows = try await pool.query(query.plannedWithValues)
        return try rows.rows.map { row in
            RegionSummary(
                code: try row.decode("code", as: String.self), name: try row.decode("name", as: String.self),
                level: try row.decode("level", as: String.self), batchYear: try row.decode("batch_year", as: Int?.self),
                status: try row.decode("status", as: String.self),
                approvedOn: try row.decode("approved_on", as: String?.self),
                launchMeetingHeldOn: try row.decode("launch_on", as: String?.self),
                summaryReportSubmittedOn: try row.decode("report_on", as: String?.self),
                counts: Counts(
                    activitiesScheduled: try row.decode("scheduled", as: Int.self),
                    activitiesHeld: try row.decode("held", as: Int.self),
                    activitiesCancelled: try row.decode("cancelled", as: Int.self),
                    participantsEnrolled: try row.decode("participants", as: Int.self)))
        }
    }
}
