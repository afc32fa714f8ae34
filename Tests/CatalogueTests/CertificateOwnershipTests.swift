import Catalogue
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing

/// Who may change a certificate: the certification body that issued it (named by its token, never by the request
/// body) and ministry officials; the national list is imported by the certification committee alone.
@Suite("Certificate ownership and the national list's importer")
struct CertificateOwnershipTests {
    static let reason = ByteBuffer(string: #"{"reason":"监督抽查不合格"}"#)

    @Test func aCertificationBodyChangesOnlyTheCertificatesItIssued() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode()
        let number = Sample.certificateNumber()
        let otherBody = Tokens.certificationBody(Sample.creditCode(region: "310104"))
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            try await client.issueCertificate(Sample.certificate(number, holder: holder))
            try await client.execute(uri: "/certificates/\(number)", method: .get) { response in
                #expect(response.text.contains(#""certificationBodyCode":"\#(Tokens.certificationBodyCode)""#), "\(response.text)")
            }
            for action in ["suspend", "revoke", "cancel", "renew"] {
                try await client.execute(uri: "/certificates/\(number)/\(action)", method: .post, headers: otherBody,
                                         body: Self.reason) { response in
                    #expect(response.status == .forbidden, "\(action): \(response.text)")
                    #expect(response.problem?.code == "certificate-of-another-body")
                }
            }
            // The issuer suspends; another body may not restore; a ministry official may do either.
            try await client.execute(uri: "/certificates/\(number)/suspend", method: .post, headers: Tokens.certificationBody,
                                     body: Self.reason) { #expect($0.status == .ok, "\($0.text)") }
            try await client.execute(uri: "/certificates/\(number)/restore", method: .post, headers: otherBody,
                                     body: Self.reason) { #expect($0.problem?.code == "certificate-of-another-body") }
            try await client.execute(uri: "/certificates/\(number)/restore", method: .post, headers: Tokens.ministry(.samr),
                                     body: Self.reason) { #expect($0.status == .ok, "\($0.text)") }
            try await client.execute(uri: "/certificates/\(number)/renew", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: "{}")) { #expect($0.status == .ok, "\($0.text)") }
        }
        await harness.close()
    }

    @Test func theIssuerComesFromTheTokenNeverFromTheBody() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode()
        let otherCode = Sample.creditCode(region: "310104")
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            // Naming another body in the request is refused; naming itself is fine.
            let claimed = Sample.certificate(Sample.certificateNumber(), holder: holder)
                .replacingOccurrences(of: "{", with: #"{"certificationBodyCode":"\#(otherCode)","#)
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: claimed)) { response in
                #expect(response.status == .forbidden)
                #expect(response.problem?.code == "certification-body-mismatch")
            }
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody(otherCode),
                                     body: ByteBuffer(string: claimed)) { #expect($0.status == .created, "\($0.text)") }
            // Issuing is a certification body's act, not a ministry's.
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.ministry(.samr),
                                     body: ByteBuffer(string: Sample.certificate(Sample.certificateNumber(), holder: holder))) {
                #expect($0.status == .forbidden)
                #expect($0.problem?.code == "role-not-allowed")
            }
            // A malformed code is a 422 naming the field, not a 5xx.
            let malformed = Sample.certificate(Sample.certificateNumber(), holder: holder)
                .replacingOccurrences(of: "{", with: #"{"certificationBodyCode":"91330106MA2B3C4D5E","#)
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: malformed)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problem?.errors.map(\.field) == ["certificationBodyCode"])
            }
        }
        await harness.close()
    }

    @Test func onlyTheCertificationCommitteeImportsTheNationalListAndIsRecordedAsItsActor() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode()
        let bodyCode = Sample.creditCode(region: "110108")
        let csv = NationalListTests.header + ",certificationBodyCode\n"
            + NationalListTests.row("CGBM-C-0001", holder: holder) + "," + bodyCode
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            for headers in [Tokens.certificationBody, Tokens.ministry(.samr), Tokens.marketRegulator("330106")] {
                var csvHeaders = headers
                csvHeaders[.contentType] = "text/csv"
                try await client.execute(uri: "/national-list/batches?batch=c-1", method: .post, headers: csvHeaders,
                                         body: ByteBuffer(string: csv)) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.problem?.code == "role-not-allowed")
                }
            }
            try await client.execute(uri: "/national-list/batches?batch=c-1", method: .post, headers: NationalListTests.csvHeaders,
                                     body: ByteBuffer(string: csv)) { #expect($0.status == .created, "\($0.text)") }
            try await client.execute(uri: "/certificates/CGBM-C-0001", method: .get) { response in
                let body = try response.json(CertificateBody.self)
                #expect(body.history?.first?.actorRole == "certification-committee")
                #expect(response.text.contains(#""certificationBodyCode":"\#(bodyCode)""#))
            }
            // The body the national list names may change the certificate; another may not.
            try await client.execute(uri: "/certificates/CGBM-C-0001/suspend", method: .post,
                                     headers: Tokens.certificationBody, body: Self.reason) {
                #expect($0.problem?.code == "certificate-of-another-body")
            }
            try await client.execute(uri: "/certificates/CGBM-C-0001/suspend", method: .post,
                                     headers: Tokens.certificationBody(bodyCode), body: Self.reason) {
                #expect($0.status == .ok, "\($0.text)")
            }
        }
        let subject = try await harness.pool.query("""
            SELECT actor_subject FROM \(identifier: harness.schema).certificate_status_history
            WHERE certificate_number = 'CGBM-C-0001' AND action = 'issue'
            """)
        #expect(try subject.first?.decode("actor_subject", as: String?.self) == "committee-1")
        await harness.close()
    }
}
