import Contracts
import Foundation
import ServiceKit

/// The OpenAPI 3.1 document of pilot-management's own routes (the host adds health, metrics and `/openapi.json`),
/// with every query parameter, request body and response schema, and who may call each route and what each caller
/// sees; `ServiceHostTests` checks it against the router and `PilotSchemaConformanceTests` checks the responses of
/// the main scenario against it.
enum PilotOpenAPI {
    /// One operation with its access notes, which `OpenAPIRoute` has no place for: who may call it beyond the role
    /// list and what each caller sees (the operation's description), and the codes of its 403.
    struct Operation: Sendable {
        var route: OpenAPIRoute
        var access: String?
        var forbidden: String?

        init(_ route: OpenAPIRoute, access: String? = nil, forbidden: String? = nil) {
            self.route = route
            self.access = access
            self.forbidden = forbidden
        }
    }

    static let officials: [Role] = [.ministry, .regionOfficial]
    static let count = JSONSchema.integer(minimum: 0, maximum: Int64(Validator.maximumCount))
    static let fen = JSONSchema.integer(minimum: 0, maximum: Validator.maximumFen)

    /// The 403 of a route that `requireRegion` guards.
    static let regionForbidden =
        "role-not-allowed: a role other than ministry and region-official; region-not-allowed: a regional official outside the region"

    // MARK: query parameters

    static let batchYear = OpenAPIRoute.QueryParameter("batchYear", .integer(minimum: 2000, maximum: 2100), "Only regions of this batch")

    /// The activity calendar's filters (`ActivityFilter`); the public views leave out `status` (always scheduled).
    static func activityFilters(withStatus: Bool) -> [OpenAPIRoute.QueryParameter] {
        [.init("regionCode", .divisionCode, "Only this region's activities"),
         .init("level", .enumeration(DivisionCode.Level.self), "Only activities at places of this level"),
         .init("type", .enumeration(PilotActivityKind.self), "Only activities of this type")]
            + (withStatus ? [.init("status", .values(ActivityView.statuses), "Only activities in this status")] : [])
            + [.init("from", .date, withStatus ? "Only activities ending on or after this day"
                                                  : "Only activities ending on or after this day (default: today)"),
               .init("to", .date, "Only activities starting on or before this day (not before `from`)"),
               .init("limit", .integer(minimum: 1, maximum: 5000), "At most this many, by start day (default 500)")]
    }

    // MARK: responses

    static let regionList: JSONSchema = .object([.required("regions", .array(of: RegionSummary.schema), "Regions, by code.")])
    static let publicRegionList: JSONSchema = .object([.required("regions", .array(of: RegionRoutes.PublicRegion.schema), "Approved regions, by code.")])
    static let applicationList: JSONSchema = .object([
        .required("applications", .array(of: ApplicationView.schema), "Applications, in the order they were started."),
    ])
    static let activityList: JSONSchema = .object([.required("activities", .array(of: ActivityView.schema), "Activities, by start day.")])
    static let publicActivityList: JSONSchema = .object([
        .required("activities", .array(of: ActivityRoutes.PublicActivity.schema), "Upcoming activities, by start day."),
    ])
    static let participantList: JSONSchema = .object([
        .required("participants", .array(of: ParticipantView.schema), "Participants, in the order they enrolled."),
    ])

    // MARK: operations

