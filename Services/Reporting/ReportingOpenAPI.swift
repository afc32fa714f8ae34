import Contracts
import ServiceKit

/// The OpenAPI 3.1 document of `reporting`'s own routes (the host adds health, metrics and `/openapi.json`), with
/// every request and response schema; `ReportingDefinitionTests` checks it against the router.
enum ReportingOpenAPI {
    static let readers = ProjectionRoutes.readers
    static let date = JSONSchema.date
    static let amount = JSONSchema.integer(minimum: -Validator.maximumFen, maximum: Validator.maximumFen)

    static let metric: JSONSchema = .object([
        .required("name", .enumeration(Metric.self), "The metric's name."),
        .required("unit", .enumeration(MetricUnit.self), "count or fen (integer fen)."),
        .required("dimension", .string(maxLength: 200), "What its dimension is ('' when none)."),
        .required("summary", .text(maxLength: 1000), "What one of its facts is."),
    ])

    static let series: JSONSchema = .object([
        .required("metric", .enumeration(Metric.self), "The metric."),
        .required("unit", .enumeration(MetricUnit.self), "count or fen."),
        .optional("regionCode", .divisionCode, "The division; absent for the national figures."),
        .required("from", date, "First day."),
        .required("to", date, "Last day."),
        .required("granularity", .enumeration(Granularity.self), "day, month or year."),
        .required("points", .array(of: .object([
            .required("period", date, "The bucket's first day."),
            .required("dimension", .string(maxLength: 200), "The dimension ('' when the metric has none)."),
            .required("value", amount, "The bucket's sum."),
            .required("cumulative", amount, "The running total at the bucket's end, all earlier days included."),
        ])), "Buckets with facts, oldest first."),
        .required("totals", .array(of: .object([
            .required("dimension", .string(maxLength: 200), "The dimension."),
            .required("value", amount, "The value at the end of `to`."),
        ])), "Each dimension's value at the period's end."),
    ])

    static let overview: JSONSchema = .object([
        .optional("regionCode", .divisionCode, "The division; absent for the national figures."),
        .required("on", date, "The day (its end)."),
        .required("entries", .array(of: .object([
            .required("metric", .enumeration(Metric.self), "The metric."),
            .required("unit", .enumeration(MetricUnit.self), "count or fen."),
            .required("dimension", .string(maxLength: 200), "The dimension."),
            .required("value", amount, "Its value at the end of the day."),
        ])), "Every metric with facts, per dimension."),
        .required("budgetUse", .object([
            .required("budget", amount, "Budgets approved with their changes, in fen."),
            .required("committed", amount, "Approved minus clawed back, in fen."),
            .required("paidNet", amount, "Paid on claims minus clawed back, in fen."),
            .required("loanSubsidies", amount, "Loan interest subsidy granted, in fen."),
            .required("usedBasisPoints", .integer(minimum: Int64(Int32.min), maximum: Int64.max), "Committed plus loan subsidies, in basis points of the budget."),
        ]), "The budget's use."),
        .required("complaintHandling", .object([
            .required("received", amount, "Complaints, consultations and reports received."),
            .required("open", amount, "Cases received and not closed."),
            .required("handled", amount, "Closed cases whose receipt is known."),
            .required("handlingWorkingDays", amount, "Their working days from receipt to closure, summed."),
            .required("averageHandlingHundredthsOfWorkingDay", amount, "The average handling time, in hundredths of a working day."),
            .required("mediated", amount, "Mediations that ended in an agreement."),
            .required("mediationTerminated", amount, "Mediations terminated without one."),
            .required("mediationSuccessBasisPoints", .integer(minimum: 0, maximum: 10_000), "mediated / (mediated + terminated), in basis points."),
            .required("deadlineBreaches", amount, "Statutory deadlines breached."),
        ]), "How complaints were handled."),
        .required("feedPosition", .integer(minimum: 0, maximum: Int64.max),
                  "The live feed's last entry these figures include: follow GET /feed with Last-Event-ID set to it and add each later entry's facts dated up to `on`."),
    ])

