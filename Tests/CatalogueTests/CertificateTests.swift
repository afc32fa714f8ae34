import Catalogue
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import HummingbirdTesting
import ServiceKit
import ServiceLifecycle
import TestSupport
import Testing

/// A certificate as the tests read it.
struct CertificateBody: Decodable {
    struct Certificate: Decodable {
        var certificateNumber: String
        var status: String
        var starGrade: String
        var issuedOn: String
        var expiresOn: String
        var underInvestigation: Bool
    }

    struct Change: Decodable {
        var action: String
        var fromStatus: String?
        var toStatus: String
        var reason: String
        var actorRole: String
    }

    var certificate: Certificate
    var history: [Change]?
}

@Suite("Certificates: issue, status transitions, history and expiry")
struct CertificateTests {
    @Test func issuesACertificateValidForFiveYearsWithItsEvent() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode()
        let number = Sample.certificateNumber()
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: Sample.certificate(number, holder: holder))) { response in
                #expect(response.status == .created, "\(response.text)")
                let body = try response.json(CertificateBody.self)
                #expect(body.certificate.status == "valid")
                #expect(body.certificate.expiresOn == "2028-01-09")
            }
            try await client.execute(uri: "/certificates/\(number)", method: .get) { response in
                let body = try response.json(CertificateBody.self)
                #expect(body.history?.map(\.action) == ["issue"])
            }
        }
        #expect(try await harness.outboxTypes(key: number) == ["gbm.catalogue.certificate.issued.v1"])
        await harness.close()
    }

    @Test func rejectsBadCertificatesNamingEveryFieldAndWritesNothing() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode()
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            let bad = Sample.certificate(
                "CGBM-BAD-1", holder: holder, category: "plastics", issuedOn: "2023-05-01", expiresOn: "2023-04-01")
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: bad)) { response in
                #expect(response.status == .unprocessableContent)
                let fields = Set(response.problem?.errors.map(\.field) ?? [])
                #expect(fields == ["category", "expiresOn"])
            }
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: Sample.certificate(
                                        "CGBM-BAD-2", holder: holder, subCategory: "elevators"))) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problem?.errors.map(\.field) == ["subCategory"])
            }
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: Sample.certificate(
                                        "CGBM-BAD-3", holder: Sample.creditCode()))) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problem?.errors.map(\.field) == ["holderCreditCode"])
            }
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.enterprise(holder),
                                     body: ByteBuffer(string: Sample.certificate("CGBM-BAD-4", holder: holder))) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(try await harness.outboxTypes().filter { $0.contains("certificate") } == [])
        await harness.close()
    }

    /// A far-future issue date once crashed the process while the default expiry was computed, before the other
    /// fields were even checked; it is a field error like any other, and the service goes on answering.
    @Test func aFarFutureIssueDateIsAFieldErrorNotACrash() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode()
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: #"{"issuedOn":"9996-03-01"}"#)) { response in
                #expect(response.status == .unprocessableContent)
                let errors = response.problem?.errors ?? []
                #expect(errors.first { $0.field == "issuedOn" }?.reason == "must be a date from 2000-01-01 to 2099-12-31")
                #expect(errors.contains { $0.field == "certificateNumber" })
            }
            let late = Sample.certificate("CGBM-LATE-1", holder: holder, issuedOn: "9999-12-31", expiresOn: nil)
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: late)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problem?.errors.map(\.field) == ["issuedOn"])
            }
            let number = Sample.certificateNumber()
            try await client.issueCertificate(Sample.certificate(number, holder: holder))
        }
        #expect(try await harness.outboxTypes().filter { $0.contains("certificate") } == ["gbm.catalogue.certificate.issued.v1"])
        await harness.close()
    }

    @Test func followsTheAllowedTransitionsAndRefusesRevokedToValid() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode()
        let number = Sample.certificateNumber()
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            try await client.issueCertificate(Sample.certificate(number, holder: holder))
            func act(_ action: String, expect status: HTTPResponse.Status, body: String = #"{"reason":"监督抽查"}"#) async throws {
                try await client.execute(uri: "/certificates/\(number)/\(action)", method: .post,
                                         headers: Tokens.certificationBody, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == status, "\(action): \(response.text)")
                }
            }
            try await act("restore", expect: .conflict)
            try await act("suspend", expect: .ok, body: #"{"reason":"监督抽查不合格","suspendedUntil":"2023-09-01"}"#)
            try await act("restore", expect: .ok)
            try await act("renew", expect: .ok, body: #"{"starGrade":"three-star"}"#)
            try await act("suspend", expect: .unprocessableContent, body: #"{"reason":""}"#)
            try await act("revoke", expect: .ok, body: #"{"reason":"伪造检测报告"}"#)
            try await client.execute(uri: "/certificates/\(number)/restore", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: #"{"reason":"申诉"}"#)) { response in
                #expect(response.status == .conflict)
                let problem = try #require(response.problem)
                #expect(problem.code == "transition-not-allowed")
                #expect(problem.errors.first?.field == "status")
            }
            try await act("cancel", expect: .conflict)
            try await act("renew", expect: .conflict, body: "{}")
            // A revoked number is never issued again.
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: Sample.certificate(number, holder: holder))) { response in
                #expect(response.status == .conflict)
                #expect(response.problem?.code == "certificate-number-revoked")
            }
            try await client.execute(uri: "/certificates/\(number)", method: .get) { response in
                let body = try response.json(CertificateBody.self)
                #expect(body.certificate.status == "revoked")
                #expect(body.certificate.starGrade == "three-star")
                #expect(body.certificate.expiresOn == "2033-01-09")
                #expect(body.history?.map(\.action) == ["issue", "suspend", "restore", "renew", "revoke"])
                #expect(body.history?.last?.reason == "伪造检测报告")
                #expect(body.history?.last?.actorRole == "certification-body")
                #expect(body.history?.last?.fromStatus == "valid")
            }
        }
        #expect(try await harness.outboxTypes(key: number) == [
            "gbm.catalogue.certificate.issued.v1", "gbm.catalogue.certificate.suspended.v1",
            "gbm.catalogue.certificate.restored.v1", "gbm.catalogue.certificate.renewed.v1",
            "gbm.catalogue.certificate.revoked.v1",
        ])
        await harness.close()
    }

    @Test func refusesADuplicateCertificateNumber() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode()
        let number = Sample.certificateNumber()
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            try await client.issueCertificate(Sample.certificate(number, holder: holder))
            try await client.execute(uri: "/certificates", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: Sample.certificate(number.lowercased(), holder: holder))) { response in
                #expect(response.status == .conflict)
                #expect(response.problem?.code == "certificate-number-taken")
                #expect(response.problem?.errors.first?.field == "certificateNumber")
            }
        }
        #expect(try await harness.outboxTypes(key: number).count == 1)
        await harness.close()
    }

    @Test func theExpiryJobExpiresCertificatesPastTheirExpiryDateOnce() async throws {
        let clock = TestClock()
        let harness = try await CatalogueHarness.make(clock: clock)
        let holder = Sample.creditCode()
        let due = Sample.certificateNumber()
        let suspended = Sample.certificateNumber()
        let later = Sample.certificateNumber()
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            try await client.issueCertificate(Sample.certificate(due, holder: holder, expiresOn: "2023-06-30"))
            try await client.issueCertificate(Sample.certificate(suspended, holder: holder, expiresOn: "2023-06-30"))
            try await client.issueCertificate(Sample.certificate(later, holder: holder, expiresOn: "2023-07-31"))
            try await client.execute(uri: "/certificates/\(suspended)/suspend", method: .post, headers: Tokens.certificationBody,
                                     body: ByteBuffer(string: #"{"reason":"整改"}"#)) { #expect($0.status == .ok) }
        }
        let job = CertificateExpiryJob(context: CatalogueContext(service: harness.host.context, settings: CatalogueSettings(clock: clock.serviceClock)))
        clock.set(day: "2023-06-30")
        #expect(try await job.expireDue() == 0, "still valid on its last day")
        clock.set(day: "2023-07-01")
        #expect(try await job.expireDue() == 2)
        #expect(try await job.expireDue() == 0)
        try await harness.withClient { client in
            try await client.execute(uri: "/certificates/\(due)", method: .get) { response in
                let body = try response.json(CertificateBody.self)
                #expect(body.certificate.status == "expired")
                #expect(body.history?.last?.actorRole == "system")
            }
            try await client.execute(uri: "/certificates/\(later)", method: .get) { response in
                let body = try response.json(CertificateBody.self)
                #expect(body.certificate.status == "valid")
            }
        }
        #expect(try await harness.outboxTypes(key: due).last == "gbm.catalogue.certificate.expired.v1")
        #expect(try await harness.outboxTypes(key: suspended).last == "gbm.catalogue.certificate.expired.v1")
        await harness.close()
    }

    @Test func theExpiryJobRunsOnItsOwnAsABackgroundService() async throws {
        let clock = TestClock()
        clock.set(day: "2023-07-01")
        let harness = try await CatalogueHarness.make(clock: clock, expirySweep: .milliseconds(100))
        let holder = Sample.creditCode()
        let number = Sample.certificateNumber()
        try await harness.withClient { client in
            try await client.registerEnterprise(holder)
            try await client.issueCertificate(Sample.certificate(number, holder: holder, issuedOn: "2023-01-01",
                                                                 expiresOn: "2023-06-30"))
        }
        let jobs = harness.host.definition.backgroundServices(harness.host.context)
        #expect(jobs.count == 1)
        let group = ServiceGroup(configuration: .init(services: jobs.map { .init(service: $0) }, logger: .init(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let expired = await eventually(timeout: .seconds(10)) {
                (try? await harness.outboxTypes(key: number).last) == "gbm.catalogue.certificate.expired.v1"
            }
            #expect(expired)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await harness.close()
    }
}
