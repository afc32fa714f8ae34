import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Changes to a region's local list and technical requirements, each with its event on
/// `gbm.catalogue.local-lists.v1` (key: the region code) in the same transaction.
struct LocalListBook: Sendable {
    let context: CatalogueContext

    struct RequirementInput: Decodable, Sendable {
        var category: String?
        var productScope: String?
        var standardCode: String?
        var indicator: String?
        var threshold: String?
        var effectiveOn: String?
    }

    struct EntryInput: Decodable, Sendable {
        var basis: String?
        var certificateNumber: String?
        var requirementID: String?
        var testReportNumber: String?
        var testingBody: String?
        var manufacturerCreditCode: String?
        var productName: String?
        var model: String?
    }

    func publishRequirement(
        _ input: RequirementInput, region: DivisionCode, actor: ActorRole, on connection: PostgresConnection
    ) async throws -> TechnicalRequirement {
        var validator = Validator()
        func text(_ value: String?, _ field: String, max: Int) -> String {
            let trimmed = value?.trimmingCharacters(in: .whitespaces) ?? ""
            validator.require(!trimmed.isEmpty && trimmed.unicodeScalars.count <= max, field: field, "is required (1–\(max) characters)")
            return trimmed
        }
        let category = ProductCategory(rawValue: input.category ?? "")
        validator.require(category != nil, field: "category",
                          "unknown category; one of " + ProductCategory.allCases.map(\.rawValue).joined(separator: ", "))
        let scope = text(input.productScope, "productScope", max: 200)
        let standard = text(input.standardCode, "standardCode", max: 100)
        let indicator = text(input.indicator, "indicator", max: 200)
        let threshold = text(input.threshold, "threshold", max: 100)
        let effective = input.effectiveOn.flatMap { CalendarDate($0) } ?? (input.effectiveOn == nil ? context.clock.today : nil)
        validator.require(effective != nil, field: "effectiveOn", "must be a date YYYY-MM-DD")
        try validator.validate()
        try await ApprovedRegions.requireApproved(region, on: connection)
        let id = UUID()
        let now = context.clock.now()
        try await connection.query("""
            INSERT INTO technical_requirements (id, region_code, product_category, product_scope, standard_code,
                indicator, threshold, effective_on, published_at)
            VALUES (\(id), \(region.rawValue), \(category!.rawValue), \(scope), \(standard), \(indicator), \(threshold),
                \(effective!.description)::date, \(now))
            """)
        try await context.outbox.append(LocalListRequirementPublished(
            regionCode: region, requirementID: id.postgresText!, category: category!, productScope: scope,
            standardCode: standard, indicator: indicator, threshold: threshold, effectiveOn: effective!,
            actorRole: actor, publishedAt: now), on: connection, time: now)
        return TechnicalRequirement(
            requirementID: id.postgresText!, regionCode: region.rawValue, category: category!, productScope: scope,
            standardCode: standard, indicator: indicator, threshold: threshold, effectiveOn: effective!, publishedAt: now)
    }

