import Contracts
import Foundation
import Hummingbird
import Postgres

/// A pilot activity as callers see it: where and when, and how it turned out.
struct ActivityView: ResponseEncodable, Codable, Sendable {
    struct Outcome: Codable, Sendable, Equatable {
        var attendance: Int
        var enterprisesPresent: Int
        var productsShown: Int
        /// Sales during the activity, in fen.
        var sales: Int64
        var onlinePageViews: Int
    }

    /// The id, a lower-case UUID as in the events.
    var id: String
    var regionCode: String
    var regionName: String
    var type: String
    var mode: String
    var level: String
    var placeCode: String
    var title: String
    var startsOn: String
    var endsOn: String
    var safetyPlanReference: String?
    var status: String
    var outcome: Outcome?
    var cancellationReason: String?

    /// The columns ``init(row:)`` reads, for `SELECT \(unescaped: ActivityView.columns) FROM activity a JOIN region r …`.
    static let columns = """
        a.id, a.region_code, r.name AS region_name, a.kind, a.mode, a.level, a.place_code, a.title,
        a.starts_on::text AS starts_on, a.ends_on::text AS ends_on, a.safety_plan_reference, a.status, a.attendance,
        a.enterprises_present, a.products_shown, a.sales_fen, a.online_page_views, a.cancellation_reason
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id", as: String.self)  // PostgreSQL writes a uuid in lower case, as the API does
        regionCode = try row.decode("region_code", as: String.self)
        regionName = try row.decode("region_name", as: String.self)
        type = try row.decode("kind", as: String.self)
        mode = try row.decode("mode", as: String.self)
        level = try row.decode("level", as: String.self)
        placeCode = try row.decode("place_code", as: String.self)
        title = try row.decode("title", as: String.self)
        startsOn = try row.decode("starts_on", as: String.self)
        endsOn = try row.decode("ends_on", as: String.self)
        safetyPlanReference = try row.decode("safety_plan_reference", as: String?.self)
        status = try row.decode("status", as: String.self)
        if let attendance = try row.decode("attendance", as: Int?.self) {
            outcome = Outcome(
                attendance: attendance,
                enterprisesPresent: try row.decode("enterprises_present", as: Int?.self) ?? 0,
                productsShown: try row.decode("products_shown", as: Int?.self) ?? 0,
                sales: try row.decode("sales_fen", as: Int64?.self) ?? 0,
                onlinePageViews: try row.decode("online_page_views", as: Int?.self) ?? 0)
        }
        cancellationReason = try row.decode("cancellation_reason", as: String?.self)
    }
}

extension ActivityView {
    /// An activity's statuses (a launch meeting is recorded as held).
    static let statuses = ["scheduled", "held", "cancelled"]

    /// The response schema of one activity.
    static let schema: JSONSchema = .object([
        .required("id", .uuid, "The activity."),
        .required("regionCode", .divisionCode, "The pilot region."),
        .required("regionName", .text(maxLength: 100), "Its name."),
        .required("type", .enumeration(PilotActivityKind.self), "launch-meeting, public-lecture, special-sales-session, roadshow or online-campaign."),
        .required("mode", .enumeration(ActivityMode.self), "offline or online."),
        .required("level", .enumeration(DivisionCode.Level.self), "Level of the place (province only for a launch meeting)."),
        .required("placeCode", .divisionCode, "Division code of the place, inside the region."),
        .required("title", .text(maxLength: 200), "Title."),
        .required("startsOn", .date, "First day."),
        .required("endsOn", .date, "Last day."),
        .optional("safetyPlanReference", .string(maxLength: 100), "Reference of the safety plan it runs under (required offline)."),
        .required("status", .values(statuses), "scheduled, held or cancelled."),
        .optional("outcome", Outcome.schema, "How it turned out, once held."),
        .optional("cancellationReason", .text(maxLength: 500), "Why it was cancelled."),
    ])
}

extension ActivityView.Outcome {
    /// The schema of an outcome, as recorded (`POST /activities/{id}/outcome`) and shown.
    static let schema: JSONSchema = .object([
        .required("attendance", PilotOpenAPI.count, "People who attended (online: participants)."),
        .required("enterprisesPresent", PilotOpenAPI.count, "Enterprises present."),
        .required("productsShown", PilotOpenAPI.count, "Products shown."),
        .required("sales", PilotOpenAPI.fen, "Sales of green building materials during the activity, in fen."),
        .required("onlinePageViews", PilotOpenAPI.count, "Page views of its online part."),
    ])
}
