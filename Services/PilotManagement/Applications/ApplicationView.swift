import Contracts
import Foundation
import Hummingbird

/// A pilot application as callers see it: no personal data in clear (phones masked, names not shown).
struct ApplicationView: ResponseEncodable, Codable, Sendable {
    struct Document: Codable, Sendable {
        var fileName: String
        var mediaType: String
        var sha256: String
        var size: Int
    }

    struct ResponsiblePerson: Codable, Sendable {
        var role: String
        var phone: String
    }

    struct SafetyPlan: Codable, Sendable {
        var measures: String
        var responsiblePersons: [ResponsiblePerson]
    }

    struct Review: Codable, Sendable {
        var round: Int
        var department: String
        var opinion: String
        var comment: String?
        var recordedAt: Date
    }

    /// The id, a lower-case UUID as in the events.
    var id: String
    var regionCode: String
    var regionName: String
    var batchYear: Int
    var status: ApplicationStatus
    var round: Int
    var workPlan: WorkPlan
    var document: Document?
    var safetyPlan: SafetyPlan?
    var reviews: [Review]
    var decisionReason: String?
    var submittedAt: Date?
    var decidedAt: Date?

    /// Whether a safety plan with measures and at least one responsible person is attached.
    var hasSafetyPlan: Bool { safetyPlan.map { !$0.responsiblePersons.isEmpty } ?? false }
}

extension ApplicationView {
    /// The response schema of one application: no personal data in clear.
    static let schema: JSONSchema = .object([
        .required("id", .uuid, "The application."),
        .required("regionCode", .divisionCode, "The applying region (province, city or county)."),
        .required("regionName", .text(maxLength: 100), "Its name."),
        .required("batchYear", .year, "The batch it applies to."),
        .required("status", .enumeration(ApplicationStatus.self), "draft, submitted, under-review, approved, rejected or returned."),
        .required("round", .integer(minimum: 1), "Review round (a returned application is reviewed again in the next)."),
        .required("workPlan", WorkPlan.schema, "The work plan."),
        .optional("document", .object([
            .required("fileName", .text(maxLength: 200), "File name given at upload."),
            .required("mediaType", .string(), "The upload's `Content-Type` (the download's media type)."),
            .required("sha256", .sha256, "SHA-256 of the bytes."),
            .required("size", .integer(minimum: 1), "Size in bytes."),
        ]), "The uploaded work plan document (download: `GET /applications/{id}/document`)."),
        .optional("safetyPlan", .object([
            .required("measures", .text(maxLength: 5000), "The safety measures."),
            .required("responsiblePersons", .array(of: .object([
                .required("role", .text(maxLength: 100), "Their role."),
                .required("phone", .string(pattern: "^[0-9*]{1,15}$"), "Phone, masked (138****5678)."),
            ])), "Responsible persons; names are never shown."),
        ]), "The safety plan, if attached."),
        .required("reviews", .array(of: .object([
            .required("round", .integer(minimum: 1), "Round."),
            .required("department", .enumeration(GuidingDepartment.self), "The reviewing guiding department."),
            .required("opinion", .enumeration(ReviewOpinion.self), "concur, object or request-revision."),
            .optional("comment", .string(maxLength: 2000), "Comment."),
            .required("recordedAt", .dateTime, "When (a department's later opinion in a round replaces its earlier one)."),
        ])), "Reviews of every round, oldest round first."),
        .optional("decisionReason", .text(maxLength: 1000), "Why it was rejected or returned (the departments' comments)."),
        .optional("submittedAt", .dateTime, "Last submitted."),
        .optional("decidedAt", .dateTime, "Approved or rejected."),
    ])
}
