import Contracts
import Foundation
import HummingbirdTesting
import Kafka
import Logging
import Messaging
import ServiceTestSupport
import TestSupport
import Testing
@testable import Subsidy

@Suite("Subsidy read models from the real topics")
struct SubsidyTopicTests {
    /// Region, enrolment and certificate arrive on the pilot and catalogue topics; a claim is approved from them; the
    /// certificate's revocation, delivered twice, holds the claim once.
    @Test func readModelsComeFromTheTopicsAndARedeliveredRevocationHoldsTheClaimOnce() async throws {
        let harness = try await SubsidyHarness.make()
        let env = try TestEnvironment.current()
        let producer = try KafkaProducer(
            configuration: KafkaConfiguration(
                bootstrapServers: env.kafkaBrokers, clientID: "subsidy-tests",
                sessionTimeoutMs: env.kafkaSessionTimeoutMs, fetchWaitMaxMs: env.kafkaFetchWaitMaxMs,
                properties: ["message.timeout.ms": "10000"]),
            logger: Logger(label: "subsidy-tests"))
        let region = "3303" + String(format: "%02d", Int.random(in: 1...99))
        let seller = Sample.creditCode()
        let certificate = Sample.certificateNumber()
        let topics = TopicSender(producer: producer)
        try await topics.send(RegionApproved(
            regionCode: try DivisionCode(validating: region), regionName: "温州市某区", applicationID: nil, batchYear: 2023,
            concurringDepartments: [.miit, .mohurd], approvedOn: CalendarDate("2023-03-01")!, approvedAt: Date()))
        try await topics.send(ParticipantEnrolled(
            participantID: UUID().uuidString.lowercased(), regionCode: try DivisionCode(validating: region),
            creditCode: try UnifiedSocialCreditCode(validating: seller), name: "绿筑建材商店", kind: .store, salesZone: nil,
            pledgedDiscountBasisPoints: 500, isChainLeader: false, industrialCluster: nil, enrolledAt: TestClock.noon("2023-05-01")))
        try await topics.send(CertificateIssued(
            certificateNumber: try CertificateNumber(validating: certificate),
            holderCreditCode: try UnifiedSocialCreditCode(validating: Sample.creditCode()),
            manufacturerCreditCode: try UnifiedSocialCreditCode(validating: Sample.creditCode()), factoryName: nil,
            certificationBody: "中国建材检验认证集团", productName: "断桥铝合金窗", model: "DQ-70", category: .windowsCurtainWallsAndDecoration,
            subCategory: "windows", starGrade: .twoStar, certificationBasis: "T/CECS 10025-2019",
            issuedOn: CalendarDate("2023-01-10")!, expiresOn: CalendarDate("2028-01-09")!, actorRole: .certificationBody,
            issuedAt: Date()))

        try await harness.host.application(withServices: true).test(.router) { raw in
            let client = SubsidyClient(client: harness.host.checkingContract(raw))
            let known = await eventually(timeout: .seconds(45), every: .milliseconds(200)) {
                let certificates = try? await harness.count("certificate WHERE number = '\(certificate)'")
                let sellers = try? await harness.count("seller_enrolment WHERE credit_code = '\(seller)'")
                let regions = try? await harness.count("pilot_region WHERE region_code = '\(region)'")
                return certificates == 1 && sellers == 1 && regions == 1
            }
            #expect(known, "the read models were built from the topics")
            let drafted = try await client.send(.post, "/programmes", token: Tokens.region(region), json: Sample.purchaseProgramme(region: region))
            #expect(try await client.send(.post, "/programmes/\(drafted.id)/approval", token: Tokens.ministry()).status == .ok)
            #expect(try await client.send(.post, "/programmes/\(drafted.id)/opening", token: Tokens.region(region)).status == .ok)
            let claim = Sample.Claim(programmeID: drafted.id, seller: seller, certificate: certificate)
            let approved = try await client.send(.post, "/claims", token: Tokens.seller(seller), json: claim.json)
            #expect(approved.status_ == "approved", "\(approved.text)")
            #expect(approved.json["requestedAmount"] as? Int == 12_000, "two-star: 12 % of 100 000 fen")

            let revocation = CertificateRevoked(
                certificateNumber: try CertificateNumber(validating: certificate),
                holderCreditCode: try UnifiedSocialCreditCode(validating: Sample.creditCode()), previousStatus: .valid,
                reason: "产品与认证不符", actorRole: .certificationBody, revokedAt: Date())
            let eventID = UUID().uuidString.lowercased()
            try await topics.send(revocation, id: eventID)
            try await topics.send(revocation, id: eventID)
            let held = await eventually(timeout: .seconds(45), every: .milliseconds(200)) {
                (try? await client.send(.get, "/claims/\(approved.id)", token: Tokens.ministry()).status_) == "held"
            }
            #expect(held)
            // A later event of the same key (same partition) marks that both deliveries were consumed.
            try await topics.send(CertificateRestored(
                certificateNumber: try CertificateNumber(validating: certificate),
                holderCreditCode: try UnifiedSocialCreditCode(validating: Sample.creditCode()), previousStatus: .revoked,
                reason: "行政复议撤销决定", actorRole: .certificationBody, restoredAt: Date()))
            let passed = await eventually(timeout: .seconds(45), every: .milliseconds(200)) {
                (try? await harness.count("certificate WHERE number = '\(certificate)' AND status = 'valid'")) == 1
            }
            #expect(passed)
            #expect(try await harness.count("certificate_withdrawal WHERE number = '\(certificate)'") == 1)
            #expect(try await harness.eventCount(ClaimHeld.eventType.name) == 1, "the redelivered revocation holds once")
        }
        await producer.shutdown()
    }
}

/// Publishes events onto their topics as their owners would.
struct TopicSender: Sendable {
    let producer: KafkaProducer

    @Sendable func send<Payload: EventPayload>(_ payload: Payload, id: String = UUID().uuidString.lowercased()) async throws {
        var event = try CloudEvent(payload: payload)
        event.id = id
        _ = try await producer.send(KafkaProducerRecord(event: event, topic: Payload.eventType.topic.name))
    }
}
