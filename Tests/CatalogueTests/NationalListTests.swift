import Catalogue
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing

@Suite("National list batch import and bulk export")
struct NationalListTests {
    static let header = "certificateNumber,holderCreditCode,manufacturerCreditCode,factoryName,certificationBody,productName,model,category,subCategory,starGrade,certificationBasis,issuedOn,expiresOn"

    static func row(_ number: String, holder: String, name: String = "岩棉外墙保温板", grade: String = "one-star",
                    category: String = "enclosure-structures-and-concrete", sub: String = "thermal-insulation",
                    issued: String = "2023-02-01", expires: String = "") -> String {
        "\(number),\(holder),,\"一厂, 二车间\",中国建材检验认证集团,\(name),YM-1,\(category),\(sub),\(grade),GB/T 35608-2017,\(issued),\(expires)"
    }

    static var csvHeaders: HTTPFields {
        var headers = Tokens.committee
        headers[.contentType] = "text/csv; charset=utf-8"
        return headers
    }

    @Test func reportsEveryBadRowWithItsLineAndImportsNothingInAtomicMode() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode()
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            let csv = [
                Self.header,
                Self.row("CGBM-N-0001", holder: holder),
                Self.row("CGBM-N-0002", holder: "91350100M000100Y4Z"),
                Self.row("CGBM-N-0003", holder: holder, category: "plastics"),
                Self.row("CGBM-N-0001", holder: holder),
                Self.row("CGBM-N-0005", holder: holder, issued: "2023-05-01", expires: "2023-01-01"),
                "CGBM-N-0006,too,few",
                Self.row("CGBM-N-0007", holder: Sample.creditCode()),
            ].joined(separator: "\n")
            try await client.execute(uri: "/national-list/batches?batch=2023-01", method: .post, headers: Self.csvHeaders,
                                     body: ByteBuffer(string: csv)) { response in
                #expect(response.status == .unprocessableContent)
                let problem = try #require(response.problem)
                #expect(problem.code == "batch-rejected")
                let fields = problem.errors.map(\.field)
                #expect(fields == [
                    "line 3: holderCreditCode", "line 4: category", "line 5: certificateNumber", "line 6: expiresOn",
                    "line 7: (row)", "line 8: holderCreditCode",
                ])
            }
            try await client.execute(uri: "/national-list/batches/2023-01", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
        let count = try await harness.pool.query("SELECT count(*) AS n FROM \(identifier: harness.schema).certificates")
        #expect(try count.first?.decode("n", as: Int.self) == 0)
        #expect(try await harness.outboxTypes().filter { $0.contains("certificate") } == [])
        await harness.close()
    }

    struct ReportBody: Decodable {
        struct RowError: Decodable { var line: Int; var field: String; var reason: String }
        var totalRows: Int
        var importedRows: Int
        var rejectedRows: Int
        var alreadyImported: Bool
        var errors: [RowError]
    }

    @Test func importsTheValidRowsOnlyWhenAskedAndIdempotently() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode()
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            let csv = [
                Self.header,
                Self.row("CGBM-V-0001", holder: holder),
                Self.row("CGBM-V-0002", holder: holder, grade: "five-star"),
                Self.row("CGBM-V-0003", holder: holder, name: "\"多行\n名称\""),
                Self.row("CGBM-V-0004", holder: holder),
            ].joined(separator: "\r\n")
            let uri = "/national-list/batches?batch=2023-02&mode=valid-rows-only"
            try await client.execute(uri: uri, method: .post, headers: Self.csvHeaders, body: ByteBuffer(string: csv)) { response in
                #expect(response.status == .created, "\(response.text)")
                let report = try response.json(ReportBody.self)
                #expect(report.totalRows == 4 && report.importedRows == 3 && report.rejectedRows == 1)
                #expect(report.errors.map(\.line) == [3])
                #expect(report.errors.first?.field == "starGrade")
            }
            try await client.execute(uri: uri, method: .post, headers: Self.csvHeaders, body: ByteBuffer(string: csv)) { response in
                #expect(response.status == .ok)
                let report = try response.json(ReportBody.self)
                #expect(report.alreadyImported && report.importedRows == 3)
            }
            try await client.execute(uri: uri, method: .post, headers: Self.csvHeaders,
                                     body: ByteBuffer(string: csv + "\r\n" + Self.row("CGBM-V-0009", holder: holder))) { response in
                #expect(response.status == .conflict)
                #expect(response.problem?.code == "batch-content-changed")
            }
            try await client.execute(uri: "/certificates/CGBM-V-0003", method: .get) { response in
                #expect(response.text.contains("多行\\n名称"))
            }
            // JSON rows; a number already issued in the earlier batch is reported.
            let json = """
                [{"certificateNumber":"CGBM-V-0004","holderCreditCode":"\(holder)","certificationBody":"CTC","productName":"防水卷材",
                  "model":"SBS-4","category":"waterproofing-sealing-and-coatings","subCategory":"waterproof-membranes",
                  "starGrade":"two-star","certificationBasis":"GB 18242","issuedOn":"2023-03-01"},
                 {"certificateNumber":"CGBM-V-0010","holderCreditCode":"\(holder)","certificationBody":"CTC","productName":"防水卷材",
                  "model":"SBS-4","category":"waterproofing-sealing-and-coatings","subCategory":"waterproof-membranes",
                  "starGrade":"two-star","certificationBasis":"GB 18242","issuedOn":"2023-03-01"}]
                """
            try await client.execute(uri: "/national-list/batches?batch=2023-03&mode=valid-rows-only", method: .post,
                                     headers: Tokens.committee, body: ByteBuffer(string: json)) { response in
                #expect(response.status == .created, "\(response.text)")
                let report = try response.json(ReportBody.self)
                #expect(report.importedRows == 1)
                #expect(report.errors.map(\.line) == [1])
                #expect(report.errors.first?.reason == "is already issued")
            }
            try await client.execute(uri: "/national-list/export?format=csv", method: .get) { response in
                #expect(response.status == .ok)
                let lines = response.text.split(separator: "\r\n", omittingEmptySubsequences: true)
                #expect(lines.first?.hasPrefix(Self.header) == true)
            }
            try await client.execute(uri: "/national-list/export?format=json", method: .get) { response in
                let items = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
                #expect(items?.count == 4)
            }
        }
        #expect(try await harness.outboxTypes().filter { $0 == "gbm.catalogue.certificate.issued.v1" }.count == 4)
        await harness.close()
    }

    @Test func aMalformedFileIsA400NamingTheLine() async throws {
        let harness = try await CatalogueHarness.make()
        try await harness.withClient { client in
            let csv = Self.header + "\nCGBM-M-0001,\"unterminated,x\n"
            try await client.execute(uri: "/national-list/batches?batch=bad", method: .post, headers: Self.csvHeaders,
                                     body: ByteBuffer(string: csv)) { response in
                #expect(response.status == .badRequest)
                #expect(response.problem?.code == "malformed-csv")
                #expect(response.problem?.errors.first?.field == "line 2")
            }
            try await client.execute(uri: "/national-list/batches?batch=bad", method: .post, headers: Self.csvHeaders,
                                     body: ByteBuffer(string: "number,name\nA,B\n")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/national-list/batches?mode=sometimes", method: .post, headers: Self.csvHeaders,
                                     body: ByteBuffer(string: Self.header)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(Set(response.problem?.errors.map(\.field) ?? []) == ["batch", "mode"])
            }
        }
        await harness.close()
    }
}
