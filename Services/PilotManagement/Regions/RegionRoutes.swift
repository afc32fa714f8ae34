import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceHost
import ServiceKit

/// Regions with status, batch and counts for officials; the summary report; and the public views of approved
/// regions and upcoming activities (JSON and an iCalendar feed).
struct RegionRoutes: Sendable {
    let service: ServiceContext
    let settings: PilotSettings

    struct RegionList: Encodable, Sendable {
        var regions: [RegionSummary]
    }

    struct PublicRegion: Encodable, Sendable {
        var code: String
        var name: String
        var level: String
        var batchYear: Int?
        var approvedOn: String?
    }

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
    }

    struct SummaryReportRequest: Decodable, Sendable {
        var submittedOn: String?
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/regions") { request, context in
            try context.require(role: .ministry, .regionOfficial)
            let (status, batch) = try filters(request)
            return JSONReply(RegionList(regions: try await RegionSummary.list(
                status: status, batchYear: batch, campaignYear: settings.campaignYear, on: service.pool)))
        }
        router.get("/regions/:code") { _, context in
            let code = try regionCode(context)
            try context.requireRegion(code.rawValue)
            let regions = try await RegionSummary.list(
                status: nil, batchYear: nil, code: code.rawValue, campaignYear: settings.campaignYear, on: service.pool)
            guard let region = regions.first else { throw Problem.regionNotFound(code.rawValue) }
            return JSONReply(region)
        }
        router.post("/regions/:code/summary-report") { request, context in
            let code = try regionCode(context)
            try context.requireRegion(code.rawValue)
            let body = try await request.decode(as: SummaryReportRequest.self, context: context)
            var validator = Validator()
            let submittedOn = body.submittedOn.flatMap { validator.calendarDate($0, field: "submittedOn") } ?? settings.today
            try validator.validate()
            let updated = try await service.pool.query("""
                UPDATE region SET summary_report_submitted_on = \(submittedOn.description)::date
                WHERE code = \(code.rawValue) AND status = 'approved'
                """)
            guard updated.affectedRows == 1 else { throw Problem.regionNotApproved(code.rawValue) }
            let regions = try await RegionSummary.list(
                status: nil, batchYear: nil, code: code.rawValue, campaignYear: settings.campaignYear, on: service.pool)
            return JSONReply(regions[0])
        }
        router.get("/public/regions") { request, _ in
            let (_, batch) = try filters(request)
            let regions = try await RegionSummary.list(
                status: "approved", batchYear: batch, campaignYear: settings.campaignYear, on: service.pool)
            return JSONReply(["regions": regions.map {
                PublicRegion(code: $0.code, name: $0.name, level: $0.level, batchYear: $0.batchYear, approvedOn: $0.approvedOn)
            }])
        }
        router.get("/public/activities") { request, _ in
            let activities = try await upcoming(request)
            return JSONReply(["activities": activities.map {
                PublicActivity(
                    id: $0.id, regionCode: $0.regionCode, regionName: $0.regionName, type: $0.type, level: $0.level,
                    placeCode: $0.placeCode, title: $0.title, startsOn: $0.startsOn, endsOn: $0.endsOn)
            }])
        }
        router.get("/public/calendar.ics") { request, _ in
            let feed = ICalendarFeed(activities: try await upcoming(request), generatedAt: settings.clock.now())
            let body = ByteBuffer(string: feed.text)
            return Response(
                status: .ok,
                headers: [.contentType: "text/calendar; charset=utf-8", .contentLength: String(body.readableBytes)],
                body: .init(byteBuffer: body))
        }
    }

    /// Scheduled activities of approved regions that have not ended yet, with the calendar's filters.
    private func upcoming(_ request: Request) async throws -> [ActivityView] {
        var filter = try ActivityFilter(query: request.uri.queryParameters, defaultFrom: settings.today)
        filter.status = "scheduled"
        filter.approvedRegionsOnly = true
        return try await filter.activities(on: service.pool)
    }

    private func filters(_ request: Request) throws(Problem) -> (String?, Int?) {
        let query = request.uri.queryParameters
        var validator = Validator()
        let status = query.get("status")
        if let status {
            validator.require(["applicant", "approved", "rejected"].contains(status), field: "status",
                              "must be one of applicant, approved, rejected")
        }
        var batch: Int?
        if let text = query.get("batchYear") {
            batch = Int(text)
            validator.require(batch.map { (2000...2100).contains($0) } ?? false, field: "batchYear", "must be a year")
        }
        try validator.validate()
        return (status, batch)
    }

    private func regionCode(_ context: AppRequestContext) throws -> DivisionCode {
        var validator = Validator()
        let code = validator.divisionCode(try context.parameters.require("code"), field: "regionCode")
        try validator.validate()
        return code!
    }
}