    static let pilotRegion: JSONSchema = .object([
        .required("regionCode", .divisionCode, "The pilot region."),
        .required("regionName", .text(maxLength: 200), "Its name."),
        .required("batchYear", .year, "The batch it was approved in."),
        .required("approvedOn", date, "Approved on."),
    ])

    static let regionText: JSONSchema = .object([
        .optional("experience", .string(maxLength: RegionText.maxLength), "Experience."),
        .optional("problems", .string(maxLength: RegionText.maxLength), "Problems."),
        .optional("nextSteps", .string(maxLength: RegionText.maxLength), "Next steps."),
        .optional("departments", .object([
            .optional("MIIT", .string(maxLength: RegionText.maxLength), "For MIIT."),
            .optional("MOHURD", .string(maxLength: RegionText.maxLength), "For MOHURD."),
            .optional("MOA", .string(maxLength: RegionText.maxLength), "For MOA."),
            .optional("MOFCOM", .string(maxLength: RegionText.maxLength), "For MOFCOM."),
            .optional("SAMR", .string(maxLength: RegionText.maxLength), "For SAMR."),
            .optional("NRRA", .string(maxLength: RegionText.maxLength), "For NRRA."),
        ]), "A text per guiding department."),
    ])

    static let report: JSONSchema = .object([
        .required("id", .uuid, "The report."),
        .required("regionCode", .divisionCode, "The pilot region."),
        .required("campaignYear", .year, "The year."),
        .required("version", .integer(minimum: 1, maximum: 10_000), "This version."),
        .required("latestVersion", .integer(minimum: 1, maximum: 10_000), "The latest version."),
        .required("status", .enumeration(ReportStatus.self), "draft, submitted, acknowledged or superseded."),
        .optional("contentSHA256", .sha256, "SHA-256 of the document, once submitted."),
        .optional("correctionReason", .text(maxLength: 2000), "Why this version corrects the previous."),
        .required("createdAt", .dateTime, "Created."),
        .optional("submittedAt", .dateTime, "Submitted."),
        .optional("acknowledgedAt", .dateTime, "Acknowledged."),
        .required("document", ReportSchema.schema, "The report document (GET /summary-report-schema)."),
    ])

    static let period: [OpenAPIRoute.QueryParameter] = [
        .init("regionCode", .divisionCode, "A division and everything under it; absent: national (a regional official: its region)"),
        .init("from", date, "First day, within the campaign (default: its first day)"),
        .init("to", date, "Last day, within the campaign (default: its last day)"),
        .init("granularity", .enumeration(Granularity.self), "day (default), month or year"),
    ]

