import Contracts
import Foundation
import Postgres
import ServiceKit

/// Loads the sample catalogue in `<seeds>/catalogue/` idempotently: enterprises, national list batches (CSV),
/// status changes, and the local lists with technical requirements of two pilot regions. Loading twice changes
/// nothing the second time, and every change made goes through the same code (and events) as the API.
///
/// The category tree is reference data written by migration 101 (`CategoryTree`), not a seed.
struct CatalogueSeeds: Sendable {
    let context: CatalogueContext
    let directory: String

    struct StatusChange: Decodable {
        var certificateNumber: CertificateNumber
        var action: CertificateAction
        var reason: String
    }

    struct RegionList: Decodable {
        struct Requirement: Decodable {
            var key: String
            var category: String
            var productScope: String
            var standardCode: String
            var indicator: String
            var threshold: String
            var effectiveOn: String
        }

        struct Entry: Decodable {
            var basis: String
            var certificateNumber: String?
            var requirement: String?
            var manufacturerCreditCode: String?
            var productName: String?
            var model: String?
            var testReportNumber: String?
            var testingBody: String?
        }

        var regionCode: String
        var regionName: String
        var batchYear: Int
        var approvedOn: String
        var requirements: [Requirement]
        var entries: [Entry]
    }

    var folder: URL { URL(fileURLWithPath: directory).appendingPathComponent("catalogue") }

    func load() async throws {
        guard FileManager.default.fileExists(atPath: folder.path) else { return }
        try await loadEnterprises()
        try await loadNationalLists()
        try await loadStatusChanges()
        try await loadLocalLists()
        context.logger.info("catalogue seeds loaded", metadata: ["seeds.directory": "\(folder.path)"])
    }

    private func read(_ name: String) throws -> Data? {
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try Data(contentsOf: url)
    }

    func loadEnterprises() async throws {
        guard let data = try read("enterprises.json") else { return }
        let inputs = try JSONDecoder().decode([EnterpriseInput].self, from: data)
        let directory = EnterpriseDirectory(context: context)
        try await context.pool.transaction { connection in
            for input in inputs {
                try await directory.register(try input.check(registration: true), actor: .system, ifAbsent: true,
                                             on: connection)
            }
        }
    }

    func loadNationalLists() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("national-list-") && $0.hasSuffix(".csv") }.sorted()
        for file in files {
            let content = try Data(contentsOf: folder.appendingPathComponent(file))
            let batch = String(file.dropFirst("national-list-".count).dropLast(".csv".count))
            let report = try await NationalListImport(context: context).run(
                batchID: batch, mode: .validRowsOnly, format: .csv, content: Array(content),
                actor: .init(role: .certificationCommittee, subject: nil))
            if report.rejectedRows > 0 {
                context.logger.warning("seed batch has rejected rows", metadata: [
                    "batch.id": "\(batch)", "batch.rejected": "\(report.rejectedRows)",
                ])
            }
        }
    }

    func loadStatusChanges() async throws {
        guard let data = try read("status-changes.json") else { return }
        let changes = try JSONDecoder().decode([StatusChange].self, from: data)
        let register = CertificateRegister(context: context)
        try await context.pool.transaction { connection in
            for change in changes {
                let rows = try await connection.query(
                    "SELECT status FROM certificates WHERE number = \(change.certificateNumber)")
                guard let status = try rows.first?.enumeration("status", as: CertificateStatus.self),
                      status != change.action.resultingStatus, change.action.allowedFrom.contains(status)
                else { continue }
                _ = try await register.apply(
                    change.action, to: change.certificateNumber, reason: change.reason,
                    actor: .init(role: .certificationBody, subject: nil), on: connection)
            }
        }
    }

    func loadLocalLists() async throws {
        guard let data = try read("local-lists.json") else { return }
        let lists = try JSONDecoder().decode([RegionList].self, from: data)
        let book = LocalListBook(context: context)
        for list in lists {
            let region = try DivisionCode(validating: list.regionCode)
            try await context.pool.transaction { connection in
                // Seeds stand in for the pilot-management approval when the topic has not delivered it yet.
                try await connection.query("""
                    INSERT INTO approved_regions (region_code, region_name, batch_year, approved_on, approved_at)
                    VALUES (\(region.rawValue), \(list.regionName), \(list.batchYear), \(list.approvedOn)::date,
                        \(context.clock.now()))
                    ON CONFLICT (region_code) DO NOTHING
                    """)
                var requirementIDs: [String: String] = [:]
                for requirement in list.requirements {
                    let existing = try await connection.query("""
                        SELECT id FROM technical_requirements WHERE region_code = \(region.rawValue)
                            AND standard_code = \(requirement.standardCode) AND indicator = \(requirement.indicator)
                        """)
                    if let id = try existing.first?.decode("id", as: String.self) {
                        requirementIDs[requirement.key] = id
                        continue
                    }
                    let published = try await book.publishRequirement(
                        .init(category: requirement.category, productScope: requirement.productScope,
                              standardCode: requirement.standardCode, indicator: requirement.indicator,
                              threshold: requirement.threshold, effectiveOn: requirement.effectiveOn),
                        region: region, actor: .regionalOfficial, on: connection)
                    requirementIDs[requirement.key] = published.requirementID
                }
                for entry in list.entries {
                    let existing = try await connection.query("""
                        SELECT 1 FROM local_list_entries WHERE region_code = \(region.rawValue) AND removed_at IS NULL
                            AND (certificate_number = \(entry.certificateNumber) OR test_report_number = \(entry.testReportNumber))
                        """)
                    guard existing.isEmpty else { continue }
                    let status = try await connection.query(
                        "SELECT status FROM certificates WHERE number = \(entry.certificateNumber)")
                    if entry.certificateNumber != nil, try status.first?.decode("status", as: String.self) != "valid" {
                        continue
                    }
                    _ = try await book.addEntry(
                        .init(basis: entry.basis, certificateNumber: entry.certificateNumber,
                              requirementID: entry.requirement.flatMap { requirementIDs[$0] },
                              testReportNumber: entry.testReportNumber, testingBody: entry.testingBody,
                              manufacturerCreditCode: entry.manufacturerCreditCode, productName: entry.productName,
                              model: entry.model),
                        region: region, actor: .regionalOfficial, on: connection)
                }
            }
        }
    }
}
