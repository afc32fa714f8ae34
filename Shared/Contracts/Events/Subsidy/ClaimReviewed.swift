import Foundation

/// A reviewer decided on a held subsidy claim.
///
/// Event type `gbm.subsidy.claim.reviewed.v1` on topic `gbm.subsidy.claims.v1`; key: `claimID`.
public struct ClaimReviewed: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.claim.reviewed.v1", topic: .subsidyClaims,
        summary: "A reviewer decided on a held subsidy claim.")

    /// The claim.
    public var claimID: String
    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The reviewer's decision.
    public var decision: ClaimReviewDecision
    /// Distinct approvals so far.
    public var approvals: Int
    /// Approvals needed.
    public var reviewsRequired: Int
    /// Whether this review decided the claim (an approval or rejection event follows).
    public var isFinal: Bool
    /// The reviewer's comment.
    public var comment: String?
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var reviewedAt: Date

    public var aggregateID: String { claimID }

    public init(
        claimID: String,
        programmeID: String,
        regionCode: DivisionCode,
        decision: ClaimReviewDecision,
        approvals: Int,
        reviewsRequired: Int,
        isFinal: Bool,
        comment: String? = nil,
        actorRole: ActorRole,
        reviewedAt: Date
    ) {
        self.claimID = claimID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.decision = decision
        self.approvals = approvals
        self.reviewsRequired = reviewsRequired
        self.isFinal = isFinal
        self.comment = comment
        self.actorRole = actorRole
        self.reviewedAt = reviewedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("claimID", .uuid, "The claim."),
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("decision", .enumeration(ClaimReviewDecision.self), "The reviewer's decision."),
            .required("approvals", .integer(minimum: 0, maximum: 2), "Distinct approvals so far."),
            .required("reviewsRequired", .integer(minimum: 1, maximum: 2), "Approvals needed."),
            .required("isFinal", .boolean, "Whether this review decided the claim (an approval or rejection event follows)."),
            .optional("comment", .text(maxLength: 1000), "The reviewer's comment."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("reviewedAt", .dateTime, "When."),
        ])
    }

    public static var example: ClaimReviewed {
        ClaimReviewed(
            claimID: "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            decision: .approve,
            approvals: 1,
            reviewsRequired: 2,
            isFinal: false,
            comment: "发票与银行流水一致",
            actorRole: .regionalOfficial,
            reviewedAt: Example.time("2023-07-10T02:00:00Z")
        )
    }
}
