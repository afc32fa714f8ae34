import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// A region's campaign year: the launch meeting (启动会) that opens it, then activities at city, county, town and
/// village level, each rescheduled, held or cancelled while scheduled; and the calendar that lists them. Each change
/// runs in one transaction with its event.
struct ActivityPlanner: Sendable {
    let context: PilotContext

    /// A launch meeting as recorded after it was held.
    struct LaunchMeeting: Sendable {
        var heldOn: CalendarDate
        var place: DivisionCode
        var title: String?
        var attendance: Int
    }

    /// An activity to schedule, its fields already checked.
    struct Plan: Sendable {
        var kind: ActivityType
        var mode: ActivityMode
        var level: DivisionCode.Level
        var place: DivisionCode
        var title: String
        var startsOn: CalendarDate
        var endsOn: CalendarDate
        var safetyPlanReference: String?
    }

    // MARK: - Launch meeting and scheduling

    /// Records the region's launch meeting, held once per campaign year before any other activity.
    func holdLaunchMeeting(_ meeting: LaunchMeeting, in region: DivisionCode) async throws -> ActivityView {
        let now = context.clock.now()
        let id = UUID()
        let year = context.settings.campaignYear
        try await context.pool.transaction { connection in
            try await RegionRegistry.requireApproved(region, on: connection)
            let existing = try await connection.query("""
                SELECT 1 FROM activity WHERE region_code = \(region.rawValue) AND campaign_year = \(year)
                  AND kind = 'launch-meeting'
                """)
            if !existing.isEmpty { throw PilotError.launchMeetingAlreadyHeld(region.rawValue) }
            try await connection.insert("""
                INSERT INTO activity (id, region_code, campaign_year, kind, mode, level, place_code, title, starts_on,
                    ends_on, status, attendance, enterprises_present, products_shown, sales_fen, online_page_views)
                VALUES (\(id), \(region.rawValue), \(year), 'launch-meeting', 'offline', \(meeting.place.level.rawValue),
                    \(meeting.place.rawValue), \(meeting.title ?? "绿色建材下乡活动启动会"), \(meeting.heldOn.description)::date,
                    \(meeting.heldOn.description)::date, 'held', \(meeting.attendance), 0, 0, 0, 0)
                """, orFailWith: .launchMeetingAlreadyHeld(region.rawValue))
            try await context.outbox.append(RegionLaunchMeetingHeld(
                regionCode: region, activityID: id.uuidString.lowercased(), campaignYear: year, heldOn: meeting.heldOn,
                placeCode: meeting.place, attendance: meeting.attendance, recordedAt: now), on: connection, time: now)
        }
        return try await activity(id)
    }

    /// Schedules an activity in an approved region that has held its launch meeting on or before its first day.
    func schedule(_ plan: Plan, in region: DivisionCode, by actor: ActorRole) async throws -> ActivityView {
        let now = context.clock.now()
        let id = UUID()
        let view = try await context.pool.transaction { connection in
            try await requireApprovedAndLaunched(region, before: plan.startsOn, on: connection)
            // Inserted and read back as the reply in one round trip.
            let inserted = try await connection.query("""
                WITH a AS (
                    INSERT INTO activity (id, region_code, campaign_year, kind, mode, level, place_code, title, starts_on,
                        ends_on, safety_plan_reference, status)
                    VALUES (\(id), \(region.rawValue), \(context.settings.campaignYear), \(plan.kind.rawValue),
                        \(plan.mode.rawValue), \(plan.level.rawValue), \(plan.place.rawValue), \(plan.title),
                        \(plan.startsOn.description)::date, \(plan.endsOn.description)::date,
                        \(plan.safetyPlanReference), 'scheduled')
                    RETURNING *)
                SELECT \(unescaped: ActivityView.columns) FROM a JOIN region r ON r.code = a.region_code
                """)
            try await context.outbox.append(ActivityScheduled(
                activityID: id.uuidString.lowercased(), regionCode: region, type: plan.kind, mode: plan.mode,
                level: plan.level, placeCode: plan.place, title: plan.title, startsOn: plan.startsOn,
                endsOn: plan.endsOn, safetyPlanReference: plan.safetyPlanReference, actorRole: actor, scheduledAt: now),
                on: connection, time: now)
            return try inserted.first.map(ActivityView.init(row:))
        }
        guard let view else { throw PilotError.activityNotFound(id.uuidString) }
        return view
    }

