import Contracts
import Foundation
import Postgres
import ServiceKit

/// An enterprise in the directory: manufacturer, e-commerce platform or store, keyed by its credit code.
///
/// The contact person's name and phone are personal data: the name is stored encrypted with a masked form, the
/// phone as keyed hash, ciphertext and masked form. Everyone sees the masked forms; the full name goes only to the
/// enterprise itself and to market regulators (``revealingContactName(to:with:)``); the phone is only ever masked.
public struct Enterprise: Codable, Sendable, Equatable {
    public var creditCode: UnifiedSocialCreditCode
    public var name: String
    public var kind: EnterpriseKind
    public var regionCode: DivisionCode
    public var address: String
    /// The contact person's name in full: set only for callers entitled to it, absent otherwise.
    public var contactName: String?
    public var contactNameMasked: String?
    public var contactPhoneMasked: String?
    public var isChainLeader: Bool
    public var industrialCluster: String?
    @InternetTimestamp public var registeredAt: Date
    @InternetTimestamp public var updatedAt: Date
    /// The name's ciphertext, never encoded.
    var contactNameEncrypted: String? = nil

    enum CodingKeys: String, CodingKey {
        case creditCode, name, kind, regionCode, address, contactName, contactNameMasked, contactPhoneMasked,
             isChainLeader, industrialCluster, registeredAt, updatedAt
    }

    static let columns = """
        credit_code, name, kind, region_code, address, contact_name_encrypted, contact_name_masked,
        contact_phone_masked, is_chain_leader, industrial_cluster, registered_at, updated_at
        """

    init(row: PostgresRow) throws {
        creditCode = try row.creditCode("credit_code")
        name = try row.decode("name", as: String.self)
        kind = try row.enumeration("kind", as: EnterpriseKind.self)
        regionCode = try DivisionCode(validating: try row.decode("region_code", as: String.self))
        address = try row.decode("address", as: String.self)
        contactNameEncrypted = try row.decode("contact_name_encrypted", as: String?.self)
        contactNameMasked = try row.decode("contact_name_masked", as: String?.self)
        contactPhoneMasked = try row.decode("contact_phone_masked", as: String?.self)
        isChainLeader = try row.decode("is_chain_leader", as: Bool.self)
        industrialCluster = try row.decode("industrial_cluster", as: String?.self)
        registeredAt = try row.decode("registered_at", as: Date.self)
        updatedAt = try row.decode("updated_at", as: Date.self)
    }

    /// Whether `principal` may see the contact person's full name: the enterprise itself, and market regulators
    /// (who may have to reach the enterprise in a certification-violation case). Everyone else sees it masked.
    static func mayReadContactName(of code: UnifiedSocialCreditCode, _ principal: Principal?) -> Bool {
        guard let principal else { return false }
        return (principal.role == .enterprise && principal.enterpriseCode == code) || principal.isMarketRegulator
    }

    /// This enterprise as `principal` may see it: with the full contact name when entitled to it.
    func revealingContactName(to principal: Principal?, with protector: PersonalDataProtector) throws -> Enterprise {
        var shown = self
        shown.contactName = nil
        if Self.mayReadContactName(of: creditCode, principal), let sealed = contactNameEncrypted {
            shown.contactName = try protector.decrypt(sealed)
        }
        return shown
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
