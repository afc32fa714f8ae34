import Catalogue
import Contracts
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Seeds: the sample catalogue loads idempotently")
struct SeedTests {
    static let seedsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seeds").path

    @Test func everySeedCreditCodeHasAValidCheckCharacter() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.seedsDirectory + "/catalogue/enterprises.json"))
        let enterprises = try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
        #expect(enterprises.count >= 30)
        for enterprise in enterprises {
            let code = enterprise["creditCode"] as! String
            #expect(throws: Never.self) { try UnifiedSocialCreditCode(validating: code) }
        }
        let provinces = Set(enterprises.map { String(($0["regionCode"] as! String).prefix(2)) })
        #expect(provinces == ["33", "37", "51", "12", "35", "44", "43"])
    }

    /// One approval date for the 2022 batch across the services: the sample local lists' approved regions carry the
    /// date the campaign years give (`seeds/campaign/*.json`), which pilot-management's first batch has too.
    @Test func theSampleApprovedRegionsCarryThe2022BatchApprovalDateOfTheCampaignYears() throws {
        let book = try CampaignBook(directory: URL(fileURLWithPath: Self.seedsDirectory))
        let approvedOn = try #require(book.batches.first { $0.year == 2022 }?.approvedOn)
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.seedsDirectory + "/catalogue/local-lists.json"))
        let lists = try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
        #expect(!lists.isEmpty)
        for list in lists where list["batchYear"] as? Int == 2022 {
            #expect(list["approvedOn"] as? String == approvedOn.description)
        }
    }

    @Test func loadsTheSampleOnceAndChangesNothingTheSecondTime() async throws {
        let harness = try await CatalogueHarness.make()
        let seed = try #require(harness.host.definition.seed)
        try await seed(harness.host.context, Self.seedsDirectory)
        func count(_ table: String, _ condition: String = "TRUE") async throws -> Int {
            try await harness.pool.query(
                "SELECT count(*) AS n FROM \(identifier: harness.schema).\(identifier: table) WHERE \(unescaped: condition)"
            ).first!.decode("n", as: Int.self)
        }
        let outbox = try await count("outbox")
        #expect(try await count("enterprises") >= 30)
        #expect(try await count("certificates") >= 300)
        for grade in StarGrade.allCases {
            #expect(try await count("certificates", "star_grade = '\(grade.rawValue)'") > 0)
        }
        for status in ["valid", "suspended", "revoked", "cancelled"] {
            #expect(try await count("certificates", "status = '\(status)'") > 0, "\(status)")
        }
        #expect(try await count("approved_regions") == 2)
        #expect(try await count("technical_requirements") == 3)
        #expect(try await count("local_list_entries", "region_code = '330000'") >= 5)
        #expect(try await count("local_list_entries", "region_code = '370000'") >= 5)
        try await seed(harness.host.context, Self.seedsDirectory)
        #expect(try await count("outbox") == outbox, "a second load emits nothing")
        await harness.close()
    }
}
