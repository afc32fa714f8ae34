import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// Applications to become a pilot region, for region officials (drafting, submission) and ministry officials
/// (reading, reviewing); ``ApplicationDesk`` does the work.
struct ApplicationRoutes: Sendable {
    let context: PilotContext

    struct CreateRequest: Decodable, Sendable {
        var regionCode: String
        var regionName: String
        var workPlan: WorkPlan
        var safetyPlan: SafetyPlanInput?

        static let schema: JSONSchema = .object([
            .required("regionCode", .string(pattern: "^[1-8][0-9]{5}$"), "GB/T 2260 code of a province, city or county (6 digits)."),
            .required("regionName", .text(maxLength: 100), "The region's name."),
            .required("workPlan", WorkPlan.schema, "The work plan."),
            .optional("safetyPlan", SafetyPlanInput.schema, "The safety plan (required before approval; may come later)."),
        ])
    }

    struct ReviewRequest: Decodable, Sendable {
        var opinion: String
        var comment: String?

        static let schema: JSONSchema = .object([
            .required("opinion", .enumeration(ReviewOpinion.self), "concur, object or request-revision."),
            .optional("comment", .string(maxLength: 2000), "Comment (the reason given when rejected or returned)."),
        ])
    }

    struct ApplicationList: ResponseEncodable, Sendable {
        var applications: [ApplicationView]
    }

    func add(to router: Router<AppRequestContext>) {
        let desk = ApplicationDesk(context: context)
        router.post("/applications") { request, requestContext in
            try requestContext.require(role: .regionOfficial)
            let body = try await request.decode(as: CreateRequest.self, schema: CreateRequest.schema, context: requestContext)
            var validator = Validator()
            let code = validator.divisionCode(body.regionCode, field: "regionCode")
            if let code, code.level > .county {
                validator.add(field: "regionCode", reason: "must be a province, city or county code (6 digits)")
            }
            validator.text(body.regionName, field: "regionName", maxLength: 100)
            body.workPlan.validate(into: &validator)
            body.safetyPlan?.validate(into: &validator)
            try validator.validate()
            guard let code else { throw Problem.validation(field: "regionCode", reason: "is required") }
            try requestContext.requireRegion(code)
            let view = try await desk.create(
                region: code, regionName: body.regionName, workPlan: body.workPlan, safetyPlan: body.safetyPlan)
            return EditedResponse(status: .created, response: view)
        }
        router.get("/applications") { request, requestContext in
            let principal = try requestContext.require(role: .ministry, .regionOfficial)
            let query = request.uri.queryParameters
            var validator = Validator()
            var regionFilter = query.get("regionCode")
            if let regionFilter { _ = validator.divisionCode(regionFilter, field: "regionCode") }
            let status = query.get("status")
            if let status { _ = validator.oneOf(status, as: ApplicationStatus.self, field: "status") }
            try validator.validate()
            if principal.role == .regionOfficial {
                regionFilter = regionFilter ?? principal.regionCode?.rawValue
                try requestContext.requireRegion(named: regionFilter ?? "")
            }
            return ApplicationList(applications: try await desk.applications(regionCode: regionFilter, status: status))
        }
        router.get("/applications/:id") { _, requestContext in
            try await readable(try Self.id(requestContext), requestContext, desk: desk)
        }
        router.put("/applications/:id/work-plan") { request, requestContext in
            let id = try Self.id(requestContext)
            try requestContext.require(role: .regionOfficial)
            let plan = try await request.decode(as: WorkPlan.self, schema: WorkPlan.schema, context: requestContext)
            var validator = Validator()
            plan.validate(into: &validator)
            try validator.validate()
            return try await desk.reviseWorkPlan(of: id, to: plan, access: requestContext.regionAccess)
        }
        // The raw body is the document, `Content-Type` its media type and the query's `fileName` its name; an
        // empty or oversized upload changes nothing.
        router.put("/applications/:id/document") { request, requestContext in
            let id = try Self.id(requestContext)
            try requestContext.require(role: .regionOfficial)
            let limit = context.settings.maxDocumentBytes
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: limit)
            } catch {
                throw PilotError.documentTooLarge(limit: limit)
            }
            let bytes = Array(buffer.readableBytesView)
            var validator = Validator()
            validator.require(!bytes.isEmpty, field: "document", "must not be empty")
            let fileName = request.uri.queryParameters.get("fileName") ?? "work-plan"
            validator.require(!fileName.isEmpty && fileName.unicodeScalars.count <= 200, field: "fileName", "must be 1 to 200 characters")
            try validator.validate()
            let document = ApplicationDesk.Document(
                bytes: bytes, fileName: fileName, mediaType: request.headers[.contentType] ?? "application/octet-stream")
            return try await desk.replaceDocument(of: id, with: document, access: requestContext.regionAccess)
        }
        router.get("/applications/:id/document") { _, requestContext in
            let id = try Self.id(requestContext)
            let application = try await readable(id, requestContext, desk: desk)
            guard let document = application.document else { throw PilotError.documentNotFound(applicationID: "\(id)") }
            let bytes = try await desk.documentBytes(of: id)
            // The uploader chose the media type: the document is always a download, never rendered or sniffed.
            var headers = Download.headers(contentType: document.mediaType, fileName: document.fileName)
            headers[.contentLength] = String(bytes.count)
            headers[.eTag] = "\"\(document.sha256)\""
            headers[.contentSecurityPolicy] = "sandbox; default-src 'none'"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.put("/applications/:id/safety-plan") { request, requestContext in
            let id = try Self.id(requestContext)
            try requestContext.require(role: .regionOfficial)
            let plan = try await request.decode(as: SafetyPlanInput.self, schema: SafetyPlanInput.schema, context: requestContext)
            var validator = Validator()
            plan.validate(into: &validator)
            try validator.validate()
            return try await desk.attachSafetyPlan(plan, to: id, access: requestContext.regionAccess)
        }
        router.post("/applications/:id/submission") { _, requestContext in
            let id = try Self.id(requestContext)
            try requestContext.require(role: .regionOfficial)
            return try await desk.submit(id, access: requestContext.regionAccess)
        }
        router.post("/applications/:id/reviews") { request, requestContext in
            let id = try Self.id(requestContext)
            let principal = try requestContext.require(role: .ministry)
            guard let department = principal.department else {
                throw PilotError.departmentRequired
            }
            let body = try await request.decode(as: ReviewRequest.self, schema: ReviewRequest.schema, context: requestContext)
            var validator = Validator()
            let opinion = validator.oneOf(body.opinion, as: ReviewOpinion.self, field: "opinion")
            if let comment = body.comment {
                validator.require(comment.unicodeScalars.count <= 2000, field: "comment", "must be at most 2000 characters")
            }
            try validator.validate()
            guard let opinion else { throw Problem.validation(field: "opinion", reason: "is required") }
            return try await desk.review(
                id, by: department, opinion: opinion, comment: body.comment, reviewer: principal.subject)
        }
    }

    /// The application, if the caller may read it: any ministry official, or an official of its region.
    private func readable(
        _ id: UUID, _ requestContext: AppRequestContext, desk: ApplicationDesk
    ) async throws -> ApplicationView {
        try requestContext.require(role: .ministry, .regionOfficial)
        let view = try await desk.application(id)
        try requestContext.requireRegion(named: view.regionCode)
        return view
    }

    /// `attachment` with the file name in RFC 8187 form (UTF-8, percent-encoded), so no name can break the header.
    static func id(_ requestContext: AppRequestContext) throws -> UUID {
        try RequestValue.uuid(try requestContext.parameters.require("id"), notFound: PilotError.applicationNotFound)
    }
}
