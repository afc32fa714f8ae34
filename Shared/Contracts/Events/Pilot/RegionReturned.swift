import Foundation

/// A region's application was returned for revision; the region may resubmit.
///
/// Event type `gbm.pilot.region.returned.v1` on topic `gbm.pilot.regions.v1`; key: `regionCode`.
public struct RegionReturned: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.region.returned.v1", topic: .pilotRegions,
        summary: "A region's application was returned for revision; the region may resubmit.")

    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The returned application.
    public var applicationID: String
    /// Departments that asked for revision.
    public var requestingDepartments: [GuidingDepartment]
    /// What must be revised.
    public var reason: String
    /// When it was returned.
    public var returnedAt: Date

    public var aggregateID: String { regionCode.rawValue }

    public init(
        regionCode: DivisionCode,
        applicationID: String,
        requestingDepartments: [GuidingDepartment],
        reason: String,
        returnedAt: Date
    ) {
        self.regionCode = regionCode
        self.applicationID = applicationID
        self.requestingDepartments = requestingDepartments
        self.reason = reason
        self.returnedAt = returnedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("applicationID", .uuid, "The returned application."),
            .required("requestingDepartments", .array(of: .enumeration(GuidingDepartment.self), uniqueItems: true), "Departments that asked for revision."),
            .required("reason", .text(maxLength: 1000), "What must be revised."),
            .required("returnedAt", .dateTime, "When it was returned."),
        ])
    }

    public static var example: RegionReturned {
        RegionReturned(
            regionCode: Example.division("320000"),
            applicationID: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a",
            requestingDepartments: [.mofcom],
            reason: "请补充安全工作方案",
            returnedAt: Example.time("2023-04-06T08:00:00Z")
        )
    }
}
