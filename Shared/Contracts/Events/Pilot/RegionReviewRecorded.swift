import Foundation

/// One guiding department recorded its opinion on a region's application.
///
/// Event type `gbm.pilot.region.review-recorded.v1` on topic `gbm.pilot.regions.v1`; key: `regionCode`.
public struct RegionReviewRecorded: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.region.review-recorded.v1", topic: .pilotRegions,
        summary: "One guiding department recorded its opinion on a region's application.")

    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The application reviewed.
    public var applicationID: String
    /// The reviewing department.
    public var department: GuidingDepartment
    /// Its opinion.
    public var opinion: ReviewOpinion
    /// Its comment.
    public var comment: String?
    /// When the opinion was recorded.
    public var recordedAt: Date

    public var aggregateID: String { regionCode.rawValue }

    public init(
        regionCode: DivisionCode,
        applicationID: String,
        department: GuidingDepartment,
        opinion: ReviewOpinion,
        comment: String? = nil,
        recordedAt: Date
    ) {
        self.regionCode = regionCode
        self.applicationID = applicationID
        self.department = department
        self.opinion = opinion
        self.comment = comment
        self.recordedAt = recordedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("applicationID", .uuid, "The application reviewed."),
            .required("department", .enumeration(GuidingDepartment.self), "The reviewing department."),
            .required("opinion", .enumeration(ReviewOpinion.self), "Its opinion."),
            .optional("comment", .text(maxLength: 2000), "Its comment."),
            .required("recordedAt", .dateTime, "When the opinion was recorded."),
        ])
    }

    public static var example: RegionReviewRecorded {
        RegionReviewRecorded(
            regionCode: Example.division("320000"),
            applicationID: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a",
            department: .mohurd,
            opinion: .concur,
            comment: "方案可行，建议加强县乡两级活动组织",
            recordedAt: Example.time("2023-04-03T06:00:00Z")
        )
    }
}
