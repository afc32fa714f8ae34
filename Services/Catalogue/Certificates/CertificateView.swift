import Contracts
import Foundation
import Postgres

/// A certified product and its certificate as the API shows it (one certificate per product and model).
public struct CertificateView: Codable, Sendable, Equatable {
    public var certificateNumber: String
    public var holderCreditCode: String
    public var holderName: String
    public var manufacturerCreditCode: String
    public var manufacturerName: String
    public var factoryName: String?
    public var certificationBody: String
    /// The issuing body's unified social credit code, when known: the one body that may change the certificate.
    public var certificationBodyCode: String?
    public var productName: String
    public var model: String
    public var category: ProductCategory
    public var subCategory: String
    public var starGrade: StarGrade
    public var certificationBasis: String
    public var issuedOn: CalendarDate
    public var expiresOn: CalendarDate
    public var status: CertificateStatus
    @InternetTimestamp public var statusChangedAt: Date
    /// Whether a certification-violation report is under investigation (not a status).
    public var underInvestigation: Bool
    public var nationalBatchID: String?
    @InternetTimestamp public var updatedAt: Date
    /// Position in the change feed.
    public var changeSequence: Int64

    /// The select list and joins every certificate read uses.
    static let select = """
        SELECT c.number, c.holder_credit_code, h.name AS holder_name, c.manufacturer_credit_code,
            m.name AS manufacturer_name, c.factory_name, c.certification_body, c.certification_body_code, c.product_name, c.model,
            c.product_category, c.sub_category, c.star_grade, c.certification_basis, c.issued_on, c.expires_on,
            c.status, c.status_changed_at, c.national_batch_id, c.updated_at, c.change_seq,
            EXISTS (SELECT 1 FROM investigation_flags f
                    WHERE f.certificate_number = c.number AND f.cleared_at IS NULL) AS under_investigation
        FROM certificates c
        JOIN enterprises h ON h.credit_code = c.holder_credit_code
        JOIN enterprises m ON m.credit_code = c.manufacturer_credit_code
        """

    init(row: PostgresRow) throws {
        certificateNumber = try row.decode("number", as: String.self)
        holderCreditCode = try row.decode("holder_credit_code", as: String.self)
        holderName = try row.decode("holder_name", as: String.self)
        manufacturerCreditCode = try row.decode("manufacturer_credit_code", as: String.self)
        manufacturerName = try row.decode("manufacturer_name", as: String.self)
        factoryName = try row.decode("factory_name", as: String?.self)
        certificationBody = try row.decode("certification_body", as: String.self)
        certificationBodyCode = try row.decode("certification_body_code", as: String?.self)
        productName = try row.decode("product_name", as: String.self)
        model = try row.decode("model", as: String.self)
        category = try row.enumeration("product_category", as: ProductCategory.self)
        subCategory = try row.decode("sub_category", as: String.self)
        starGrade = try row.enumeration("star_grade", as: StarGrade.self)
        certificationBasis = try row.decode("certification_basis", as: String.self)
        issuedOn = try row.calendarDate("issued_on")
        expiresOn = try row.calendarDate("expires_on")
        status = try row.enumeration("status", as: CertificateStatus.self)
        statusChangedAt = try row.decode("status_changed_at", as: Date.self)
        underInvestigation = try row.decode("under_investigation", as: Bool.self)
        nationalBatchID = try row.decode("national_batch_id", as: String?.self)
        updatedAt = try row.decode("updated_at", as: Date.self)
        changeSequence = try row.decode("change_seq", as: Int64.self)
    }

    /// Certificates matching `condition` (a fragment with bound parameters), in the given trusted order.
    static func fetch(
        where condition: PostgresQuery, orderBy: String, limit: Int, on connection: PostgresConnection
    ) async throws -> [CertificateView] {
        let query = PostgresQuery(
            unsafeSQL: select + " WHERE " + condition.sql + " ORDER BY " + orderBy + " LIMIT \(limit)",
            binds: condition.binds, planning: condition.planning)
        return try await connection.query(query).rows.map(CertificateView.init(row:))
    }

    static func find(_ number: CertificateNumber, on connection: PostgresConnection) async throws -> CertificateView? {
        try await fetch(where: "c.number = \(number)", orderBy: "c.number", limit: 1, on: connection).first
    }
}

/// One change of a certificate's status: what, from and to which status, why, by whom and when.
public struct CertificateStatusChange: Codable, Sendable, Equatable {
    public var action: CertificateAction
    public var fromStatus: CertificateStatus?
    public var toStatus: CertificateStatus
    public var reason: String
    public var actorRole: ActorRole
    @InternetTimestamp public var changedAt: Date

    static func history(of number: CertificateNumber, on connection: PostgresConnection) async throws -> [CertificateStatusChange] {
        let rows = try await connection.query("""
            SELECT action, from_status, to_status, reason, actor_role, changed_at FROM certificate_status_history
            WHERE certificate_number = \(number) ORDER BY changed_at, id
            """)
        return try rows.rows.map { row in
            CertificateStatusChange(
                action: try row.enumeration("action", as: CertificateAction.self),
                fromStatus: try row.decode("from_status", as: String?.self).flatMap(CertificateStatus.init(rawValue:)),
                toStatus: try row.enumeration("to_status", as: CertificateStatus.self),
                reason: try row.decode("reason", as: String.self),
                actorRole: try row.enumeration("actor_role", as: ActorRole.self),
                changedAt: try row.decode("changed_at", as: Date.self))
        }
    }
}

/// An open or cleared investigation flag on a certified product.
public struct InvestigationFlag: Codable, Sendable, Equatable {
    public var violationReportID: String
    public var violationKind: ViolationKind
    public var regionCode: String
    @InternetTimestamp public var reportedAt: Date
    @InternetTimestamp public var flaggedAt: Date
    public var clearedAt: Date?
    public var clearanceReason: String?

    static func flags(of number: CertificateNumber, on connection: PostgresConnection) async throws -> [InvestigationFlag] {
        let rows = try await connection.query("""
            SELECT violation_report_id, violation_kind, region_code, reported_at, flagged_at, cleared_at, clearance_reason
            FROM investigation_flags WHERE certificate_number = \(number) ORDER BY flagged_at
            """)
        return try rows.rows.map { row in
            InvestigationFlag(
                violationReportID: try row.decode("violation_report_id", as: String.self),
                violationKind: try row.enumeration("violation_kind", as: ViolationKind.self),
                regionCode: try row.decode("region_code", as: String.self),
                reportedAt: try row.decode("reported_at", as: Date.self),
                flaggedAt: try row.decode("flagged_at", as: Date.self),
                clearedAt: try row.decode("cleared_at", as: Date?.self),
                clearanceReason: try row.decode("clearance_reason", as: String?.self))
        }
    }
}