    func addEntry(
        _ input: EntryInput, region: DivisionCode, actor: ActorRole, on connection: PostgresConnection
    ) async throws -> LocalListEntry {
        var validator = Validator()
        let basis = LocalListEntryBasis(rawValue: input.basis ?? "")
        validator.require(basis != nil, field: "basis",
                          "must be one of " + LocalListEntryBasis.allCases.map(\.rawValue).joined(separator: ", "))
        try validator.validate()
        try await ApprovedRegions.requireApproved(region, on: connection)
        let id = UUID()
        let now = context.clock.now()
        var certificateNumber: CertificateNumber?
        var requirementID: UUID?
        var testReport: String?
        var testingBody: String?
        let manufacturer: UnifiedSocialCreditCode
        let productName: String
        let model: String
        let category: ProductCategory
        switch basis! {
        case .certified:
            guard let number = input.certificateNumber.flatMap(CertificateNumber.init(rawValue:)) else {
                throw Problem.validation(field: "certificateNumber", reason: "is required for a certified entry; " + CertificateNumber.rule)
            }
            let rows = try await connection.query("""
                SELECT manufacturer_credit_code, product_name, model, product_category, status
                FROM certificates WHERE number = \(number)
                """)
            guard let row = rows.first else {
                throw Problem.validation(field: "certificateNumber", reason: "no certificate has this number")
            }
            let status = try row.enumeration("status", as: CertificateStatus.self)
            guard status == .valid else {
                throw Problem.validation(field: "certificateNumber", reason: "the certificate is \(status.rawValue), not valid")
            }
            certificateNumber = number
            manufacturer = try row.creditCode("manufacturer_credit_code")
            productName = try row.decode("product_name", as: String.self)
            model = try row.decode("model", as: String.self)
            category = try row.enumeration("product_category", as: ProductCategory.self)
        case .technicalRequirement:
            var validator = Validator()
            let requirement = input.requirementID.flatMap(UUID.init(uuidString:))
            validator.require(requirement != nil, field: "requirementID", "is required for a technical-requirement entry (a UUID)")
            let report = input.testReportNumber?.trimmingCharacters(in: .whitespaces) ?? ""
            validator.require(!report.isEmpty && report.count <= 100, field: "testReportNumber", "is required (1–100 characters)")
            let body = input.testingBody?.trimmingCharacters(in: .whitespaces) ?? ""
            validator.require(!body.isEmpty && body.count <= 200, field: "testingBody", "is required (1–200 characters)")
            var code: UnifiedSocialCreditCode?
            if let text = input.manufacturerCreditCode {
                code = validator.check(field: "manufacturerCreditCode") { try UnifiedSocialCreditCode(validating: text) }
            } else {
                validator.add(field: "manufacturerCreditCode", reason: "is required")
            }
            let name = input.productName?.trimmingCharacters(in: .whitespaces) ?? ""
            validator.require(!name.isEmpty && name.count <= 200, field: "productName", "is required (1–200 characters)")
            let modelText = input.model?.trimmingCharacters(in: .whitespaces) ?? ""
            validator.require(!modelText.isEmpty && modelText.count <= 200, field: "model", "is required (1–200 characters)")
            try validator.validate()
            let rows = try await connection.query("""
                SELECT product_category FROM technical_requirements
                WHERE id = \(requirement!) AND region_code = \(region.rawValue)
                """)
            guard let row = rows.first else { throw CatalogueError.requirementNotFound(requirement!.postgresText!) }
            requirementID = requirement
            testReport = report
            testingBody = body
            manufacturer = code!
            productName = name
            model = modelText
            category = try row.enumeration("product_category", as: ProductCategory.self)
        }
        do {
            try await connection.query("SAVEPOINT add_entry")
            try await connection.query("""
                INSERT INTO local_list_entries (id, region_code, basis, certificate_number, requirement_id,
                    test_report_number, testing_body, manufacturer_credit_code, product_name, model, product_category,
                    added_at)
                VALUES (\(id), \(region.rawValue), \(basis!.rawValue), \(certificateNumber), \(requirementID),
                    \(testReport), \(testingBody), \(manufacturer.rawValue), \(productName), \(model), \(category.rawValue),
                    \(now))
                """)
        } catch let error as PostgresError where error.isUniqueViolation {
            try await connection.query("ROLLBACK TO SAVEPOINT add_entry")
            throw CatalogueError.alreadyOnLocalList(certificate: certificateNumber?.rawValue ?? "", region: region.rawValue)
        }
        if let certificateNumber {
            try await connection.query("""
                UPDATE certificates SET updated_at = \(now), change_seq = nextval('certificate_change_seq')
                WHERE number = \(certificateNumber)
                """)
        }
        try await context.outbox.append(LocalListEntryAdded(
            regionCode: region, entryID: id.postgresText!, basis: basis!, certificateNumber: certificateNumber,
            requirementID: requirementID?.postgresText, testReportNumber: testReport, testingBody: testingBody,
            manufacturerCreditCode: manufacturer, productName: productName, model: model, category: category,
            actorRole: actor, addedAt: now), on: connection, time: now)
        let rows = try await connection.query(
            "SELECT \(unescaped: LocalListEntry.columns) FROM local_list_entries WHERE id = \(id)")
        return try LocalListEntry(row: rows.first!)
    }

    func removeEntry(
        _ entryID: UUID, region: DivisionCode, reason: String, actor: ActorRole, on connection: PostgresConnection
    ) async throws {
        try await ApprovedRegions.requireApproved(region, on: connection)
        let now = context.clock.now()
        let rows = try await connection.query("""
            UPDATE local_list_entries SET removed_at = \(now), removal_reason = \(reason)
            WHERE id = \(entryID) AND region_code = \(region.rawValue) AND removed_at IS NULL
            RETURNING certificate_number
            """)
        guard let row = rows.first else { throw CatalogueError.entryNotFound(entryID.postgresText!) }
        let certificateNumber = try row.decode("certificate_number", as: String?.self).map(CertificateNumber.init(validating:))
        if let certificateNumber {
            try await connection.query("""
                UPDATE certificates SET updated_at = \(now), change_seq = nextval('certificate_change_seq')
                WHERE number = \(certificateNumber)
                """)
        }
        try await context.outbox.append(LocalListEntryRemoved(
            regionCode: region, entryID: entryID.postgresText!, certificateNumber: certificateNumber, reason: reason,
            actorRole: actor, removedAt: now), on: connection, time: now)
    }
}