    static let operations: [Operation] = [
        // Regions
        Operation(OpenAPIRoute("get", "/regions", "Regions with status, batch, counts and readiness", roles: officials,
                               query: [.init("status", .values(RegionSummary.statuses), "Only regions in this status"), batchYear],
                               response: regionList),
                  access: "A ministry official sees every region; a regional official only its own region and the divisions under it.",
                  forbidden: "role-not-allowed: a role other than ministry and region-official"),
        Operation(OpenAPIRoute("get", "/regions/{code}", "One region with status, batch, counts and readiness", roles: officials,
                               response: RegionSummary.schema, problems: [404, 422]),
                  access: "A ministry official: any region; a regional official: its own region and the divisions under it. "
                      + "A malformed code is a 422 naming regionCode.",
                  forbidden: regionForbidden),
        Operation(OpenAPIRoute("post", "/regions/{code}/launch-meeting", "Record the region's launch meeting (启动会)", roles: officials,
                               requestBody: ActivityRoutes.LaunchMeetingRequest.schema, success: 201, response: ActivityView.schema,
                               problems: [409, 422]),
                  access: "A ministry official, or a regional official of the region (or above it). Once per campaign year, in an "
                      + "approved region (409 region-not-approved, launch-meeting-already-held), held inside the campaign and "
                      + "not in the future, at a place inside the region.",
                  forbidden: regionForbidden),
        Operation(OpenAPIRoute("post", "/regions/{code}/activities", "Schedule an activity in an approved region", roles: officials,
                               requestBody: ActivityRoutes.ScheduleRequest.schema, success: 201, response: ActivityView.schema,
                               problems: [409, 422]),
                  access: "A ministry official, or a regional official of the region (or above it). The region must be approved "
                      + "and have held its launch meeting on or before startsOn (409 region-not-approved, launch-meeting-required); "
                      + "the place lies inside the region at the given level; dates inside the campaign; an offline activity "
                      + "names its safety plan.",
                  forbidden: regionForbidden),
        Operation(OpenAPIRoute("post", "/regions/{code}/participants", "Enrol a catalogue enterprise, platform or store", roles: officials,
                               requestBody: ParticipantRoutes.EnrolmentRequest.schema, success: 201, response: ParticipantView.schema,
                               problems: [409, 422]),
                  access: "A ministry official, or a regional official of the region (or above it). The region must be approved "
                      + "(409 region-not-approved); the enterprise must be in the catalogue's directory (422 unknown-enterprise) "
                      + "and not enrolled there already (409 already-enrolled).",
                  forbidden: regionForbidden),
        Operation(OpenAPIRoute("get", "/regions/{code}/participants", "The region's participants", roles: officials,
                               query: [.init("status", .values(ParticipantView.statuses), "Only participants in this status")],
                               response: participantList, problems: [422]),
                  access: "A ministry official, or a regional official of the region (or above it).",
                  forbidden: regionForbidden),
        Operation(OpenAPIRoute("get", "/regions/{code}/industrial-chain", "The region's chain leaders and industrial clusters",
                               roles: officials, response: IndustrialChain.schema, problems: [422]),
                  access: "A ministry official, or a regional official of the region (or above it). Only enrolled participants count.",
                  forbidden: regionForbidden),

        // Applications
        Operation(OpenAPIRoute("post", "/applications", "Start a pilot application with its work plan (draft)", roles: [.regionOfficial],
                               requestBody: ApplicationRoutes.CreateRequest.schema, success: 201, response: ApplicationView.schema,
                               problems: [409]),
                  access: "A regional official of the region (or above it). A region has one application in progress at a time "
                      + "(409 application-already-open); an approved region applies no more (409 region-already-approved).",
                  forbidden: "role-not-allowed: not a regional official; region-not-allowed: a regional official outside the region"),
        Operation(OpenAPIRoute("get", "/applications", "Applications, in the order they were started", roles: officials,
                               query: [.init("regionCode", .divisionCode, "Only this region's (a regional official: default its own)"),
                                       .init("status", .enumeration(ApplicationStatus.self), "Only applications in this status")],
                               response: applicationList),
                  access: "A ministry official sees every region's applications; a regional official only its own region's or "
                      + "those of a division under it (regionCode defaults to its region).",
                  forbidden: regionForbidden),
        Operation(OpenAPIRoute("get", "/applications/{id}", "One application with its reviews", roles: officials,
                               response: ApplicationView.schema, problems: [404]),
                  access: "A ministry official, or a regional official of the application's region. Responsible persons' names "
                      + "are never shown and their phones only masked.",
                  forbidden: regionForbidden),
        Operation(OpenAPIRoute("put", "/applications/{id}/work-plan", "Revise the work plan of a draft or returned application",
                               roles: [.regionOfficial], requestBody: WorkPlan.schema, response: ApplicationView.schema, problems: [404, 409]),
                  access: "A regional official of the application's region; draft or returned applications only (409 application-state).",
                  forbidden: "role-not-allowed: not a regional official; region-not-allowed: not the application's region"),
        Operation(OpenAPIRoute("put", "/applications/{id}/document", "Upload the work plan document (the raw body)", roles: [.regionOfficial],
                               query: [.init("fileName", .text(maxLength: 200), "The document's file name (default work-plan)")],
                               requestMediaType: "application/octet-stream", response: ApplicationView.schema,
                               problems: [404, 409, 413]),
                  access: "A regional official of the application's region; draft or returned applications only (409 "
                      + "application-state). The raw body is the document (not empty; 413 document-too-large above the "
                      + "service's limit), its Content-Type (any) the media type it is downloaded with.",
                  forbidden: "role-not-allowed: not a regional official; region-not-allowed: not the application's region"),
        Operation(OpenAPIRoute("get", "/applications/{id}/document", "Download the work plan document", roles: officials,
                               responseMediaType: "*/*", problems: [404]),
                  access: "A ministry official, or a regional official of the application's region. Always a download "
                      + "(Content-Disposition attachment, a sandboxing Content-Security-Policy) with the media type it was "
                      + "uploaded with and its SHA-256 as the ETag; 404 document-not-found before an upload.",
                  forbidden: regionForbidden),
        Operation(OpenAPIRoute("put", "/applications/{id}/safety-plan", "Attach or replace the safety plan", roles: [.regionOfficial],
                               requestBody: SafetyPlanInput.schema, response: ApplicationView.schema, problems: [404, 409]),
                  access: "A regional official of the application's region, until the application is decided (409 application-state).",
                  forbidden: "role-not-allowed: not a regional official; region-not-allowed: not the application's region"),
        Operation(OpenAPIRoute("post", "/applications/{id}/submission", "Submit the application into its batch", roles: [.regionOfficial],
                               response: ApplicationView.schema, problems: [404, 409, 422]),
                  access: "A regional official of the application's region; a draft or returned application with its document "
                      + "(422 work-plan-document-required), into a batch with a free place (409 batch-cap-reached).",
                  forbidden: "role-not-allowed: not a regional official; region-not-allowed: not the application's region"),
        Operation(OpenAPIRoute("post", "/applications/{id}/reviews", "Record the caller's department's opinion", roles: [.ministry],
                               requestBody: ApplicationRoutes.ReviewRequest.schema, response: ApplicationView.schema,
                               problems: [404, 409, 422]),
                  access: "A ministry official whose token names a guiding department; a submitted or under-review application. "
                      + "MIIT concurs only after MOHURD and SAMR (409 concurrence-order); approval needs a safety plan "
                      + "(422 safety-plan-required) and a free place in the batch (409 batch-cap-reached).",
                  forbidden: "role-not-allowed: not a ministry official; department-required: the token names no guiding department"),

        // Activities
        Operation(OpenAPIRoute("get", "/activities", "Activity calendar: activities overlapping the dates, by start day", roles: officials,
                               query: activityFilters(withStatus: true), response: activityList),
                  access: "A ministry official sees every region's activities; a regional official only its own region's or "
                      + "those of a division under it (regionCode defaults to its region).",
                  forbidden: regionForbidden),
        Operation(OpenAPIRoute("get", "/activities/{id}", "One activity", roles: officials, response: ActivityView.schema, problems: [404]),
                  access: "A ministry official, or a regional official of the activity's region.",
                  forbidden: regionForbidden),
        Operation(OpenAPIRoute("put", "/activities/{id}/schedule", "Reschedule a scheduled activity", roles: officials,
                               requestBody: ActivityRoutes.RescheduleRequest.schema, response: ActivityView.schema, problems: [404, 409]),
                  access: "A ministry official, or a regional official of the activity's region; scheduled activities only "
                      + "(409 activity-state), not before the launch meeting (409 launch-meeting-required).",
                  forbidden: regionForbidden),
        Operation(OpenAPIRoute("post", "/activities/{id}/outcome", "Record that the activity was held, with its outcome", roles: officials,
                               requestBody: ActivityView.Outcome.schema, response: ActivityView.schema, problems: [404, 409]),
                  access: "A ministry official, or a regional official of the activity's region; a scheduled activity that has "
                      + "started (409 activity-state, activity-not-started).",
                  forbidden: regionForbidden),
        Operation(OpenAPIRoute("post", "/activities/{id}/cancellation", "Cancel a scheduled activity with a reason", roles: officials,
                               requestBody: ActivityRoutes.CancellationRequest.schema, response: ActivityView.schema, problems: [404, 409]),
                  access: "A ministry official, or a regional official of the activity's region; scheduled activities only (409 activity-state).",
                  forbidden: regionForbidden),

        // Participants
        Operation(OpenAPIRoute("post", "/participants/{id}/withdrawal", "Withdraw a participant with a reason", roles: officials,
                               requestBody: ParticipantRoutes.WithdrawalRequest.schema, response: ParticipantView.schema,
                               problems: [404, 409]),
                  access: "A ministry official, or a regional official of the participant's region; enrolled participants only "
                      + "(409 participant-state).",
                  forbidden: regionForbidden),

        // Public
        Operation(OpenAPIRoute("get", "/campaign", "The campaign year in force: its notice, period, batch and cap, report deadline (no token needed)",
                               response: RegionRoutes.CampaignView.schema,
                               notes: "Campaign years are data (seeds/campaign/<year>.json); the year in force is GBM_CAMPAIGN_YEAR or the latest that has begun.")),
        Operation(OpenAPIRoute("get", "/public/regions", "Approved pilot regions (no token needed)", query: [batchYear],
                               response: publicRegionList)),
        Operation(OpenAPIRoute("get", "/public/activities", "Upcoming scheduled activities of approved regions (no token needed)",
                               query: activityFilters(withStatus: false), response: publicActivityList)),
        Operation(OpenAPIRoute("get", "/public/calendar.ics", "Upcoming activities as an iCalendar (RFC 5545) feed (no token needed)",
                               query: activityFilters(withStatus: false), responseMediaType: "text/calendar")),
    ]

