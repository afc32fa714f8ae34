import Contracts
import Foundation
import Hummingbird
import Messaging
import Postgres
import ServiceHost
import ServiceKit

/// A region's campaign: its launch meeting, then activities at city, county, town and village level, each
/// rescheduled, held or cancelled; and the calendar that lists them.
struct ActivityRoutes: Sendable {
    let service: ServiceContext
    let settings: PilotSettings

    struct LaunchMeetingRequest: Decodable, Sendable {
        var heldOn: String
        var placeCode: String
        var title: String?
        var attendance: Int
    }

    struct ScheduleRequest: Decodable, Sendable {
        var type: String
        var mode: String?
        var level: String
        var placeCode: String
        var title: String
        var startsOn: String
        var endsOn: String
        var safetyPlanReference: String?
    }

    struct RescheduleRequest: Decodable, Sendable {
        var startsOn: String
        var endsOn: String
        var reason: String
    }

    struct CancellationRequest: Decodable, Sendable {
        var reason: String
    }

    struct ActivityList: Encodable, Sendable {
        var activities: [ActivityView]
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("/regions/:code/launch-meeting") { request, context in try await holdLaunchMeeting(request, context) }
        router.post("/regions/:code/activities") { request, context in try await schedule(request, context) }
        router.get("/activities") { request, context in
            let principal = try context.require(role: .ministry, .regionOfficial)
            var filter = try ActivityFilter(query: request.uri.queryParameters)
            if principal.role == .regionOfficial {
                filter.regionCode = filter.regionCode ?? principal.regionCode
                try context.requireRegion(filter.regionCode ?? "")
            }
            return JSONReply(ActivityList(activities: try await filter.activities(on: service.pool)))
        }
        router.get("/activities/:id") { _, context in
            try context.require(role: .ministry, .regionOfficial)
            let id = try RequestValue.uuid(try context.parameters.require("id"), notFound: Problem.activityNotFound)
            let activity = try await service.pool.withConnection { try await ActivityView.load(id, on: $0) }
            guard let activity else { throw Problem.activityNotFound(id.uuidString) }
            try context.requireRegion(activity.regionCode)
            return JSONReply(activity)
        }
        router.put("/activities/:id/schedule") { request, context in try await reschedule(request, context) }
        router.post("/activities/:id/outcome") { request, context in try await recordOutcome(request, context) }
        router.post("/activities/:id/cancellation") { request, context in try await cancel(request, context) }
    }

    // MARK: - Launch meeting and scheduling

