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

    /// The campaign year in force, as its notice sets it (`seeds/campaign/<year>.json`).
    struct CampaignView: ResponseEncodable, Sendable {
        var notice: CampaignNotice

        func encode(to encoder: any Encoder) throws { try notice.encode(to: encoder) }

        static let batch: JSONSchema = .object([
            .required("year", .year, "Batch year."),
            .required("name", .text(maxLength: 200), "Name."),
            .required("regionCap", .integer(minimum: 1, maximum: 1000), "How many regions it may hold."),
            .optional("approvedOn", .date, "Day its regions were approved, for a batch approved before the platform ran."),
        ])

        static let schema: JSONSchema = .object([
            .required("year", .year, "The campaign year."),
            .required("title", .text(maxLength: 500), "The notice's title."),
            .optional("number", .text(maxLength: 200), "The notice's document number (文号), where recorded."),
            .optional("issuedOn", .date, "Day the notice was issued, where recorded."),
            .required("issuers", .array(of: .text(maxLength: 200)), "The issuing offices."),
            .required("theme", .text(maxLength: 500), "The campaign's theme."),
            .required("startsOn", .date, "First day of the campaign year: activities are planned from it."),
            .required("endsOn", .date, "Last day of the campaign year."),
            .required("summaryReportDueOn", .date, "Day every pilot region's summary report is due."),
            .required("batch", batch, "The batch new applications join, and its cap."),
            .required("earlierBatches", .array(of: batch), "The batches that carry on."),
            .required("promotionGroup", .array(of: .object([
                .required("name", .text(maxLength: 200), "Body."),
                .required("role", .text(maxLength: 500), "Its part."),
            ])), "The promotion group's bodies."),
            .required("contacts", .array(of: .object([
                .required("office", .text(maxLength: 200), "Office."),
                .optional("phone", .text(maxLength: 50), "Telephone."),
            ])), "Offices the notice names for questions."),
        ])
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
        router.get("/campaign") { _, _ in
            CampaignView(notice: context.settings.campaign)
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
