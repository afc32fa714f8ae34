import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Batch import of the national list (the certification technical committee only), its reports, and the bulk
/// export (streamed).
struct NationalListRoutes: Sendable {
    let context: CatalogueContext

    /// The largest batch accepted (about 200,000 rows of CSV).
    static let maximumBatchBytes = 64 * 1024 * 1024

    func add(to router: Router<AppRequestContext>) {
        router.post("/national-list/batches") { request, requestContext in
            let principal = try requestContext.require(role: .certificationCommittee)
            let parameters = request.uri.queryParameters
            var validator = Validator()
            let batchID = parameters.get("batch")?.trimmingCharacters(in: .whitespaces) ?? ""
            validator.require(!batchID.isEmpty && batchID.count <= 100, field: "batch", "is required (1–100 characters)")
            let mode = NationalListImportMode(rawValue: parameters.get("mode") ?? "atomic")
            validator.require(mode != nil, field: "mode", "must be atomic or valid-rows-only")
            let contentType = request.headers[.contentType]?.lowercased() ?? ""
            let format: NationalListImport.Format? =
                contentType.hasPrefix("text/csv") ? .csv : contentType.hasPrefix("application/json") ? .json : nil
            validator.require(format != nil, field: "Content-Type", "must be text/csv or application/json")
            try validator.validate()
            let body = try await request.body.collect(upTo: Self.maximumBatchBytes)
            let report = try await NationalListImport(context: context).run(
                batchID: batchID, mode: mode!, format: format!, content: Array(body.readableBytesView),
                actor: .init(role: principal.actorRole, subject: principal.subject))
            return EditedResponse(
                status: report.alreadyImported ? .ok : .created,
                response: ImportReportResponse(report: report, status: "imported", writtenRows: report.importedRows))
        }
        router.get("/national-list/batches/:batchID") { _, requestContext in
            let batchID = try requestContext.parameters.require("batchID")
            let rows = try await context.pool.query(
                "SELECT report, status, imported_rows FROM national_list_batches WHERE batch_id = \(batchID)")
            guard let row = rows.first else { throw Problem.notFound("No batch \(batchID) was imported.", code: "batch-not-found") }
            return ImportReportResponse(
                report: try row.decode("report", as: PostgresJSONB.self).decode(NationalListImportReport.self),
                status: try row.decode("status", as: String.self), writtenRows: try row.decode("imported_rows", as: Int.self))
        }
        router.get("/national-list/export") { request, _ in
            let parameters = request.uri.queryParameters
            let format = try ExportFormat(parameters.get("format"))
            var status: CertificateStatus?
            if let text = parameters.get("status") {
                guard let parsed = CertificateStatus(rawValue: text) else {
                    throw Problem.validation(field: "status", reason: "must be one of "
                                             + CertificateStatus.allCases.map(\.rawValue).joined(separator: ", "))
                }
                status = parsed
            }
            let pool = context.pool
            let pageRows = context.settings.exportPageRows
            let wanted = status?.rawValue
            return try await Export.stream(format: format, name: "national-list", page: { (after: CertificateView?) in
                let filter: PostgresQuery = """
                    (\(wanted)::text IS NULL OR c.status = \(wanted))
                    AND (\(after?.certificateNumber)::text IS NULL OR c.number > \(after?.certificateNumber))
                    """
                return try await pool.withConnection { connection in
                    try await CertificateView.fetch(
                        where: filter.plannedWithValues, orderBy: "c.number", limit: pageRows, on: connection)
                }
            }, pageRows: pageRows)
        }
    }
}

/// A batch's report with where its import stands: `status` `importing` or `imported`, and `writtenRows`, how many
/// of the `importedRows` are written so far (all of them once `imported`).
struct ImportReportResponse: ResponseEncodable, Sendable {
    var report: NationalListImportReport
    var status: String
    var writtenRows: Int

    enum Keys: String, CodingKey { case status, writtenRows }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(status, forKey: .status)
        try container.encode(writtenRows, forKey: .writtenRows)
    }
}
