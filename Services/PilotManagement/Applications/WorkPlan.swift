import Contracts
import ServiceKit

/// The work plan a region applies with: what it sets out to do.
struct WorkPlan: Codable, Sendable, Equatable {
    var title: String
    var summary: String
    /// Goal: number of activities.
    var plannedActivities: Int
    /// Goal: sales of green building materials, in fen.
    var targetedSales: Int64
    /// Subsidy funds the region commits, in fen.
    var subsidyFunds: Int64

    /// Adds the plan's invalid fields to `validator`, named `workPlan.<field>`.
    func validate(into validator: inout Validator) {
        validator.text(title, field: "workPlan.title", maxLength: 200)
        validator.text(summary, field: "workPlan.summary", maxLength: 5000)
        validator.count(plannedActivities, field: "workPlan.plannedActivities")
        validator.fen(targetedSales, field: "workPlan.targetedSales")
        validator.fen(subsidyFunds, field: "workPlan.subsidyFunds")
    }
}

extension WorkPlan {
    /// The schema of a work plan, as sent and as shown.
    static let schema: JSONSchema = .object([
        .required("title", .text(maxLength: 200), "Title of the plan."),
        .required("summary", .text(maxLength: 5000), "What the region sets out to do."),
        .required("plannedActivities", PilotOpenAPI.count, "Goal: number of activities."),
        .required("targetedSales", PilotOpenAPI.fen, "Goal: sales of green building materials, in fen."),
        .required("subsidyFunds", PilotOpenAPI.fen, "Subsidy funds the region commits, in fen."),
    ])
}
