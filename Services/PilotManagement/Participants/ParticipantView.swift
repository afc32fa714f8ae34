import Contracts
import Foundation
import Hummingbird
import Postgres

/// An enterprise, e-commerce platform or store enrolled in a pilot region.
struct ParticipantView: ResponseEncodable, Codable, Sendable {
    /// The id, a lower-case UUID as in the events.
    var id: String
    var regionCode: String
    var creditCode: String
    var name: String
    var kind: String
    /// The sales zone (销售专区) the participant runs for the campaign.
    var salesZone: String?
    /// The discount (让利) it pledges, in basis points of the price (500 = 5 %).
    var pledgedDiscountBasisPoints: Int
    var isChainLeader: Bool
    var industrialCluster: String?
    var status: String
    var withdrawalReason: String?
    var enrolledAt: Date
    var withdrawnAt: Date?

    /// The columns ``init(row:)`` reads, for `SELECT \(unescaped: ParticipantView.columns) FROM participant p JOIN known_enterprise e …`.
    static let columns = """
        p.id, p.region_code, p.credit_code, e.name, p.kind, p.sales_zone, p.pledged_discount_basis_points,
        p.is_chain_leader, p.industrial_cluster, p.status, p.withdrawal_reason, p.enrolled_at, p.withdrawn_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id", as: UUID.self).uuidString.lowercased()
        regionCode = try row.decode("region_code", as: String.self)
        creditCode = try row.decode("credit_code", as: String.self)
        name = try row.decode("name", as: String.self)
        kind = try row.decode("kind", as: String.self)
        salesZone = try row.decode("sales_zone", as: String?.self)
        pledgedDiscountBasisPoints = try row.decode("pledged_discount_basis_points", as: Int.self)
        isChainLeader = try row.decode("is_chain_leader", as: Bool.self)
        industrialCluster = try row.decode("industrial_cluster", as: String?.self)
        status = try row.decode("status", as: String.self)
        withdrawalReason = try row.decode("withdrawal_reason", as: String?.self)
        enrolledAt = try row.decode("enrolled_at", as: Date.self)
        withdrawnAt = try row.decode("withdrawn_at", as: Date?.self)
    }
}

extension ParticipantView {
    /// A participant's statuses.
    static let statuses = ["enrolled", "withdrawn"]

    /// The response schema of one participant.
    static let schema: JSONSchema = .object([
        .required("id", .uuid, "The participant."),
        .required("regionCode", .divisionCode, "The pilot region it is enrolled in."),
        .required("creditCode", .creditCode, "The enterprise's unified social credit code."),
        .required("name", .text(maxLength: 200), "Its registered name (from the catalogue)."),
        .required("kind", .enumeration(EnterpriseKind.self), "manufacturer, e-commerce-platform or store."),
        .optional("salesZone", .text(maxLength: 300), "The sales zone (销售专区) it runs for the campaign."),
        .required("pledgedDiscountBasisPoints", .basisPoints, "The discount (让利) it pledges, basis points of the price."),
        .required("isChainLeader", .boolean, "Whether it is a chain leader (链主)."),
        .optional("industrialCluster", .text(maxLength: 200), "Its industrial cluster."),
        .required("status", .values(statuses), "enrolled or withdrawn."),
        .optional("withdrawalReason", .text(maxLength: 500), "Why it was withdrawn."),
        .required("enrolledAt", .dateTime, "Enrolled."),
        .optional("withdrawnAt", .dateTime, "Withdrawn."),
    ])
}
