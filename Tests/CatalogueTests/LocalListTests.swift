import Catalogue
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing

@Suite("Regional local lists and technical requirements")
struct LocalListTests {
    struct EntryBody: Decodable {
        struct Entry: Decodable {
            var entryID: String
            var basis: String
            var certificateNumber: String?
            var category: String
        }

        var entry: Entry
    }

    struct RequirementBody: Decodable {
        struct Requirement: Decodable { var requirementID: String }
        var requirement: Requirement
    }

    static let requirement = """
        {"category":"windows-curtain-walls-and-decoration","productScope":"节能外窗","standardCode":"GB/T 8484-2020",
         "indicator":"传热系数 K","threshold":"≤ 2.0 W/(m²·K)","effectiveOn":"2023-05-01"}
        """

    @Test func onlyAnApprovedRegionsOwnOfficialsChangeItsList() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode()
        let number = Sample.certificateNumber()
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            try await client.issueCertificate(Sample.certificate(number, holder: holder))
            let entry = #"{"basis":"certified","certificateNumber":"\#(number)"}"#
            // Not yet approved.
            try await client.execute(uri: "/regions/330000/local-list/entries", method: .post,
                                     headers: Tokens.regionOfficial("330000"), body: ByteBuffer(string: entry)) { response in
                #expect(response.status == .conflict)
                #expect(response.problem?.code == "region-not-approved")
            }
            try await harness.approveRegion("330000")
            // Another region's official, a ministry official and a certification body may not.
            for headers in [Tokens.regionOfficial("370000"), Tokens.bearer(Principal(subject: "m", role: .ministry)),
                            Tokens.certificationBody] {
                try await client.execute(uri: "/regions/330000/local-list/entries", method: .post,
                                         headers: headers, body: ByteBuffer(string: entry)) { response in
                    #expect(response.status == .forbidden)
                }
            }
            let added = try await client.execute(uri: "/regions/330000/local-list/entries", method: .post,
                                                 headers: Tokens.regionOfficial("330000"), body: ByteBuffer(string: entry)) { response in
                #expect(response.status == .created, "\(response.text)")
                return try response.json(EntryBody.self).entry
            }
            try await client.execute(uri: "/regions/330000/local-list/entries", method: .post,
                                     headers: Tokens.regionOfficial("330000"), body: ByteBuffer(string: entry)) { response in
                #expect(response.status == .conflict)
                #expect(response.problem?.code == "already-on-local-list")
            }
            try await client.execute(uri: "/products?region=330000", method: .get) { response in
                let page = try response.json(ProductPageBody.self)
                #expect(page.items.map(\.certificateNumber) == [number])
            }
            // The reason goes into the event, whose schema allows 1000 characters: a longer one is refused first.
            try await client.execute(uri: "/regions/330000/local-list/entries/\(added.entryID)?reason=\(String(repeating: "x", count: 1001))",
                                     method: .delete, headers: Tokens.regionOfficial("330000")) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problem?.errors.map(\.field) == ["reason"])
            }
            try await client.execute(uri: "/regions/330000/local-list/entries/\(added.entryID)?reason=test", method: .delete,
                                     headers: Tokens.regionOfficial("330000")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/regions/330000/local-list", method: .get) { response in
                #expect(response.text.contains("\"entries\":[]"))
            }
        }
        #expect(try await harness.outboxTypes(key: "330000") == [
            "gbm.catalogue.local-list.entry-added.v1", "gbm.catalogue.local-list.entry-removed.v1",
        ])
        await harness.close()
    }

    @Test func uncertifiedProductsNeedAPublishedRequirementAndATestReport() async throws {
        let harness = try await CatalogueHarness.make()
        try await harness.approveRegion("370000", name: "山东省")
        try await harness.withClient { client in
            let official = Tokens.regionOfficial("370000")
            try await client.execute(uri: "/regions/370000/technical-requirements", method: .post, headers: official,
                                     body: ByteBuffer(string: #"{"category":"glass","productScope":""}"#)) { response in
                #expect(response.status == .unprocessableContent)
                let fields = Set(response.problem?.errors.map(\.field) ?? [])
                #expect(fields.isSuperset(of: ["category", "productScope", "standardCode"]))
            }
            let requirement = try await client.execute(
                uri: "/regions/370000/technical-requirements", method: .post, headers: official,
                body: ByteBuffer(string: Self.requirement)) { response in
                #expect(response.status == .created, "\(response.text)")
                return try response.json(RequirementBody.self).requirement.requirementID
            }
            let manufacturer = Sample.creditCode(region: "370102")
            let missingReport = """
                {"basis":"technical-requirement","requirementID":"\(requirement)","manufacturerCreditCode":"\(manufacturer)",
                 "productName":"铝包木节能窗","model":"LB-68"}
                """
            try await client.execute(uri: "/regions/370000/local-list/entries", method: .post, headers: official,
                                     body: ByteBuffer(string: missingReport)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(Set(response.problem?.errors.map(\.field) ?? []) == ["testReportNumber", "testingBody"])
            }
            let entry = """
                {"basis":"technical-requirement","requirementID":"\(requirement)","manufacturerCreditCode":"\(manufacturer)",
                 "productName":"铝包木节能窗","model":"LB-68","testReportNumber":"SDJC-2023-0451","testingBody":"山东省建筑材料检测中心"}
                """
            try await client.execute(uri: "/regions/370000/local-list/entries", method: .post, headers: official,
                                     body: ByteBuffer(string: entry)) { response in
                #expect(response.status == .created, "\(response.text)")
                let body = try response.json(EntryBody.self)
                #expect(body.entry.category == "windows-curtain-walls-and-decoration")
            }
            try await client.execute(uri: "/regions/370000/local-list/export?format=csv", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                let lines = response.text.split(separator: "\r\n")
                #expect(lines.count == 2)
                #expect(lines[1].contains("SDJC-2023-0451"))
            }
            try await client.execute(uri: "/regions/370000/technical-requirements", method: .get) { response in
                #expect(response.text.contains("GB/T 8484-2020"))
            }
        }
        #expect(try await harness.outboxTypes(key: "370000") == [
            "gbm.catalogue.local-list.requirement-published.v1", "gbm.catalogue.local-list.entry-added.v1",
        ])
        await harness.close()
    }
}
