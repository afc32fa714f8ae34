import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// A region's campaign for its officials (launch meeting, scheduling, rescheduling, outcome, cancellation) and the
/// calendar: for officials, and in public for approved regions as JSON and an iCalendar feed. ``ActivityPlanner``
/// does the work.
struct ActivityRoutes: Sendable {
    let context: PilotContext

    struct LaunchMeetingRequest: Decodable, Sendable {
        var heldOn: String
        var placeCode: String
        var title: String?
        var attendance: Int

        static let schema: JSONSchema = .object([
            .required("heldOn", .date, "Day it was held: inside the campaign, not in the future."),
            .required("placeCode", .divisionCode, "Division code of the place, inside the region."),
            .optional("title", .text(maxLength: 200), "Title (default 绿色建材下乡活动启动会)."),
            .required("attendance", PilotOpenAPI.count, "People who attended."),
        ])
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

        /// The levels an activity may be held at: below the province.
        static let levels = DivisionCode.Level.allCases.filter { $0 != .province }.map(\.rawValue)

        static let schema: JSONSchema = .object([
            .required("type", .enumeration(ActivityType.self), "public-lecture, special-sales-session, roadshow or online-campaign."),
            .optional("mode", .enumeration(ActivityMode.self), "offline or online (default: online for an online campaign, else offline; an online campaign is online)."),
            .required("level", .values(levels), "Level of the place: city, county, town or village."),
            .required("placeCode", .divisionCode, "Division code of the place: inside the region, of the given level."),
            .required("title", .text(maxLength: 200), "Title."),
            .required("startsOn", .date, "First day: inside the campaign, not before the launch meeting."),
            .required("endsOn", .date, "Last day: inside the campaign, not before startsOn."),
            .optional("safetyPlanReference", .string(maxLength: 100), "Reference of the safety plan it runs under; required offline."),
        ])
    }

    struct RescheduleRequest: Decodable, Sendable {
        var startsOn: String
        var endsOn: String
        var reason: String

        static let schema: JSONSchema = .object([
            .required("startsOn", .date, "New first day: inside the campaign, not before the launch meeting."),
            .required("endsOn", .date, "New last day: inside the campaign, not before startsOn."),
            .required("reason", .text(maxLength: 500), "Why it moves."),
        ])
    }

    struct CancellationRequest: Decodable, Sendable {
        var reason: String

        static let schema: JSONSchema = .object([.required("reason", .text(maxLength: 500), "Why it is cancelled.")])
    }

    struct ActivityList: ResponseEncodable, Sendable {
        var activities: [ActivityView]
    }

    /// An upcoming activity as the public sees it.
    struct PublicActivity: Encodable, Sendable {
        var id: String
        var regionCode: String
        var regionName: String
        var type: String
        var level: String
        var placeCode: String
        var title: String
        var startsOn: String
        var endsOn: String

        init(_ activity: ActivityView) {
            id = activity.id
            regionCode = activity.regionCode
            regionName = activity.regionName
            type = activity.type
            level = activity.level
            placeCode = activity.placeCode
            title = activity.title
            startsOn = activity.startsOn
            endsOn = activity.endsOn
        }

        static let schema: JSONSchema = .object([
            .required("id", .uuid, "The activity."),
            .required("regionCode", .divisionCode, "The pilot region."),
            .required("regionName", .text(maxLength: 100), "Its name."),
            .required("type", .enumeration(PilotActivityKind.self), "The activity's type."),
            .required("level", .enumeration(DivisionCode.Level.self), "Level of the place."),
            .required("placeCode", .divisionCode, "Division code of the place."),
            .required("title", .text(maxLength: 200), "Title."),
            .required("startsOn", .date, "First day."),
            .required("endsOn", .date, "Last day."),
        ])
    }

    struct PublicActivityList: ResponseEncodable, Sendable {
        var activities: [PublicActivity]
    }

