import Contracts
import Hummingbird
import ServiceKit

/// Regions with status, batch and counts for officials, the summary report, and the public list of approved
/// regions; ``RegionRegistry`` does the work.
struct RegionRoutes: Sendable {
    let context: PilotContext

    struct RegionList: ResponseEncodable, Sendable {
        var regions: [RegionSummary]
    }

    /// An approved region as the public sees it.
    struct PublicRegion: Encodable, Sendable {
        var code: String
        var name: String
        var level: String
        var batchYear: Int?
        var approvedOn: String?

        static let schema: JSONSchema = .object([
            .required("code", .divisionCode, "GB/T 2260 code of the region."),
            .required("name", .text(maxLength: 100), "Name."),
            .required("level", .enumeration(DivisionCode.Level.self), "province, city or county."),
            .optional("batchYear", .year, "Batch it was approved in."),
            .optional("approvedOn", .date, "Day it was approved."),
        ])
    }

    struct PublicRegionList: ResponseEncodable, Sendable {
        var regions: [PublicRegion]
    }

    func add(to router: Router<AppRequestContext>) {
        let registry = RegionRegistry(context: context)
        router.get("/regions") { request, requestContext in
            // A ministry official sees every region; a regional official, as for `/regions/{code}`, only its own
            // region and the divisions under it.
            let principal = try requestContext.require(role: .ministry, .regionOfficial)
            let (status, batch) = try Self.filters(request)
            let regions = try await registry.summaries(status: status, batchYear: batch)
            return RegionList(regions: regions.filter { summary in
                principal.role == .ministry || (DivisionCode(rawValue: summary.code).map(principal.mayAct(in:)) ?? false)
            })
        }
        router.get("/regions/:code") { _, requestContext in
            let code = try RequestValue.regionCode(requestContext)
            try requestContext.requireRegion(code)
            return try await registry.summary(of: code)
        }
        router.get("/public/regions") { request, _ in
            let (_, batch) = try Self.filters(request)
            let regions = try await registry.summaries(status: "approved", batchYear: batch)
            return PublicRegionList(regions: regions.map {
                PublicRegion(code: $0.code, name: $0.name, level: $0.level, batchYear: $0.batchYear, approvedOn: $0.approvedOn)
            })
        }
    }

    /// The list's filters: `status` (applicant, approved or rejected) and `batchYear`.
    private static func filters(_ request: Request) throws(Problem) -> (String?, Int?) {
        let query = request.uri.queryParameters
        var validator = Validator()
        let status = query.get("status")
        if let status {
            validator.require(RegionSummary.statuses.contains(status), field: "status",
                              "must be one of " + RegionSummary.statuses.joined(separator: ", "))
        }
        var batch: Int?
        if let text = query.get("batchYear") {
            batch = Int(text)
            validator.require(batch.map { (2000...2100).contains($0) } ?? false, field: "batchYear", "must be a year")
        }
        try validator.validate()
        return (status, batch)
    }
}