    static let routes = operations.map { operation in
        var route = operation.route
        route.pathParameters = pathParameters(of: route.path)
        return route
    }

    /// Every pilot path's parameters, as the routes read them: `{code}` a division code (a malformed one is a 422
    /// naming it), `{id}` a UUID (anything else names nothing: the 404 of its kind).
    static func pathParameters(of path: String) -> [OpenAPIRoute.QueryParameter] {
        path.split(separator: "/").compactMap { part -> OpenAPIRoute.QueryParameter? in
            switch part {
            case "{code}": .init("code", .divisionCode, "The region's GB/T 2260 division code")
            case "{id}": .init("id", .uuid, "The id the service gave it")
            default: nil
            }
        }
    }

    static let title = "pilot-management"
    static let version = "1.0.0"
    static let summary = "Pilot regions, applications and reviews, activities and participants of the 绿色建材下乡 campaign."

    static let document: OpenAPIDocument = {
        let routed = OpenAPIDocument(title: title, version: version, description: summary, routes: routes)
        return accessNotes.merging(routed)
    }()

    /// Where a success leads (OpenAPI links, which an API fuzzer's stateful phase follows): the operations that
    /// take the id (or region code) the response names, by `"method path"`.
    static let links: [String: [(operationId: String, parameter: String, value: String)]] = {
        let application = ["getApplicationsId", "putApplicationsIdWorkPlan", "putApplicationsIdDocument", "getApplicationsIdDocument",
                           "putApplicationsIdSafetyPlan", "postApplicationsIdSubmission", "postApplicationsIdReviews"]
            .map { (operationId: $0, parameter: "id", value: "$response.body#/id") }
        let activity = ["getActivitiesId", "putActivitiesIdSchedule", "postActivitiesIdOutcome", "postActivitiesIdCancellation"]
            .map { (operationId: $0, parameter: "id", value: "$response.body#/id") }
        let region = ["getRegionsCode", "postRegionsCodeLaunchMeeting", "postRegionsCodeActivities", "postRegionsCodeParticipants",
                      "getRegionsCodeParticipants", "getRegionsCodeIndustrialChain"]
            .map { (operationId: $0, parameter: "code", value: "$response.body#/regions/0/code") }
        return [
            "post /applications": application,
            "post /regions/{code}/launch-meeting": activity,
            "post /regions/{code}/activities": activity,
            "post /regions/{code}/participants": [(operationId: "postParticipantsIdWithdrawal", parameter: "id", value: "$response.body#/id")],
            "get /regions": region,
            "get /applications": application.map { (operationId: $0.operationId, parameter: "id", value: "$response.body#/applications/0/id") },
            "get /activities": activity.map { (operationId: $0.operationId, parameter: "id", value: "$response.body#/activities/0/id") },
            "get /regions/{code}/participants": [(operationId: "postParticipantsIdWithdrawal", parameter: "id", value: "$response.body#/participants/0/id")],
        ]
    }()

