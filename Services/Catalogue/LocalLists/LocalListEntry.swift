import Contracts
import Foundation
import Postgres

/// A product on a pilot region's local list: certified, or meeting one of the region's technical requirements
/// (with the test report and testing body that show it).
public struct LocalListEntry: Codable, Sendable, Equatable {
    public var entryID: String
    public var regionCode: String
    public var basis: LocalListEntryBasis
    public var certificateNumber: String?
    public var requirementID: String?
    public var testReportNumber: String?
    public var testingBody: String?
    public var manufacturerCreditCode: String
    public var productName: String
    public var model: String
    public var category: ProductCategory
    @InternetTimestamp public var addedAt: Date

    static let columns = """
        id, region_code, basis, certificate_number, requirement_id, test_report_number, testing_body,
        manufacturer_credit_code, product_name, model, product_category, added_at
        """

    init(row: PostgresRow) throws {
        entryID = try row.decode("id", as: String.self)
        regionCode = try row.decode("region_code", as: String.self)
        basis = try row.enumeration("basis", as: LocalListEntryBasis.self)
        certificateNumber = try row.decode("certificate_number", as: String?.self)
        requirementID = try row.decode("requirement_id", as: String?.self)
        testReportNumber = try row.decode("test_report_number", as: String?.self)
        testingBody = try row.decode("testing_body", as: String?.self)
        manufacturerCreditCode = try row.decode("manufacturer_credit_code", as: String.self)
        productName = try row.decode("product_name", as: String.self)
        model = try row.decode("model", as: String.self)
        category = try row.enumeration("product_category", as: ProductCategory.self)
        addedAt = try row.decode("added_at", as: Date.self)
    }

    static func current(region: DivisionCode, on connection: PostgresConnection) async throws -> [LocalListEntry] {
        try await connection.query("""
            SELECT \(unescaped: columns) FROM local_list_entries
            WHERE region_code = \(region.rawValue) AND removed_at IS NULL ORDER BY added_at, id
            """).rows.map(LocalListEntry.init(row:))
    }
}

/// A technical requirement a region publishes for uncertified products: standard, indicator and threshold.
public struct TechnicalRequirement: Codable, Sendable, Equatable {
    public var requirementID: String
    public var regionCode: String
    public var category: ProductCategory
    public var productScope: String
    public var standardCode: String
    public var indicator: String
    public var threshold: String
    public var effectiveOn: CalendarDate
    @InternetTimestamp public var publishedAt: Date

    static func all(region: DivisionCode, on connection: PostgresConnection) async throws -> [TechnicalRequirement] {
        try await connection.query("""
            SELECT id, region_code, product_category, product_scope, standard_code, indicator, threshold, effective_on,
                published_at
            FROM technical_requirements WHERE region_code = \(region.rawValue) ORDER BY published_at, id
            """).rows.map { row in
            TechnicalRequirement(
                requirementID: try row.decode("id", as: String.self),
                regionCode: try row.decode("region_code", as: String.self),
                category: try row.enumeration("product_category", as: ProductCategory.self),
                productScope: try row.decode("product_scope", as: String.self),
                standardCode: try row.decode("standard_code", as: String.self),
                indicator: try row.decode("indicator", as: String.self),
                threshold: try row.decode("threshold", as: String.self),
                effectiveOn: try row.calendarDate("effective_on"),
                publishedAt: try row.decode("published_at", as: Date.self))
        }
    }
}
