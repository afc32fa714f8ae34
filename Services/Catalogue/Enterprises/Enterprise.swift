import Contracts
import Foundation
import Postgres

/// An enterprise in the directory: manufacturer, e-commerce platform or store, keyed by its credit code.
///
/// The contact phone is personal data: only its keyed hash, ciphertext and masked form are stored, and only the
/// masked form is ever shown.
public struct Enterprise: Codable, Sendable, Equatable {
    public var creditCode: UnifiedSocialCreditCode
    public var name: String
    public var kind: EnterpriseKind
    public var regionCode: DivisionCode
    public var address: String
    public var contactName: String?
    public var contactPhoneMasked: String?
    public var isChainLeader: Bool
    public var industrialCluster: String?
    @InternetTimestamp public var registeredAt: Date
    @InternetTimestamp public var updatedAt: Date

    static let columns = """
        credit_code, name, kind, region_code, address, contact_name, contact_phone_masked, is_chain_leader,
        industrial_cluster, registered_at, updated_at
        """

    init(row: PostgresRow) throws {
        creditCode = try row.creditCode("credit_code")
        name = try row.decode("name", as: String.self)
        kind = try row.enumeration("kind", as: EnterpriseKind.self)
        regionCode = try DivisionCode(validating: try row.decode("region_code", as: String.self))
        address = try row.decode("address", as: String.self)
        contactName = try row.decode("contact_name", as: String?.self)
        contactPhoneMasked = try row.decode("contact_phone_masked", as: String?.self)
        isChainLeader = try row.decode("is_chain_leader", as: Bool.self)
        industrialCluster = try row.decode("industrial_cluster", as: String?.self)
        registeredAt = try row.decode("registered_at", as: Date.self)
        updatedAt = try row.decode("updated_at", as: Date.self)
    }

    /// Reads one enterprise, optionally locking it for an update.
    static func find(
        _ code: UnifiedSocialCreditCode, forUpdate: Bool = false, on connection: PostgresConnection
    ) async throws -> Enterprise? {
        let lock = forUpdate ? " FOR UPDATE" : ""
        let rows = try await connection.query(
            "SELECT \(unescaped: columns) FROM enterprises WHERE credit_code = \(code.rawValue)\(unescaped: lock)")
        return try rows.first.map(Enterprise.init(row:))
    }
}
