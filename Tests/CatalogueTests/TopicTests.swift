import Catalogue
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kafka
import Logging
import Messaging
import ServiceKit
import ServiceTestSupport
import TestSupport
import Testing

@Suite("Consumed topics: pilot region approvals and certification-violation reports")
struct TopicTests {
    @Test func anApprovalOnThePilotTopicOpensTheLocalListAndAViolationReportFlagsTheProduct() async throws {
        let harness = try await CatalogueHarness.make()
        let holder = Sample.creditCode(region: "510104")
        let number = Sample.certificateNumber()
        let env = try TestEnvironment.current()
        let producer = try KafkaProducer(
            configuration: KafkaConfiguration(
                bootstrapServers: env.kafkaBrokers, clientID: "catalogue-tests",
                sessionTimeoutMs: env.kafkaSessionTimeoutMs, fetchWaitMaxMs: env.kafkaFetchWaitMaxMs,
                properties: ["message.timeout.ms": "10000"]),
            logger: Logger(label: "catalogue-tests"))
        let reportID = UUID().uuidString.lowercased()
        try await harness.host.application(withServices: true).test(.router) { raw in
            let client = harness.host.checkingContract(raw)
            try await client.registerEnterprise(holder, region: "510104")
            try await client.issueCertificate(Sample.certificate(number, holder: holder))
            let approval = RegionApproved(
                regionCode: try DivisionCode(validating: "510000"), regionName: "四川省", applicationID: nil,
                batchYear: 2022, concurringDepartments: [.miit, .mohurd], approvedOn: CalendarDate("2022-09-01")!,
                approvedAt: Date())
            _ = try await producer.send(KafkaProducerRecord(event: try CloudEvent(payload: approval), topic: Topic.pilotRegions.name))
            let report = CertificationViolationReported(
                reportID: reportID, regionCode: try DivisionCode(validating: "510104"), complaintID: nil,
                certificateNumber: try CertificateNumber(validating: number),
                holderCreditCode: try UnifiedSocialCreditCode(validating: holder),
                certificationBody: "中国建材检验认证集团", violationKind: .productDoesNotMatchCertificate,
                summary: "销售产品与认证型号不符", actorRole: .marketRegulator, reportedAt: Date())
            let event = try CloudEvent(payload: report)
            _ = try await producer.send(KafkaProducerRecord(event: event, topic: Topic.complaintsReports.name))
            _ = try await producer.send(KafkaProducerRecord(event: event, topic: Topic.complaintsReports.name))

            let listed = await eventually(timeout: .seconds(45), every: .milliseconds(200)) {
                (try? await client.execute(
                    uri: "/regions/510000/local-list/entries", method: .post, headers: Tokens.regionOfficial("510000"),
                    body: ByteBuffer(string: #"{"basis":"certified","certificateNumber":"\#(number)"}"#)) { $0.status == .created }) == true
            }
            #expect(listed, "the region became approved from the topic")
            let flagged = await eventually(timeout: .seconds(45), every: .milliseconds(200)) {
                (try? await client.execute(uri: "/certificates/\(number)", method: .get) {
                    try $0.json(CertificateBody.self).certificate.underInvestigation
                }) == true
            }
            #expect(flagged)
            try await client.execute(uri: "/products?underInvestigation=true", method: .get) { response in
                let page = try response.json(ProductPageBody.self)
                #expect(page.items.map(\.certificateNumber) == [number])
            }
            try await client.execute(uri: "/certificates/\(number)", method: .get) { response in
                let body = try response.json(CertificateBody.self)
                #expect(body.certificate.status == "valid", "a flag is not a status change")
                #expect(response.text.contains(reportID))
            }
            // Not the certification body under investigation, nor a bureau elsewhere: the regulator of the region.
            for (headers, code) in [(Tokens.certificationBody, "role-not-allowed"),
                                    (Tokens.ministry(.mohurd), "role-not-allowed"),
                                    (Tokens.marketRegulator("330106"), "flag-outside-jurisdiction")] {
                try await client.execute(uri: "/certificates/\(number)/investigation-flags/\(reportID)/clear", method: .post,
                                         headers: headers, body: ByteBuffer(string: #"{"reason":"调查结束"}"#)) { response in
                    #expect(response.status == .forbidden, "\(response.text)")
                    #expect(response.problem?.code == code)
                }
            }
            try await client.execute(uri: "/certificates/\(number)/investigation-flags/\(reportID)/clear", method: .post,
                                     headers: Tokens.marketRegulator("510104"),
                                     body: ByteBuffer(string: #"{"reason":"调查结束：未发现违规"}"#)) { response in
                #expect(response.status == .ok, "\(response.text)")
                let body = try response.json(CertificateBody.self)
                #expect(body.certificate.underInvestigation == false)
            }
            // Checked before the application stops: stopping it closes the pool.
            let flags = try await harness.outboxTypes(key: number).filter { $0.contains("flag") }
            #expect(flags == ["gbm.catalogue.certificate.flagged.v1", "gbm.catalogue.certificate.flag-cleared.v1"],
                    "the report delivered twice flags once")
        }
        await producer.shutdown()
    }
}