    static let routes: [OpenAPIRoute] = [
        OpenAPIRoute("get", "/projections", "The projections' metrics: unit, dimension, meaning", roles: readers,
                     response: .object([.required("metrics", .array(of: metric), "Every metric.")])),
        OpenAPIRoute("get", "/projections/{metric}", "A metric per day, month or year and cumulative, in a region or nationally",
                     roles: readers, query: period, response: series, problems: [404]),
        OpenAPIRoute("get", "/projections/{metric}/csv",
                     "The same series as CSV: metric,region_code,period,dimension,value,cumulative",
                     roles: readers, query: period, responseMediaType: "text/csv", problems: [404]),
        OpenAPIRoute("get", "/overview", "Every metric's value at the end of a day, with the budget's use",
                     roles: readers,
                     query: [.init("regionCode", .divisionCode, "A division and everything under it; absent: national (a regional official: its region)"),
                             .init("on", date, "The day, within the campaign (default: today or the campaign's last day)")],
                     response: overview, problems: [404]),
        OpenAPIRoute("get", "/pilot-regions", "The approved pilot regions the caller may read", roles: readers,
                     response: .object([.required("regions", .array(of: pilotRegion), "Pilot regions.")])),
        OpenAPIRoute("post", "/regions/{code}/summary-reports", "Start the region's summary report for a campaign year: a draft with the projections' figures",
                     roles: [.regionOfficial],
                     requestBody: .object([.required("campaignYear", .year, "The campaign year.")]),
                     success: 201, response: report, problems: [404, 409]),
        OpenAPIRoute("get", "/summary-reports/{id}", "A report's latest version (or `version`) with its document",
                     roles: readers, query: [.init("version", .integer(minimum: 1, maximum: 10_000), "A version (default: the latest)")],
                     response: report, problems: [404]),
        OpenAPIRoute("get", "/summary-reports/{id}/html",
                     "The version as a printable document to the six ministries (HTML: figures in tables, monthly charts, each department's section, the region's text)",
                     roles: readers, query: [.init("version", .integer(minimum: 1, maximum: 10_000), "A version (default: the latest)")],
                     responseMediaType: "text/html", problems: [404]),
        OpenAPIRoute("get", "/summary-reports/{id}/pdf",
                     "The same document as PDF (A4, fonts embedded); 503 when the renderer (GBM_PDF_RENDERER) is missing",
                     roles: readers, query: [.init("version", .integer(minimum: 1, maximum: 10_000), "A version (default: the latest)")],
                     responseMediaType: "application/pdf", problems: [404, 503]),
        OpenAPIRoute("put", "/summary-reports/{id}/text", "Write the region's sections of a draft (its figures are read again)",
                     roles: [.regionOfficial], requestBody: regionText, response: report, problems: [404, 409]),
        OpenAPIRoute("post", "/summary-reports/{id}/submission", "Submit the draft: locked, content hash recorded, report.submitted published",
                     roles: [.regionOfficial], response: report, problems: [404, 409]),
        OpenAPIRoute("post", "/summary-reports/{id}/acknowledgement", "Acknowledge a submitted report (a ministry official)",
                     roles: [.ministry], response: report, problems: [404, 409]),
        OpenAPIRoute("post", "/summary-reports/{id}/corrections", "Correct a submitted report: a new submitted version with its reason",
                     roles: [.regionOfficial],
                     requestBody: .object([.required("reason", .text(maxLength: 2000), "Why."),
                                           .optional("text", regionText, "New sections (default: the previous version's).")]),
                     success: 201, response: report, problems: [404, 409]),
        OpenAPIRoute("get", "/campaigns/{year}/outstanding-reports", "Pilot regions that had not submitted by 30 November",
                     roles: [.ministry, .promotionGroup],
                     response: .object([
                        .required("campaignYear", .year, "The year."), .required("deadline", date, "30 November."),
                        .required("regions", .array(of: .object([
                            .required("regionCode", .divisionCode, "The region."), .required("regionName", .text(maxLength: 200), "Its name."),
                            .optional("submittedLateOn", date, "When it submitted after the deadline; absent when it has not."),
                        ])), "The regions."),
                     ]), problems: [422]),
        OpenAPIRoute("get", "/campaigns/{year}/national-report", "The national roll-up of the regions' current submitted reports",
                     roles: [.ministry, .promotionGroup],
                     response: .object([
                        .required("campaignYear", .year, "The year."),
                        .required("regionsSubmitted", .array(of: .divisionCode), "Regions with a submitted report."),
                        .required("pilotRegions", .count, "Pilot regions owing one."),
                        .required("figures", ReportSchema.figures, "Their figures summed."),
                     ]), problems: [422]),
        OpenAPIRoute("get", "/summary-report-schema", "The JSON Schema (2020-12) of a report document (public)"),
        OpenAPIRoute("get", "/feed",
                     "The live feed as Server-Sent Events (id, event type, the event's facts; no payload, no personal data); followed with Accept: text/event-stream",
                     roles: readers,
                     query: [.init("regionCode", .divisionCode, "A division and everything under it (a regional official: its region by default)"),
                             .init("topic", .text(maxLength: 200), "Only this topic's events"),
                             .init("type", .text(maxLength: 200), "Only this event type"),
                             .init("lastEventId", .integer(minimum: 0), "Resume after this entry (as the Last-Event-ID header)"),
                             .init("limit", .integer(minimum: 1, maximum: 100_000), "End the stream after this many entries"),
                             .init("follow", .boolean, "false: end after the entries there are (default: follow when asked for text/event-stream)")],
                     headers: [.init("Last-Event-ID", .integer(minimum: 0), "Resume after this entry")],
                     response: .object([
                         .required("id", .text(maxLength: 20), "The entry's number: resume after it with Last-Event-ID."),
                         .required("event", .text(maxLength: 200), "The event type."),
                         .required("data", .text(maxLength: 100_000), "The entry as JSON: id, topic, type, regionCode, day, facts (each: metric, dimension, regionCode, value, day)."),
                     ]),
                     responseMediaType: "text/event-stream"),
        OpenAPIRoute("get", "/feed/overview",
                     "Live aggregates as Server-Sent Events: the scope's overview (as GET /overview, today) again whenever an event in it is applied; each frame is the whole state, its id the last feed entry it includes",
                     roles: readers,
                     query: [.init("regionCode", .divisionCode, "A division and everything under it; absent: national (a regional official: its region)"),
                             .init("lastEventId", .integer(minimum: 0), "Send a frame only when something changed after this entry (as the Last-Event-ID header)"),
                             .init("limit", .integer(minimum: 1, maximum: 100_000), "End the stream after this many frames"),
                             .init("follow", .boolean, "false: end after the current state (default: follow when asked for text/event-stream)")],
                     headers: [.init("Last-Event-ID", .integer(minimum: 0), "Resume after this entry")],
                     response: .object([
                         .required("id", .text(maxLength: 20), "The last feed entry the overview includes."),
                         .required("event", .text(maxLength: 20), "overview"),
                         .required("data", .text(maxLength: 1_000_000), "The overview as JSON (the schema of GET /overview)."),
                     ]),
                     responseMediaType: "text/event-stream", problems: [404]),
        OpenAPIRoute("get", "/dashboard",
                     "The web dashboard (public: the page holds no data; its script reads the figures with the user's token, given as #token=… in the URL or typed in, and follows the live feed)",
                     responseMediaType: "text/html"),
        OpenAPIRoute("get", "/dashboard/assets/{name}", "A file the dashboard's page loads: dashboard.js, dashboard.css, icon.svg (public)",
                     responseMediaType: "text/javascript", problems: [404]),
    ]

