import Foundation

/// A subsidy claim was rejected, with every reason that failed.
///
/// Event type `gbm.subsidy.claim.rejected.v1` on topic `gbm.subsidy.claims.v1`; key: `claimID`.
public struct ClaimRejected: EventPayload {
    public static let eventType = EventType(
        name: "gbm.subsidy.claim.rejected.v1", topic: .subsidyClaims,
        summary: "A subsidy claim was rejected, with every reason that failed.")

    /// The claim.
    public var claimID: String
    /// The programme.
    public var programmeID: String
    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The buyer, as a keyed hash (never a name, phone or ID number).
    public var consumerRef: ConsumerRef
    /// Every reason that failed.
    public var reasonCodes: [ClaimRejectionReason]
    /// Why, in words.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When.
    public var rejectedAt: Date

    public var aggregateID: String { claimID }

    public init(
        claimID: String,
        programmeID: String,
        regionCode: DivisionCode,
        consumerRef: ConsumerRef,
        reasonCodes: [ClaimRejectionReason],
        reason: String,
        actorRole: ActorRole,
        rejectedAt: Date
    ) {
        self.claimID = claimID
        self.programmeID = programmeID
        self.regionCode = regionCode
        self.consumerRef = consumerRef
        self.reasonCodes = reasonCodes
        self.reason = reason
        self.actorRole = actorRole
        self.rejectedAt = rejectedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("claimID", .uuid, "The claim."),
            .required("programmeID", .uuid, "The programme."),
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("consumerRef", .consumerRef, "The buyer, as a keyed hash (never a name, phone or ID number)."),
            .required("reasonCodes", .array(of: .enumeration(ClaimRejectionReason.self), minItems: 1, uniqueItems: true), "Every reason that failed."),
            .required("reason", .text(maxLength: 1000), "Why, in words."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("rejectedAt", .dateTime, "When."),
        ])
    }

    public static var example: ClaimRejected {
        ClaimRejected(
            claimID: "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b",
            programmeID: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
            regionCode: Example.division("330000"),
            consumerRef: Example.consumer,
            reasonCodes: [.certificateNotValid, .sellerNotEnrolled],
            reason: "购买日证书处于暂停状态；销售商未在本地区登记",
            actorRole: .system,
            rejectedAt: Example.time("2023-07-12T02:00:00Z")
        )
    }
}