    // MARK: - Changes to a scheduled activity

    /// Moves a scheduled activity (not the launch meeting) to new dates, still on or after the launch meeting.
    func reschedule(
        _ id: UUID, startsOn: CalendarDate, endsOn: CalendarDate, reason: String, access: RegionAccess
    ) async throws -> ActivityView {
        let now = context.clock.now()
        try await context.pool.transaction { connection in
            let (current, principal) = try await locked(id, access: access, on: connection)
            guard current.status == "scheduled", current.type != PilotActivityKind.launchMeeting.rawValue else {
                throw PilotError.activityState(current.status, action: "rescheduled")
            }
            let region = try DivisionCode(validating: current.regionCode)
            try await requireLaunchMeeting(region, before: startsOn, on: connection)
            try await connection.query("""
                UPDATE activity SET starts_on = \(startsOn.description)::date, ends_on = \(endsOn.description)::date,
                    updated_at = now()
                WHERE id = \(id)
                """)
            try await context.outbox.append(ActivityRescheduled(
                activityID: id.uuidString.lowercased(), regionCode: region,
                previousStartsOn: CalendarDate(current.startsOn)!, previousEndsOn: CalendarDate(current.endsOn)!,
                startsOn: startsOn, endsOn: endsOn, reason: reason, actorRole: principal.actorRole,
                rescheduledAt: now), on: connection, time: now)
        }
        return try await activity(id)
    }

    /// Records that a scheduled activity was held, with its outcome; not before its first day.
    func recordOutcome(_ outcome: ActivityView.Outcome, of id: UUID, access: RegionAccess) async throws -> ActivityView {
        let now = context.clock.now()
        try await context.pool.transaction { connection in
            let (current, principal) = try await locked(id, access: access, on: connection)
            guard current.status == "scheduled" else { throw PilotError.activityState(current.status, action: "held") }
            let startsOn = CalendarDate(current.startsOn)!
            guard startsOn <= context.settings.today else { throw PilotError.activityNotStarted(startsOn: startsOn) }
            try await connection.query("""
                UPDATE activity SET status = 'held', attendance = \(outcome.attendance),
                    enterprises_present = \(outcome.enterprisesPresent), products_shown = \(outcome.productsShown),
                    sales_fen = \(outcome.sales), online_page_views = \(outcome.onlinePageViews), updated_at = now()
                WHERE id = \(id)
                """)
            try await context.outbox.append(ActivityHeld(
                activityID: id.uuidString.lowercased(), regionCode: try DivisionCode(validating: current.regionCode),
                type: ActivityType(rawValue: current.type)!, level: DivisionCode.Level(rawValue: current.level)!,
                placeCode: try DivisionCode(validating: current.placeCode), startsOn: startsOn,
                endsOn: CalendarDate(current.endsOn)!, attendance: outcome.attendance,
                enterprisesPresent: outcome.enterprisesPresent, productsShown: outcome.productsShown,
                sales: Fen(outcome.sales), onlinePageViews: outcome.onlinePageViews, actorRole: principal.actorRole,
                recordedAt: now), on: connection, time: now)
        }
        return try await activity(id)
    }

    /// Cancels a scheduled activity with a reason.
    func cancel(_ id: UUID, reason: String, access: RegionAccess) async throws -> ActivityView {
        let now = context.clock.now()
        try await context.pool.transaction { connection in
            let (current, principal) = try await locked(id, access: access, on: connection)
            guard current.status == "scheduled" else { throw PilotError.activityState(current.status, action: "cancelled") }
            try await connection.query("""
                UPDATE activity SET status = 'cancelled', cancellation_reason = \(reason), updated_at = now()
                WHERE id = \(id)
                """)
            try await context.outbox.append(ActivityCancelled(
                activityID: id.uuidString.lowercased(), regionCode: try DivisionCode(validating: current.regionCode),
                reason: reason, actorRole: principal.actorRole, cancelledAt: now), on: connection, time: now)
        }
        return try await activity(id)
    }

    // MARK: - Reading

