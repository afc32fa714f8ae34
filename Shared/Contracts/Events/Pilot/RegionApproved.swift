import Foundation

/// A region was approved as a pilot region; it may now hold its launch meeting and keep a local list.
///
/// Event type `gbm.pilot.region.approved.v1` on topic `gbm.pilot.regions.v1`; key: `regionCode`.
public struct RegionApproved: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.region.approved.v1", topic: .pilotRegions,
        summary: "A region was approved as a pilot region; it may now hold its launch meeting and keep a local list.")

    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Name of the region.
    public var regionName: String
    /// The approved application (absent for the seeded 2022 batch).
    public var applicationID: String?
    /// Year of the batch.
    public var batchYear: Int
    /// Departments that concurred.
    public var concurringDepartments: [GuidingDepartment]
    /// Date of approval.
    public var approvedOn: CalendarDate
    /// When the approval was recorded.
    public var approvedAt: Date

    public var aggregateID: String { regionCode.rawValue }

    public init(
        regionCode: DivisionCode,
        regionName: String,
        applicationID: String? = nil,
        batchYear: Int,
        concurringDepartments: [GuidingDepartment],
        approvedOn: CalendarDate,
        approvedAt: Date
    ) {
        self.regionCode = regionCode
        self.regionName = regionName
        self.applicationID = applicationID
        self.batchYear = batchYear
        self.concurringDepartments = concurringDepartments
        self.approvedOn = approvedOn
        self.approvedAt = approvedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("regionName", .text(maxLength: 100), "Name of the region."),
            .optional("applicationID", .uuid, "The approved application (absent for the seeded 2022 batch)."),
            .required("batchYear", .year, "Year of the batch."),
            .required("concurringDepartments", .array(of: .enumeration(GuidingDepartment.self), uniqueItems: true), "Departments that concurred."),
            .required("approvedOn", .date, "Date of approval."),
            .required("approvedAt", .dateTime, "When the approval was recorded."),
        ])
    }

    public static var example: RegionApproved {
        RegionApproved(
            regionCode: Example.division("320000"),
            regionName: "江苏省",
            applicationID: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a",
            batchYear: 2023,
            concurringDepartments: [.miit, .mohurd, .samr],
            approvedOn: Example.day("2023-04-20"),
            approvedAt: Example.time("2023-04-20T08:00:00Z")
        )
    }
}
