import Foundation

/// A region submitted (or resubmitted) its application to become a pilot region, with its work plan.
///
/// Event type `gbm.pilot.region.application-submitted.v1` on topic `gbm.pilot.regions.v1`; key: `regionCode`.
public struct RegionApplicationSubmitted: EventPayload {
    public static let eventType = EventType(
        name: "gbm.pilot.region.application-submitted.v1", topic: .pilotRegions,
        summary: "A region submitted (or resubmitted) its application to become a pilot region, with its work plan.")

    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// Name of the region.
    public var regionName: String
    /// The application's id.
    public var applicationID: String
    /// Year of the batch applied for.
    public var batchYear: Int
    /// Title of the work plan.
    public var workPlanTitle: String
    /// Goal: number of activities.
    public var plannedActivities: Int
    /// Goal: sales of green building materials, in fen.
    public var targetedSales: Fen
    /// Subsidy funds the region commits, in fen.
    public var subsidyFunds: Fen
    /// SHA-256 of the uploaded work plan document.
    public var workPlanSHA256: String
    /// Whether a safety plan is attached (required before approval).
    public var hasSafetyPlan: Bool
    /// When it was submitted.
    public var submittedAt: Date

    public var aggregateID: String { regionCode.rawValue }

    public init(
        regionCode: DivisionCode,
        regionName: String,
        applicationID: String,
        batchYear: Int,
        workPlanTitle: String,
        plannedActivities: Int,
        targetedSales: Fen,
        subsidyFunds: Fen,
        workPlanSHA256: String,
        hasSafetyPlan: Bool,
        submittedAt: Date
    ) {
        self.regionCode = regionCode
        self.regionName = regionName
        self.applicationID = applicationID
        self.batchYear = batchYear
        self.workPlanTitle = workPlanTitle
        self.plannedActivities = plannedActivities
        self.targetedSales = targetedSales
        self.subsidyFunds = subsidyFunds
        self.workPlanSHA256 = workPlanSHA256
        self.hasSafetyPlan = hasSafetyPlan
        self.submittedAt = submittedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("regionName", .text(maxLength: 100), "Name of the region."),
            .required("applicationID", .uuid, "The application's id."),
            .required("batchYear", .year, "Year of the batch applied for."),
            .required("workPlanTitle", .text(maxLength: 200), "Title of the work plan."),
            .required("plannedActivities", .count, "Goal: number of activities."),
            .required("targetedSales", .fen, "Goal: sales of green building materials, in fen."),
            .required("subsidyFunds", .fen, "Subsidy funds the region commits, in fen."),
            .required("workPlanSHA256", .sha256, "SHA-256 of the uploaded work plan document."),
            .required("hasSafetyPlan", .boolean, "Whether a safety plan is attached (required before approval)."),
            .required("submittedAt", .dateTime, "When it was submitted."),
        ])
    }

    public static var example: RegionApplicationSubmitted {
        RegionApplicationSubmitted(
            regionCode: Example.division("320000"),
            regionName: "江苏省",
            applicationID: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a",
            batchYear: 2023,
            workPlanTitle: "江苏省2023年绿色建材下乡活动实施方案",
            plannedActivities: 60,
            targetedSales: Fen(yuan: 500_000_000),
            subsidyFunds: Fen(yuan: 20_000_000),
            workPlanSHA256: Example.digest,
            hasSafetyPlan: true,
            submittedAt: Example.time("2023-03-15T07:00:00Z")
        )
    }
}