    /// The media types of the dashboard's files, which share one route: merged into its success response; and the
    /// report schema's response, a JSON Schema document (which the DSL does not describe).
    static let dashboardAssetTypes: OpenAPIDocument = {
        var content: [String: JSONValue] = [:]
        for file in DashboardAsset.files { content[file.mediaType] = ["schema": ["type": "string"]] }
        let schemaDocument: JSONValue = [
            "type": "object", "required": ["$schema", "$id"],
            "description": "A JSON Schema (draft 2020-12) document: the schema of a summary report's document.",
        ]
        let patch: JSONValue = [
            "openapi": "3.1.0", "info": ["title": "reporting", "version": "1.0.0"],
            "paths": [
                "/dashboard/assets/{name}": ["get": ["responses": ["200": ["content": .object(content)]]]],
                "/summary-report-schema": ["get": ["responses": ["200": ["content": ["application/json": ["schema": schemaDocument]]]]]],
            ],
        ]
        return (try? OpenAPIDocument(json: patch.serialized())) ?? OpenAPIDocument(title: "reporting", version: "1.0.0")
    }()

    static let document = OpenAPIDocument(
        title: "reporting", version: "1.0.0",
        description: "Projections of every topic of the 绿色建材下乡 campaign, per region and nationally, per day and cumulative; the live feed; the regions' summary reports to the six ministries.",
        routes: routes
    ).merging(dashboardAssetTypes)
}
