import Foundation

/// A region's application was rejected.
///
/// Event type `gbm.pilot.region.rejected.v1` on topic `gbm.pilot.regions.v1`; key: `regionCode`.
public struct RegionRejected: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.region.rejected.v1", topic: .pilotRegions,
        summary: "A region's application was rejected.")

    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The rejected application.
    public var applicationID: String
    /// Departments that objected.
    public var objectingDepartments: [GuidingDepartment]
    /// Why it was rejected.
    public var reason: String
    /// When it was rejected.
    public var rejectedAt: Date

    public var aggregateID: String { regionCode.rawValue }

    public init(
        regionCode: DivisionCode,
        applicationID: String,
        objectingDepartments: [GuidingDepartment],
        reason: String,
        rejectedAt: Date
    ) {
        self.regionCode = regionCode
        self.applicationID = applicationID
        self.objectingDepartments = objectingDepartments
        self.reason = reason
        self.rejectedAt = rejectedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("applicationID", .uuid, "The rejected application."),
            .required("objectingDepartments", .array(of: .enumeration(GuidingDepartment.self), uniqueItems: true), "Departments that objected."),
            .required("reason", .text(maxLength: 1000), "Why it was rejected."),
            .required("rejectedAt", .dateTime, "When it was rejected."),
        ])
    }

    public static var example: RegionRejected {
        RegionRejected(
            regionCode: Example.division("320000"),
            applicationID: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a",
            objectingDepartments: [.samr],
            reason: "本批次名额已满",
            rejectedAt: Example.time("2023-04-20T08:00:00Z")
        )
    }
}
