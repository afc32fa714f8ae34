import Catalogue
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import ServiceKit
import TestSupport
import Testing

/// The national list at scale: the export streams page by page, and an import commits in chunks, so certificate
/// writes go on while a large batch is imported.
@Suite("National list: streamed export, chunked import")
struct NationalListChunkTests {
    /// A CSV batch of `count` valid rows for `holder`, numbered `prefix-000000`…
    static func batch(_ prefix: String, count: Int, holder: String) -> (csv: String, numbers: [String]) {
        let numbers = (0..<count).map { "\(prefix)-\(String(format: "%06d", $0))" }
        let rows = numbers.map { NationalListTests.row($0, holder: holder, name: "岩棉板\($0.suffix(3))") }
        return (([NationalListTests.header] + rows).joined(separator: "\n"), numbers)
    }

    struct ExportedItem: Decodable { var certificateNumber: String; var status: String }

    @Test func theExportStreamsEveryRowWithoutLoadingThemAll() async throws {
        let harness = try await CatalogueHarness.make(importChunkRows: 1000, exportPageRows: 500)
        let holder = Sample.creditCode()
        let (csv, numbers) = Self.batch("CGBM-X", count: 3000, holder: holder)
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            try await client.execute(uri: "/national-list/batches?batch=export-1", method: .post,
                                     headers: NationalListTests.csvHeaders, body: ByteBuffer(string: csv)) {
                #expect($0.status == .created, "\($0.text.prefix(300))")
            }
            try await client.issueCertificate(Sample.certificate("CGBM-Y-000001", holder: holder))
            try await client.execute(uri: "/certificates/CGBM-Y-000001/suspend", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: #"{"reason":"抽查"}"#)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/national-list/export", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentLength] == nil, "streamed: the length is not known up front")
                let items = try response.json([ExportedItem].self)
                #expect(items.count == 3001)
                #expect(items.map(\.certificateNumber) == numbers + ["CGBM-Y-000001"])
            }
            try await client.execute(uri: "/national-list/export?format=csv&status=valid", method: .get) { response in
                #expect(response.headers[.contentLength] == nil)
                let lines = response.text.split(separator: "\r\n", omittingEmptySubsequences: true)
                #expect(lines.count == 3001, "a header and the 3000 valid certificates")
                #expect(lines.first?.hasPrefix("certificateNumber,") == true)
                #expect(lines.last?.hasPrefix(numbers.last! + ",") == true)
            }
            try await client.execute(uri: "/national-list/export?status=suspended", method: .get) { response in
                let items = try response.json([ExportedItem].self)
                #expect(items.map(\.certificateNumber) == ["CGBM-Y-000001"])
            }
            try await client.execute(uri: "/national-list/export?status=revoked", method: .get) { response in
                #expect(response.text == "[]")
            }
            try await client.execute(uri: "/national-list/export?format=xml", method: .get) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problem?.errors.map(\.field) == ["format"])
            }
        }
        await harness.close()
    }

    /// While an import is between two chunks (held there by the test, which locks the batch row the next chunk
    /// updates first), a certificate write goes through, a number the batch reserved is refused to anyone else,
    /// and the batch says how far it got. Released, the import completes every row.
    @Test func aCertificateWriteProceedsWhileALargeImportRuns() async throws {
        let harness = try await CatalogueHarness.make(importChunkRows: 100)
        let holder = Sample.creditCode()
        let existing = Sample.certificateNumber()
        let (csv, numbers) = Self.batch("CGBM-L", count: 1500, holder: holder)
        let schema = harness.schema
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            try await client.issueCertificate(Sample.certificate(existing, holder: holder))
            let importing = Task {
                try await client.execute(uri: "/national-list/batches?batch=large-1", method: .post,
                                         headers: NationalListTests.csvHeaders, body: ByteBuffer(string: csv)) { response in
                    (response.status, response.text)
                }
            }
            let started = await eventually(timeout: .seconds(60), every: .milliseconds(20)) {
                let rows = try? await harness.pool.query(
                    "SELECT imported_rows FROM \(identifier: schema).national_list_batches WHERE batch_id = 'large-1'")
                return ((try? rows?.first?.decode("imported_rows", as: Int.self)) ?? 0) > 0
            }
            #expect(started, "the batch row shows the import under way before it ends")
            try await harness.pool.transaction { connection in
                // Hold the import at a chunk boundary: its next chunk locks this row before anything else.
                let held = try await connection.query("""
                    SELECT status, imported_rows FROM \(identifier: schema).national_list_batches
                    WHERE batch_id = 'large-1' FOR UPDATE
                    """)
                #expect(try held.first?.decode("status", as: String.self) == "importing")
                let written = try held.first?.decode("imported_rows", as: Int.self) ?? 0
                #expect(written > 0 && written < 1500)

                try await client.execute(uri: "/certificates/\(existing)/suspend", method: .post,
                                         headers: Tokens.certificationBody,
                                         body: ByteBuffer(string: #"{"reason":"导入期间的暂停"}"#)) { response in
                    #expect(response.status == .ok, "a write is not held up by the import: \(response.text)")
                }
                let unwritten = numbers[1499]
                try await client.execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody,
                                         body: ByteBuffer(string: Sample.certificate(unwritten, holder: holder))) { response in
                    #expect(response.status == .conflict)
                    #expect(response.problem?.code == "certificate-number-reserved", "\(response.text)")
                }
                try await client.execute(uri: "/national-list/batches/large-1", method: .get) { response in
                    #expect(response.text.contains(#""status":"importing""#), "\(response.text)")
                }
            }
            let (status, text) = try await importing.value
            #expect(status == .created, "\(text.prefix(300))")
            #expect(text.contains(#""importedRows":1500"#) && text.contains(#""status":"imported""#), "\(text.prefix(300))")
            try await client.execute(uri: "/national-list/batches/large-1", method: .get) { response in
                #expect(response.text.contains(#""writtenRows":1500"#), "\(response.text.prefix(300))")
            }
        }
        let count = try await harness.pool.query(
            "SELECT count(*) AS n FROM \(identifier: schema).certificates WHERE national_batch_id = 'large-1'")
        #expect(try count.first?.decode("n", as: Int.self) == 1500)
        let reservations = try await harness.pool.query(
            "SELECT count(*) AS n FROM \(identifier: schema).national_list_reservations")
        #expect(try reservations.first?.decode("n", as: Int.self) == 0)
        #expect(try await harness.outboxTypes().filter { $0 == "gbm.catalogue.certificate.issued.v1" }.count == 1501)
        await harness.close()
    }
}
