import Contracts
import Foundation
import Messaging
import Postgres
import ServiceHost
import ServiceKit

/// The regions known to the campaign, approved pilot regions or applicants, with their batch, their campaign's
/// progress and the summary report each approved region owes by 30 November.
struct RegionRegistry: Sendable {
    let context: PilotContext

    /// Regions matching the filters (`status`, `batchYear`, one `code`), by code.
    func summaries(status: String?, batchYear: Int?, code: String? = nil) async throws -> [RegionSummary] {
        let campaignYear = context.settings.campaignYear
        let query: PostgresQuery = """
            SELECT r.code, r.name, r.level, r.batch_year, r.status, r.approved_on::text AS approved_on,
                   r.summary_report_submitted_on::text AS report_on, r.complaint_channels_published_at,
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
        let rows = try await context.pool.query(query.plannedWithValues)
        return try rows.rows.map { row in
            let status = try row.decode("status", as: String.self)
            let launchOn = try row.decode("launch_on", as: String?.self)
            let channelsAt = try row.decode("complaint_channels_published_at", as: Date?.self)
            let counts = RegionSummary.Counts(
                activitiesScheduled: try row.decode("scheduled", as: Int.self),
                activitiesHeld: try row.decode("held", as: Int.self),
                activitiesCancelled: try row.decode("cancelled", as: Int.self),
                participantsEnrolled: try row.decode("participants", as: Int.self))
            return RegionSummary(
                code: try row.decode("code", as: String.self), name: try row.decode("name", as: String.self),
                level: try row.decode("level", as: String.self), batchYear: try row.decode("batch_year", as: Int?.self),
                status: status, approvedOn: try row.decode("approved_on", as: String?.self), launchMeetingHeldOn: launchOn,
                summaryReportSubmittedOn: try row.decode("report_on", as: String?.self),
                complaintChannelsPublishedAt: channelsAt, counts: counts,
                readiness: RegionSummary.Readiness(
                    status: status, launchMeetingHeldOn: launchOn, participantsEnrolled: counts.participantsEnrolled,
                    complaintChannelsPublishedAt: channelsAt))
        }
    }

    /// One region, or `region-not-found`.
    func summary(of region: DivisionCode) async throws -> RegionSummary {
        guard let summary = try await summaries(status: nil, batchYear: nil, code: region.rawValue).first else {
            throw PilotError.regionNotFound(region.rawValue)
        }
        return summary
    }

    /// `reporting` owns the summary reports: when it publishes a region's submission for the campaign year this
    /// service counts deadlines for, the region's deadline notices stop. The first submission's day is kept; a
    /// report for another year, or for a region that is not approved here, changes nothing.
    var summaryReportSubmitted: EventHandler {
        let year = context.settings.campaignYear
        return .on(SummaryReportSubmitted.self) { submitted, _, connection in
            guard submitted.campaignYear == year else { return }
            try await connection.query("""
                UPDATE region SET summary_report_submitted_on = \(WorkingDayCalendar.day(of: submitted.submittedAt).description)::date
                WHERE code = \(submitted.regionCode.rawValue) AND status = 'approved' AND summary_report_submitted_on IS NULL
                """)
        }
    }

    /// `complaints` owns the complaint channels: when it announces a region's channels, the region's campaign
    /// readiness counts them. The latest announcement's time is kept (a redelivered older one changes nothing).
    var complaintChannelsPublished: EventHandler {
        .on(ComplaintChannelsPublished.self) { published, _, connection in
            try await connection.query("""
                UPDATE region SET complaint_channels_published_at = \(published.publishedAt)
                WHERE code = \(published.regionCode.rawValue)
                  AND (complaint_channels_published_at IS NULL OR complaint_channels_published_at < \(published.publishedAt))
                """)
        }
    }

    /// Throws `region-not-approved` unless `region` is an approved pilot region: only those hold activities and
    /// enrol participants.
    static func requireApproved(_ region: DivisionCode, on connection: PostgresConnection) async throws {
        let rows = try await connection.query("SELECT status FROM region WHERE code = \(region.rawValue)")
        guard try rows.first?.decode("status", as: String.self) == "approved" else {
            throw PilotError.regionNotApproved(region.rawValue)
        }
    }

    /// Publishes `region.approved` for every approved region whose approval was never announced (the 2022 batch a
    /// migration inserted), once: the catalogue, subsidy and any later consumer learn every pilot region from the
    /// topic. Runs at every start; replicas starting together announce each region once (row locks).
    /// Records the batches the campaign years name that the database does not have yet (a new year's batch and its
    /// cap come from its notice, `seeds/campaign/<year>.json`); a batch already recorded keeps its row.
    func recordCampaignBatches() async throws {
        for batch in context.settings.batches {
            try await context.pool.query("""
                INSERT INTO batch (year, name, region_cap) VALUES (\(batch.year), \(batch.name), \(batch.regionCap))
                ON CONFLICT (year) DO NOTHING
                """)
        }
    }

    func announcePendingApprovals() async throws {
        try await context.pool.transaction { connection in
            let rows = try await connection.query("""
                SELECT code, name, batch_year, approved_on::text AS approved_on FROM region
                WHERE status = 'approved' AND approval_announced_at IS NULL
                ORDER BY code FOR UPDATE SKIP LOCKED
                """)
            guard !rows.isEmpty else { return }
            let now = context.clock.now()
            var events: [CloudEvent] = []
            for row in rows.rows {
                let code = try row.identifier("code", as: DivisionCode.self)
                events.append(try CloudEvent(
                    source: context.outbox.source.eventSource,
                    payload: RegionApproved(
                        regionCode: code, regionName: try row.decode("name", as: String.self), applicationID: nil,
                        batchYear: try row.decode("batch_year", as: Int.self),
                        concurringDepartments: GuidingDepartment.allCases, approvedOn: try row.calendarDate("approved_on"),
                        approvedAt: now),
                    time: now))
                try await connection.query("UPDATE region SET approval_announced_at = \(now) WHERE code = \(code)")
            }
            try await context.outbox.append(events, on: connection)
            context.logger.info("announced pilot region approvals", metadata: ["region.count": "\(events.count)"])
        }
    }
}