    /// Records the region's launch meeting (启动会), held once per campaign year before any other activity.
    func holdLaunchMeeting(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ActivityView> {
        let region = try regionCode(context)
        try context.requireRegion(region.rawValue)
        let body = try await request.decode(as: LaunchMeetingRequest.self, context: context)
        var validator = Validator()
        let heldOn = validator.calendarDate(body.heldOn, field: "heldOn")
        if let heldOn { validateInCampaign(heldOn, field: "heldOn", into: &validator) }
        if let heldOn {
            validator.require(heldOn <= settings.today, field: "heldOn", "must not be in the future")
        }
        let place = validator.divisionCode(body.placeCode, field: "placeCode")
        if let place { validator.require(region.contains(place), field: "placeCode", "must lie inside region \(region)") }
        validator.require(body.attendance >= 0, field: "attendance", "must not be negative")
        if let title = body.title { validator.text(title, field: "title", maxLength: 200) }
        try validator.validate()
        guard let heldOn, let place else { throw Problem.validation(field: "heldOn", reason: "is required") }
        let now = settings.clock.now()
        let id = UUID()
        let year = settings.campaignYear
        try await service.pool.transaction { connection in
            try await requireApproved(region, on: connection)
            let existing = try await connection.query("""
                SELECT 1 FROM activity WHERE region_code = \(region.rawValue) AND campaign_year = \(year)
                  AND kind = 'launch-meeting'
                """)
            if !existing.isEmpty { throw Problem.launchMeetingAlreadyHeld(region.rawValue) }
            try await connection.insert("""
                INSERT INTO activity (id, region_code, campaign_year, kind, mode, level, place_code, title, starts_on,
                    ends_on, status, attendance, enterprises_present, products_shown, sales_fen, online_page_views)
                VALUES (\(id), \(region.rawValue), \(year), 'launch-meeting', 'offline', \(place.level.rawValue),
                    \(place.rawValue), \(body.title ?? "绿色建材下乡活动启动会"), \(heldOn.description)::date,
                    \(heldOn.description)::date, 'held', \(body.attendance), 0, 0, 0, 0)
                """, orFailWith: Problem.launchMeetingAlreadyHeld(region.rawValue))
            try await service.outbox.append(RegionLaunchMeetingHeld(
                regionCode: region, activityID: id.uuidString.lowercased(), campaignYear: year, heldOn: heldOn,
                placeCode: place, attendance: body.attendance, recordedAt: now), on: connection, time: now)
        }
        return JSONReply(try await load(id), status: .created)
    }

    /// Schedules an activity in an approved region that has held its launch meeting.
    func schedule(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ActivityView> {
        let region = try regionCode(context)
        let principal = try context.requireRegion(region.rawValue)
        let body = try await request.decode(as: ScheduleRequest.self, context: context)
        var validator = Validator()
        let kind = validator.oneOf(body.type, as: ActivityType.self, field: "type")
        let mode: ActivityMode? = body.mode.map { validator.oneOf($0, as: ActivityMode.self, field: "mode") }
            ?? (kind == .onlineCampaign ? .online : .offline)
        if kind == .onlineCampaign, mode == .offline {
            validator.add(field: "mode", reason: "an online campaign is online")
        }
        let level = validator.oneOf(body.level, as: DivisionCode.Level.self, field: "level")
        if let level, level == .province {
            validator.add(field: "level", reason: "must be city, county, town or village")
        }
        let place = validator.divisionCode(body.placeCode, field: "placeCode")
        if let place {
            validator.require(region.contains(place), field: "placeCode", "must lie inside region \(region)")
            if let level { validator.require(place.level == level, field: "placeCode", "must be a \(level.rawValue) code") }
        }
        validator.text(body.title, field: "title", maxLength: 200)
        let (startsOn, endsOn) = validateDates(body.startsOn, body.endsOn, into: &validator)
        if mode == .offline {
            let reference = body.safetyPlanReference?.trimmingCharacters(in: .whitespaces) ?? ""
            validator.require(!reference.isEmpty, field: "safetyPlanReference", "is required for an offline activity")
        }
        if let reference = body.safetyPlanReference {
            validator.require(reference.count <= 100, field: "safetyPlanReference", "must be at most 100 characters")
        }
        try validator.validate()
        guard let kind, let mode, let level, let place, let startsOn, let endsOn else {
            throw Problem.validation(validator.errors)
        }
        let now = settings.clock.now()
        let id = UUID()
        let view = try await service.pool.transaction { connection in
            try await requireApprovedAndLaunched(region, before: startsOn, on: connection)
            // Inserted and read back as the reply in one round trip.
            let inserted = try await connection.query("""
                WITH a AS (
                    INSERT INTO activity (id, region_code, campaign_year, kind, mode, level, place_code, title, starts_on,
                        ends_on, safety_plan_reference, status)
                    VALUES (\(id), \(region.rawValue), \(settings.campaignYear), \(kind.rawValue), \(mode.rawValue),
                        \(level.rawValue), \(place.rawValue), \(body.title), \(startsOn.description)::date,
                        \(endsOn.description)::date, \(body.safetyPlanReference), 'scheduled')
                    RETURNING *)
                SELECT \(unescaped: ActivityView.columns) FROM a JOIN region r ON r.code = a.region_code
                """)
            try await service.outbox.append(ActivityScheduled(
                activityID: id.uuidString.lowercased(), regionCode: region, type: kind, mode: mode, level: level,
                placeCode: place, title: body.title, startsOn: startsOn, endsOn: endsOn,
                safetyPlanReference: body.safetyPlanReference, actorRole: principal.actorRole, scheduledAt: now),
                on: connection, time: now)
            return try inserted.first.map(ActivityView.init(row:))
        }
        guard let view else { throw Problem.activityNotFound(id.uuidString) }
        return JSONReply(view, status: .created)
    }

    // MARK: - Changes to a scheduled activity

    func reschedule(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ActivityView> {
        let id = try RequestValue.uuid(try context.parameters.require("id"), notFound: Problem.activityNotFound)
        try context.require(role: .ministry, .regionOfficial)
        let body = try await request.decode(as: RescheduleRequest.self, context: context)
        var validator = Validator()
        let (startsOn, endsOn) = validateDates(body.startsOn, body.endsOn, into: &validator)
        validator.text(body.reason, field: "reason", maxLength: 500)
        try validator.validate()
        guard let startsOn, let endsOn else { throw Problem.validation(validator.errors) }
        let now = settings.clock.now()
        try await service.pool.transaction { connection in
            let (current, principal) = try await lockedForRegion(id, context, on: connection)
            guard current.status == "scheduled", current.type != PilotActivityKind.launchMeeting.rawValue else {
                throw Problem.activityState(current.status, action: "rescheduled")
            }
            let region = try DivisionCode(validating: current.regionCode)
            try await requireLaunchMeeting(region, before: startsOn, on: connection)
            try await connection.query("""
                UPDATE activity SET starts_on = \(startsOn.description)::date, ends_on = \(endsOn.description)::date,
                    updated_at = now()
                WHERE id = \(id)
                """)
            try await service.outbox.append(ActivityRescheduled(
                activityID: id.uuidString.lowercased(), regionCode: region,
                previousStartsOn: CalendarDate(current.startsOn)!, previousEndsOn: CalendarDate(current.endsOn)!,
                startsOn: startsOn, endsOn: endsOn, reason: body.reason, actorRole: principal.actorRole,
                rescheduledAt: now), on: connection, time: now)
        }
        return JSONReply(try await load(id))
    }

    /// Records that a scheduled activity was held, with its outcome; not before its first day.
    func recordOutcome(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ActivityView> {
        let id = try RequestValue.uuid(try context.parameters.require("id"), notFound: Problem.activityNotFound)
        try context.require(role: .ministry, .regionOfficial)
        let outcome = try await request.decode(as: ActivityView.Outcome.self, context: context)
        var validator = Validator()
        validator.require(outcome.attendance >= 0, field: "attendance", "must not be negative")
        validator.require(outcome.enterprisesPresent >= 0, field: "enterprisesPresent", "must not be negative")
        validator.require(outcome.productsShown >= 0, field: "productsShown", "must not be negative")
        validator.require(outcome.sales >= 0, field: "sales", "must be a non-negative amount in fen")
        validator.require(outcome.onlinePageViews >= 0, field: "onlinePageViews", "must not be negative")
        try validator.validate()
        let now = settings.clock.now()
        try await service.pool.transaction { connection in
            let (current, principal) = try await lockedForRegion(id, context, on: connection)
            guard current.status == "scheduled" else { throw Problem.activityState(current.status, action: "held") }
            let startsOn = CalendarDate(current.startsOn)!
            guard startsOn <= settings.today else {
                throw Problem(
                    status: .conflict, code: "activity-not-started", title: "Conflict",
                    detail: "The activity starts on \(startsOn); its outcome can be recorded from then.")
            }
            try await connection.query("""
                UPDATE activity SET status = 'held', attendance = \(outcome.attendance),
                    enterprises_present = \(outcome.enterprisesPresent), products_shown = \(outcome.productsShown),
                    sales_fen = \(outcome.sales), online_page_views = \(outcome.onlinePageViews), updated_at = now()
                WHERE id = \(id)
                """)
            try await service.outbox.append(ActivityHeld(
                activityID: id.uuidString.lowercased(), regionCode: try DivisionCode(validating: current.regionCode),
                type: ActivityType(rawValue: current.type)!, level: DivisionCode.Level(rawValue: current.level)!,
                placeCode: try DivisionCode(validating: current.placeCode), startsOn: startsOn,
                endsOn: CalendarDate(current.endsOn)!, attendance: outcome.attendance,
                enterprisesPresent: outcome.enterprisesPresent, productsShown: outcome.productsShown,
                sales: Fen(outcome.sales), onlinePageViews: outcome.onlinePageViews, actorRole: principal.actorRole,
                recordedAt: now), on: connection, time: now)
        }
        return JSONReply(try await load(id))
    }

    func cancel(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ActivityView> {
        let id = try RequestValue.uuid(try context.parameters.require("id"), notFound: Problem.activityNotFound)
        try context.require(role: .ministry, .regionOfficial)
        let body = try await request.decode(as: CancellationRequest.self, context: context)
        var validator = Validator()
        validator.text(body.reason, field: "reason", maxLength: 500)
        try validator.validate()
        let now = settings.clock.now()
        try await service.pool.transaction { connection in
            let (current, principal) = try await lockedForRegion(id, context, on: connection)
            guard current.status == "scheduled" else { throw Problem.activityState(current.status, action: "cancelled") }
            try await connection.query("""
                UPDATE activity SET status = 'cancelled', cancellation_reason = \(body.reason), updated_at = now()
                WHERE id = \(id)
                """)
            try await service.outbox.append(ActivityCancelled(
                activityID: id.uuidString.lowercased(), regionCode: try DivisionCode(validating: current.regionCode),
                reason: body.reason, actorRole: principal.actorRole, cancelledAt: now), on: connection, time: now)
        }
        return JSONReply(try await load(id))
    }

    // MARK: - Helpers

    private func regionCode(_ context: AppRequestContext) throws -> DivisionCode {
        let text = try context.parameters.require("code")
        var validator = Validator()
        let code = validator.divisionCode(text, field: "regionCode")
        try validator.validate()
        return code!
    }

    private func validateInCampaign(_ date: CalendarDate, field: String, into validator: inout Validator) {
        validator.require(
            date >= settings.campaignStart && date <= settings.campaignEnd, field: field,
            "must be inside the campaign period \(settings.campaignStart) … \(settings.campaignEnd)")
    }

    private func validateDates(
        _ starts: String, _ ends: String, into validator: inout Validator
    ) -> (CalendarDate?, CalendarDate?) {
        let startsOn = validator.calendarDate(starts, field: "startsOn")
        let endsOn = validator.calendarDate(ends, field: "endsOn")
        if let startsOn { validateInCampaign(startsOn, field: "startsOn", into: &validator) }
        if let endsOn { validateInCampaign(endsOn, field: "endsOn", into: &validator) }
        if let startsOn, let endsOn { validator.require(startsOn <= endsOn, field: "endsOn", "must not be before startsOn") }
        return (startsOn, endsOn)
    }

    /// The region must be approved and have held its launch meeting on or before `startsOn`, in one round trip.
    /// No lock is needed: an approved region stays approved and its launch meeting is never moved.
    private func requireApprovedAndLaunched(
        _ region: DivisionCode, before startsOn: CalendarDate, on connection: PostgresConnection
    ) async throws {
        let rows = try await connection.query("""
            SELECT r.status,
                   (SELECT a.starts_on::text FROM activity a WHERE a.region_code = r.code
                      AND a.campaign_year = \(settings.campaignYear) AND a.kind = 'launch-meeting') AS held_on
            FROM region r WHERE r.code = \(region.rawValue)
            """)
        guard let row = rows.first, try row.decode("status", as: String.self) == "approved" else {
            throw Problem.regionNotApproved(region.rawValue)
        }
        guard let heldOn = try row.decode("held_on", as: String?.self).flatMap(CalendarDate.init) else {
            throw Problem.launchMeetingRequired(region.rawValue, heldOn: nil)
        }
        guard heldOn <= startsOn else { throw Problem.launchMeetingRequired(region.rawValue, heldOn: heldOn) }
    }

    private func requireApproved(_ region: DivisionCode, on connection: PostgresConnection) async throws {
        let rows = try await connection.query("SELECT status FROM region WHERE code = \(region.rawValue)")
        guard let status = try rows.first?.decode("status", as: String.self) else {
            throw Problem.regionNotApproved(region.rawValue)
        }
        guard status == "approved" else { throw Problem.regionNotApproved(region.rawValue) }
    }

    private func requireLaunchMeeting(
        _ region: DivisionCode, before startsOn: CalendarDate, on connection: PostgresConnection
    ) async throws {
        let rows = try await connection.query("""
            SELECT starts_on::text AS held_on FROM activity
            WHERE region_code = \(region.rawValue) AND campaign_year = \(settings.campaignYear) AND kind = 'launch-meeting'
            """)
        guard let heldOn = try rows.first.flatMap({ CalendarDate(try $0.decode("held_on", as: String.self)) }) else {
            throw Problem.launchMeetingRequired(region.rawValue, heldOn: nil)
        }
        guard heldOn <= startsOn else { throw Problem.launchMeetingRequired(region.rawValue, heldOn: heldOn) }
    }

    private func load(_ id: UUID) async throws -> ActivityView {
        let view = try await service.pool.withConnection { try await ActivityView.load(id, on: $0) }
        guard let view else { throw Problem.activityNotFound(id.uuidString) }
        return view
    }

    private func lockedForRegion(
        _ id: UUID, _ context: AppRequestContext, on connection: PostgresConnection
    ) async throws -> (ActivityView, Principal) {
        guard let current = try await ActivityView.load(id, on: connection, lock: true) else {
            throw Problem.activityNotFound(id.uuidString)
        }
        return (current, try context.requireRegion(current.regionCode))
    }
}