    /// The operations' descriptions (their roles and access notes), 403 descriptions and links, laid over the document
    /// `OpenAPIRoute` writes (`merging` keeps these where both have a value).
    static var accessNotes: OpenAPIDocument {
        var paths: [String: JSONValue] = [:]
        for operation in operations {
            let route = operation.route
            var fields: [String: JSONValue] = [:]
            if let access = operation.access {
                let roles = route.roles.isEmpty ? "" : "Roles: " + route.roles.map(\.rawValue).joined(separator: ", ") + ". "
                fields["description"] = .string(roles + access)
            }
            var responses: [String: JSONValue] = [:]
            if let forbidden = operation.forbidden {
                responses["403"] = .object(["description": .string("Forbidden. " + forbidden)])
            }
            if let targets = links["\(route.method) \(route.path)"] {
                responses[String(route.successStatus)] = .object(["links": .object(Dictionary(uniqueKeysWithValues: targets.map {
                    ($0.operationId, JSONValue.object([
                        "operationId": .string($0.operationId),
                        "parameters": .object([$0.parameter: .string($0.value)]),
                    ]))
                }))])
            }
            if !responses.isEmpty { fields["responses"] = .object(responses) }
            var item = paths[route.path]?.objectValue ?? [:]
            item[route.method] = .object(fields)
            paths[route.path] = .object(item)
        }
        let root: JSONValue = .object([
            "openapi": "3.1.0",
            "info": .object(["title": .string(title), "version": .string(version), "description": .string(summary)]),
            "paths": .object(paths),
        ])
        // Plain JSON values always encode, and the tree has `openapi: 3.1.0` and `paths`: it always loads.
        return try! OpenAPIDocument(json: try! JSONEncoder().encode(root))
    }
}

extension JSONSchema {
    /// A string that is one of `values` (a vocabulary with no Swift enumeration of its own).
    static func values(_ values: [String]) -> JSONSchema {
        JSONSchema(kind: .string(format: nil, pattern: nil, minLength: nil, maxLength: nil, allowed: values))
    }
}
