import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// Summary reports: a regional official generates its region's report for a campaign year, writes its text,
/// submits it and corrects it; a ministry official acknowledges; ministries and the promotion group read every
/// report, the outstanding list and the national roll-up. ``ReportBook`` does the work.
struct ReportRoutes: Sendable {
    let context: ReportingContext

    struct GenerateRequest: Decodable, Sendable {
        var campaignYear: Int
    }

    struct CorrectionRequest: Decodable, Sendable {
        var reason: String
        var text: RegionText?
    }

    struct SchemaResponse: ResponseEncodable, Sendable {
        var schema: JSONValue
        func encode(to encoder: any Encoder) throws { try schema.encode(to: encoder) }
    }

    func add(to router: Router<AppRequestContext>) {
        let book = ReportBook(context: context)
        let years = context.settings.campaign.lowerBound.year...context.settings.campaign.upperBound.year
        router.post("/regions/:code/summary-reports") { request, requestContext in
            try requestContext.require(role: .regionOfficial)
            let code = try requestContext.parameters.require("code")
            guard let region = DivisionCode(rawValue: code) else { throw ReportingError.notAPilotRegion(code) }
            try requestContext.requireRegion(region)
            let body = try await request.decode(as: GenerateRequest.self, context: requestContext)
            var validator = Validator()
            validator.require(years.contains(body.campaignYear), field: "campaignYear", "must be a campaign year, \(years.lowerBound)–\(years.upperBound)")
            try validator.validate()
            return EditedResponse(status: .created, response: try await book.generate(region: region, year: body.campaignYear))
        }
        router.get("/summary-reports/:id") { request, requestContext in
            let id = try Self.id(requestContext)
            try requestContext.require(roles: ProjectionRoutes.readers)
            return try await book.view(id, version: try Self.version(request)) { region in
                try requestContext.requireView(of: DivisionCode(rawValue: region))
            }
        }
        let renderer = PDFRenderer(executable: context.settings.pdfRenderer)
        router.get("/summary-reports/:id/html") { request, requestContext in
            let (report, html) = try await Self.printable(request, requestContext, book)
            // Shown in the browser, printable from it; nothing in it may run or load (its styles and charts are inline).
            let headers: HTTPFields = [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "inline; filename=\"\(Self.fileName(report, extension: "html"))\"",
                HTTPField.Name("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ]
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        router.get("/summary-reports/:id/pdf") { request, requestContext in
            let (report, html) = try await Self.printable(request, requestContext, book)
            let pdf = try await renderer.render(html)
            let headers = Download.headers(
                contentType: "application/pdf", fileName: Self.fileName(report, extension: "pdf"), cacheControl: "no-store")
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: pdf)))
        }
        router.put("/summary-reports/:id/text") { request, requestContext in
            let id = try Self.id(requestContext)
            try requestContext.require(role: .regionOfficial)
            let text = try await request.decode(as: RegionText.self, context: requestContext)
            var validator = Validator()
            text.validate(into: &validator)
            try validator.validate()
            return try await book.edit(id, text: text, access: requestContext.regionAccess)
        }
        router.post("/summary-reports/:id/submission") { _, requestContext in
            let id = try Self.id(requestContext)
            try requestContext.require(role: .regionOfficial)
            return try await book.submit(id, access: requestContext.regionAccess)
        }
        router.post("/summary-reports/:id/acknowledgement") { _, requestContext in
            let id = try Self.id(requestContext)
            let principal = try requestContext.require(role: .ministry)
            return try await book.acknowledge(id, by: principal)
        }
        router.post("/summary-reports/:id/corrections") { request, requestContext in
            let id = try Self.id(requestContext)
            try requestContext.require(role: .regionOfficial)
            let body = try await request.decode(as: CorrectionRequest.self, context: requestContext)
            var validator = Validator()
            validator.text(body.reason, field: "reason", maxLength: 2000)
            body.text?.validate(into: &validator, prefix: "text.")
            try validator.validate()
            return EditedResponse(status: .created, response: try await book.correct(
                id, reason: body.reason, text: body.text, access: requestContext.regionAccess))
        }
        router.get("/campaigns/:year/outstanding-reports") { _, requestContext in
            try requestContext.require(role: .ministry, .promotionGroup)
            let year = try Self.year(requestContext, years)
            return OutstandingList(campaignYear: year, deadline: context.settings.campaigns.summaryReportDue(year: year).description,
                                   regions: try await book.outstanding(year: year))
        }
        router.get("/campaigns/:year/national-report") { _, requestContext in
            try requestContext.require(role: .ministry, .promotionGroup)
            return try await book.national(year: try Self.year(requestContext, years))
        }
        router.get("/summary-report-schema") { _, _ in
            SchemaResponse(schema: ReportSchema.document)
        }
    }

    /// A version (the latest, or `version`) and its printable document, for a reader who may see its region.
    static func printable(
        _ request: Request, _ requestContext: AppRequestContext, _ book: ReportBook
    ) async throws -> (ReportView, String) {
        let id = try Self.id(requestContext)
        try requestContext.require(roles: ProjectionRoutes.readers)
        let version = try Self.version(request)
        let report = try await book.view(id, version: version) { region in
            try requestContext.requireView(of: DivisionCode(rawValue: region))
        }
        let html = SummaryReportHTML.render(report.document, status: .init(
            status: report.status, contentSHA256: report.contentSHA256, submittedAt: report.submittedAt))
        return (report, html)
    }

    /// `version`, when asked for: 1 to 10000.
    static func version(_ request: Request) throws -> Int? {
        guard let text = request.uri.queryParameters.get("version") else { return nil }
        var validator = Validator()
        let version = Int(text)
        validator.require(version.map { (1...10_000).contains($0) } ?? false, field: "version", "must be a whole number from 1 to 10000")
        try validator.validate()
        return version
    }

    /// `summary-report-330100-2023-v2.pdf`.
    static func fileName(_ report: ReportView, extension suffix: String) -> String {
        "summary-report-\(report.regionCode)-\(report.campaignYear)-v\(report.version).\(suffix)"
    }

    /// A path id; anything that is not a UUID names no report.
    static func id(_ context: AppRequestContext) throws -> UUID {
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else { throw ReportingError.reportNotFound(text) }
        return id
    }

    static func year(_ context: AppRequestContext, _ years: ClosedRange<Int>) throws -> Int {
        let text = try context.parameters.require("year")
        guard let year = Int(text), years.contains(year) else {
            throw Problem.validation(field: "year", reason: "must be a campaign year, \(years.lowerBound)–\(years.upperBound)")
        }
        return year
    }
}