    func add(to router: Router<AppRequestContext>) {
        let planner = ActivityPlanner(context: context)
        router.post("/regions/:code/launch-meeting") { request, requestContext in
            let region = try RequestValue.regionCode(requestContext)
            try requestContext.requireRegion(region)
            let body = try await request.decode(as: LaunchMeetingRequest.self, schema: LaunchMeetingRequest.schema, context: requestContext)
            let meeting = try launchMeeting(body, in: region)
            return EditedResponse(status: .created, response: try await planner.holdLaunchMeeting(meeting, in: region))
        }
        router.post("/regions/:code/activities") { request, requestContext in
            let region = try RequestValue.regionCode(requestContext)
            let principal = try requestContext.requireRegion(region)
            let body = try await request.decode(as: ScheduleRequest.self, schema: ScheduleRequest.schema, context: requestContext)
            let plan = try plan(body, in: region)
            return EditedResponse(
                status: .created, response: try await planner.schedule(plan, in: region, by: principal.actorRole))
        }
        router.get("/activities") { request, requestContext in
            let principal = try requestContext.require(role: .ministry, .regionOfficial)
            var filter = try ActivityFilter(query: request.uri.queryParameters)
            if principal.role == .regionOfficial {
                filter.regionCode = filter.regionCode ?? principal.regionCode?.rawValue
                try requestContext.requireRegion(named: filter.regionCode ?? "")
            }
            return ActivityList(activities: try await planner.activities(matching: filter))
        }
        router.get("/activities/:id") { _, requestContext in
            try requestContext.require(role: .ministry, .regionOfficial)
            let activity = try await planner.activity(try Self.id(requestContext))
            try requestContext.requireRegion(named: activity.regionCode)
            return activity
        }
        router.put("/activities/:id/schedule") { request, requestContext in
            let id = try Self.id(requestContext)
            try requestContext.require(role: .ministry, .regionOfficial)
            let body = try await request.decode(as: RescheduleRequest.self, schema: RescheduleRequest.schema, context: requestContext)
            var validator = Validator()
            let (startsOn, endsOn) = validateDates(body.startsOn, body.endsOn, into: &validator)
            validator.text(body.reason, field: "reason", maxLength: 500)
            try validator.validate()
            guard let startsOn, let endsOn else { throw Problem.validation(validator.errors) }
            return try await planner.reschedule(
                id, startsOn: startsOn, endsOn: endsOn, reason: body.reason,
                access: requestContext.regionAccess)
        }
        router.post("/activities/:id/outcome") { request, requestContext in
            let id = try Self.id(requestContext)
            try requestContext.require(role: .ministry, .regionOfficial)
            let outcome = try await request.decode(as: ActivityView.Outcome.self, schema: ActivityView.Outcome.schema, context: requestContext)
            var validator = Validator()
            validator.count(outcome.attendance, field: "attendance")
            validator.count(outcome.enterprisesPresent, field: "enterprisesPresent")
            validator.count(outcome.productsShown, field: "productsShown")
            validator.fen(outcome.sales, field: "sales")
            validator.count(outcome.onlinePageViews, field: "onlinePageViews")
            try validator.validate()
            return try await planner.recordOutcome(outcome, of: id, access: requestContext.regionAccess)
        }
        router.post("/activities/:id/cancellation") { request, requestContext in
            let id = try Self.id(requestContext)
            try requestContext.require(role: .ministry, .regionOfficial)
            let body = try await request.decode(as: CancellationRequest.self, schema: CancellationRequest.schema, context: requestContext)
            var validator = Validator()
            validator.text(body.reason, field: "reason", maxLength: 500)
            try validator.validate()
            return try await planner.cancel(id, reason: body.reason, access: requestContext.regionAccess)
        }
        router.get("/public/activities") { request, _ in
            let filter = try ActivityFilter.upcoming(query: request.uri.queryParameters, today: context.settings.today)
            let activities = try await planner.activities(matching: filter)
            return PublicActivityList(activities: activities.map(PublicActivity.init))
        }
        router.get("/public/calendar.ics") { request, _ in
            let filter = try ActivityFilter.upcoming(query: request.uri.queryParameters, today: context.settings.today)
            let feed = ICalendarFeed(
                activities: try await planner.activities(matching: filter), generatedAt: context.clock.now())
            let body = ByteBuffer(string: feed.text)
            return Response(
                status: .ok,
                headers: [.contentType: "text/calendar; charset=utf-8", .contentLength: String(body.readableBytes)],
                body: .init(byteBuffer: body))
        }
    }

    // MARK: - Reading and checking requests

    static func id(_ requestContext: AppRequestContext) throws -> UUID {
        try RequestValue.uuid(try requestContext.parameters.require("id"), notFound: PilotError.activityNotFound)
    }

    /// The launch meeting in `body`: held inside the campaign, not in the future, in a place inside the region.
    private func launchMeeting(_ body: LaunchMeetingRequest, in region: DivisionCode) throws -> ActivityPlanner.LaunchMeeting {
        var validator = Validator()
        let heldOn = validator.calendarDate(body.heldOn, field: "heldOn")
        if let heldOn { validateInCampaign(heldOn, field: "heldOn", into: &validator) }
        if let heldOn {
            validator.require(heldOn <= context.settings.today, field: "heldOn", "must not be in the future")
        }
        let place = validator.divisionCode(body.placeCode, field: "placeCode")
        if let place { validator.require(region.contains(place), field: "placeCode", "must lie inside region \(region)") }
        validator.count(body.attendance, field: "attendance")
        if let title = body.title { validator.text(title, field: "title", maxLength: 200) }
        try validator.validate()
        guard let heldOn, let place else { throw Problem.validation(field: "heldOn", reason: "is required") }
        return .init(heldOn: heldOn, place: place, title: body.title, attendance: body.attendance)
    }

    /// The activity in `body`: a type and mode that fit, a place of the given level inside the region, dates
    /// inside the campaign, and a safety plan reference for an offline activity.
    private func plan(_ body: ScheduleRequest, in region: DivisionCode) throws -> ActivityPlanner.Plan {
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
            validator.require(reference.unicodeScalars.count <= 100, field: "safetyPlanReference", "must be at most 100 characters")
        }
        try validator.validate()
        guard let kind, let mode, let level, let place, let startsOn, let endsOn else {
            throw Problem.validation(validator.errors)
        }
        return .init(
            kind: kind, mode: mode, level: level, place: place, title: body.title, startsOn: startsOn, endsOn: endsOn,
            safetyPlanReference: body.safetyPlanReference)
    }

    private func validateInCampaign(_ date: CalendarDate, field: String, into validator: inout Validator) {
        let settings = context.settings
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
}
