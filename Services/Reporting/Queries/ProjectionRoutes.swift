import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// The projections' query API: the metrics, a metric's series over a period (JSON or CSV), a scope's overview on a
/// day, the pilot regions. Ministry officials and the promotion group read every region and the national figures;
/// a regional official its own region and the divisions under it (its region when it names none).
struct ProjectionRoutes: Sendable {
    let context: ReportingContext

    static let readers: [Role] = [.ministry, .promotionGroup, .regionOfficial]

    struct MetricList: ResponseEncodable, Sendable {
        struct Entry: Codable, Sendable {
            var name: String
            var unit: String
            var dimension: String
            var summary: String
        }
        var metrics: [Entry]
    }

    struct PilotRegionList: ResponseEncodable, Sendable {
        var regions: [PilotRegionView]
    }

    func add(to router: Router<AppRequestContext>) {
        let queries = ProjectionQueries(context: context)
        router.get("/projections") { _, requestContext in
            try requestContext.require(roles: Self.readers)
            return MetricList(metrics: Metric.allCases.map {
                MetricList.Entry(name: $0.rawValue, unit: $0.unit.rawValue, dimension: $0.dimension, summary: $0.summary)
            })
        }
        router.get("/projections/:metric") { request, requestContext in
            try await series(request, requestContext, queries)
        }
        router.get("/projections/:metric/csv") { request, requestContext in
            let view = try await series(request, requestContext, queries)
            let headers = Download.headers(
                contentType: "text/csv; charset=utf-8",
                fileName: "\(view.metric)-\(view.regionCode ?? "national")-\(view.from)-\(view.to).csv", cacheControl: "no-store")
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: view.csv)))
        }
        router.get("/overview") { request, requestContext in
            try requestContext.require(roles: Self.readers)
            var validator = Validator()
            let region = query(request, "regionCode", &validator) { $0.divisionCode($1, field: "regionCode") }
            let on = query(request, "on", &validator) { $0.calendarDate($1, field: "on") } ?? min(today, context.settings.campaign.upperBound)
            validator.require(context.settings.campaign.contains(on), field: "on", "must lie in the campaign, \(campaignText)")
            try validator.validate()
            let scope = try await self.scope(region, requestContext, queries)
            return try await queries.overview(scope: scope, on: on)
        }
        router.get("/pilot-regions") { _, requestContext in
            try requestContext.require(roles: Self.readers)
            let principal = try requestContext.requirePrincipal()
            return PilotRegionList(regions: try await queries.pilotRegions().filter { region in
                DivisionCode(rawValue: region.regionCode).map { principal.mayView($0) } ?? false
            })
        }
    }

    private var today: CalendarDate { context.settings.clock.today }
    private var campaignText: String {
        "\(context.settings.campaign.lowerBound) to \(context.settings.campaign.upperBound)"
    }

    private func series(
        _ request: Request, _ requestContext: AppRequestContext, _ queries: ProjectionQueries
    ) async throws -> SeriesView {
        try requestContext.require(roles: Self.readers)
        let name = try requestContext.parameters.require("metric")
        guard let metric = Metric(rawValue: name) else { throw ReportingError.metricNotFound(name) }
        var validator = Validator()
        let region = query(request, "regionCode", &validator) { $0.divisionCode($1, field: "regionCode") }
        let campaign = context.settings.campaign
        let from = query(request, "from", &validator) { $0.calendarDate($1, field: "from") } ?? campaign.lowerBound
        let to = query(request, "to", &validator) { $0.calendarDate($1, field: "to") } ?? campaign.upperBound
        let granularity = query(request, "granularity", &validator) {
            $0.oneOf($1, as: Granularity.self, field: "granularity")
        } ?? .day
        validator.require(campaign.contains(from), field: "from", "must lie in the campaign, \(campaignText)")
        validator.require(campaign.contains(to), field: "to", "must lie in the campaign, \(campaignText)")
        validator.require(from <= to, field: "to", "must not be before from (\(from))")
        try validator.validate()
        let scope = try await self.scope(region, requestContext, queries)
        return try await queries.series(metric, scope: scope, from: from, to: to, granularity: granularity)
    }

    /// The scope asked for (a regional official's own region when none is named), if the caller may read it and the
    /// region is one the projections report on.
    private func scope(
        _ region: DivisionCode?, _ requestContext: AppRequestContext, _ queries: ProjectionQueries
    ) async throws -> RegionScope {
        let principal = try requestContext.requirePrincipal()
        let region = region ?? (principal.role == .regionOfficial ? principal.regionCode : nil)
        try requestContext.requireView(of: region)
        if let region, !(try await queries.isKnown(region)) { throw ReportingError.regionNotFound(region.rawValue) }
        return RegionScope(region: region)
    }

    private func query<Value>(
        _ request: Request, _ name: String, _ validator: inout Validator, _ parse: (inout Validator, String) -> Value?
    ) -> Value? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        return parse(&validator, text)
    }
}