    /// One activity, or `activity-not-found`.
    func activity(_ id: UUID) async throws -> ActivityView {
        let view = try await context.pool.withConnection { try await load(id, on: $0) }
        guard let view else { throw PilotError.activityNotFound(id.uuidString) }
        return view
    }

    /// The activities matching `filter`, by start date then region.
    func activities(matching filter: ActivityFilter) async throws -> [ActivityView] {
        let fromText = filter.from?.description
        let toText = filter.to?.description
        // Optional filters: only a plan made with the values drops the absent ones and uses the indexes.
        let query: PostgresQuery = """
            SELECT \(unescaped: ActivityView.columns) FROM activity a JOIN region r ON r.code = a.region_code
            WHERE (\(filter.regionCode)::text IS NULL OR a.region_code = \(filter.regionCode))
              AND (\(filter.level)::text IS NULL OR a.level = \(filter.level))
              AND (\(filter.type)::text IS NULL OR a.kind = \(filter.type))
              AND (\(filter.status)::text IS NULL OR a.status = \(filter.status))
              AND daterange(a.starts_on, a.ends_on, '[]') && daterange(\(fromText)::date, \(toText)::date, '[]')
              AND (NOT \(filter.approvedRegionsOnly) OR r.status = 'approved')
            ORDER BY a.starts_on, a.region_code, a.id
            LIMIT \(filter.limit)
            """
        let rows = try await context.pool.query(query.plannedWithValues)
        return try rows.rows.map(ActivityView.init(row:))
    }

    // MARK: - Rules read from the database

    /// The region must be approved and have held its launch meeting on or before `startsOn`, in one round trip.
    /// No lock is needed: an approved region stays approved and its launch meeting is never moved.
    private func requireApprovedAndLaunched(
        _ region: DivisionCode, before startsOn: CalendarDate, on connection: PostgresConnection
    ) async throws {
        let rows = try await connection.query("""
            SELECT r.status,
                   (SELECT a.starts_on::text FROM activity a WHERE a.region_code = r.code
                      AND a.campaign_year = \(context.settings.campaignYear) AND a.kind = 'launch-meeting') AS held_on
            FROM region r WHERE r.code = \(region.rawValue)
            """)
        guard let row = rows.first, try row.decode("status", as: String.self) == "approved" else {
            throw PilotError.regionNotApproved(region.rawValue)
        }
        guard let heldOn = try row.decode("held_on", as: String?.self).flatMap(CalendarDate.init) else {
            throw PilotError.launchMeetingRequired(region.rawValue, heldOn: nil)
        }
        guard heldOn <= startsOn else { throw PilotError.launchMeetingRequired(region.rawValue, heldOn: heldOn) }
    }

    private func requireLaunchMeeting(
        _ region: DivisionCode, before startsOn: CalendarDate, on connection: PostgresConnection
    ) async throws {
        let rows = try await connection.query("""
            SELECT starts_on::text AS held_on FROM activity
            WHERE region_code = \(region.rawValue) AND campaign_year = \(context.settings.campaignYear)
              AND kind = 'launch-meeting'
            """)
        guard let heldOn = try rows.first.flatMap({ CalendarDate(try $0.decode("held_on", as: String.self)) }) else {
            throw PilotError.launchMeetingRequired(region.rawValue, heldOn: nil)
        }
        guard heldOn <= startsOn else { throw PilotError.launchMeetingRequired(region.rawValue, heldOn: heldOn) }
    }

    // MARK: - Storage

    /// Locks the activity for a change by someone `access` lets act in its region; returns it and the caller.
    private func locked(
        _ id: UUID, access: RegionAccess, on connection: PostgresConnection
    ) async throws -> (ActivityView, Principal) {
        guard let current = try await load(id, on: connection, lock: true) else {
            throw PilotError.activityNotFound(id.uuidString)
        }
        return (current, try access(current.regionCode))
    }

    /// Loads one activity, optionally locking its row.
    private func load(_ id: UUID, on connection: PostgresConnection, lock: Bool = false) async throws -> ActivityView? {
        let rows = try await connection.query("""
            SELECT \(unescaped: ActivityView.columns) FROM activity a JOIN region r ON r.code = a.region_code
            WHERE a.id = \(id) \(unescaped: lock ? "FOR UPDATE OF a" : "")
            """)
        return try rows.first.map(ActivityView.init(row:))
    }
}
