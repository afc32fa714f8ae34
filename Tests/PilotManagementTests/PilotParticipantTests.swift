import Contracts
import Foundation
import HTTPTypes
import Kafka
import Logging
import Messaging
import ServiceTestSupport
import TestSupport
import Testing
@testable import PilotManagement

/// A valid unified social credit code ending in the given serial.
func creditCode(_ serial: Int) -> String {
    let first17 = "9133010" + String(format: "%010d", serial)
    return first17 + String(try! UnifiedSocialCreditCode.checkCharacter(forFirst17: first17))
}

@Suite("Pilot participants, over HTTP and the catalogue topic")
struct PilotParticipantTests {
    @Test func onlyCatalogueEnterprisesEnrolAndAWithdrawalNeedsAReason() async throws {
        let harness = try await PilotHarness.make()
        let leader = creditCode(1), platform = creditCode(2), unknown = creditCode(3)
        try await harness.registerEnterprise(leader, name: "浙江绿筑新材料科技有限公司", chainLeader: true, cluster: "湖州绿色建材产业集群")
        try await harness.registerEnterprise(platform, name: "某电商平台", kind: .eCommercePlatform)
        try await harness.run { client in
            let token = Tokens.region("330000")
            let unknownReply = try await client.send(.post, "/regions/330000/participants", token: token,
                                                     json: "{\"creditCode\":\"\(unknown)\",\"pledgedDiscountBasisPoints\":500}")
            #expect(unknownReply.status == .unprocessableContent)
            #expect(unknownReply.code == "unknown-enterprise")
            #expect(unknownReply.fields == ["creditCode"])
            let badCheck = try await client.send(.post, "/regions/330000/participants", token: token,
                                                 json: #"{"creditCode":"91330100MA2B7K3L5A","pledgedDiscountBasisPoints":20000}"#)
            #expect(Set(badCheck.fields) == ["creditCode", "pledgedDiscountBasisPoints"])

            let enrolled = try await client.send(.post, "/regions/330000/participants", token: token,
                                                 json: "{\"creditCode\":\"\(leader)\",\"pledgedDiscountBasisPoints\":800,\"salesZone\":\"线下旗舰店绿色建材专区\"}")
            #expect(enrolled.status == .created, "\(enrolled.text)")
            #expect(enrolled.json["isChainLeader"] as? Bool == true)
            #expect(enrolled.json["name"] as? String == "浙江绿筑新材料科技有限公司")
            let platformReply = try await client.send(.post, "/regions/330000/participants", token: token,
                                                      json: "{\"creditCode\":\"\(platform)\",\"pledgedDiscountBasisPoints\":300,\"salesZone\":\"https://example.cn/gbm\",\"industrialCluster\":\"湖州绿色建材产业集群\"}")
            #expect(platformReply.json["kind"] as? String == "e-commerce-platform")
            let twice = try await client.send(.post, "/regions/330000/participants", token: token,
                                              json: "{\"creditCode\":\"\(leader)\",\"pledgedDiscountBasisPoints\":800}")
            #expect(twice.code == "already-enrolled")
            let notPilot = try await client.send(.post, "/regions/320000/participants", token: Tokens.region("320000"),
                                                 json: "{\"creditCode\":\"\(leader)\",\"pledgedDiscountBasisPoints\":800}")
            #expect(notPilot.code == "region-not-approved")

            let chain = try await client.send(.get, "/regions/330000/industrial-chain", token: token)
            #expect((chain.json["chainLeaders"] as? [[String: Any]])?.count == 1)
            let clusters = chain.json["clusters"] as? [[String: Any]]
            #expect(clusters?.first?["participants"] as? [String] == [leader, platform])

            let noReason = try await client.send(.post, "/participants/\(enrolled.id)/withdrawal", token: token, json: #"{"reason":" "}"#)
            #expect(noReason.fields == ["reason"])
            let foreign = try await client.send(.post, "/participants/\(enrolled.id)/withdrawal", token: Tokens.region("370000"),
                                                json: #"{"reason":"越权"}"#)
            #expect(foreign.status == .forbidden)
            let withdrawn = try await client.send(.post, "/participants/\(enrolled.id)/withdrawal", token: token,
                                                  json: #"{"reason":"企业经营调整"}"#)
            #expect(withdrawn.json["status"] as? String == "withdrawn")
            let list = try await client.send(.get, "/regions/330000/participants?status=enrolled", token: token)
            #expect((list.json["participants"] as? [[String: Any]])?.count == 1)
            let region = try await client.send(.get, "/regions/330000", token: token)
            #expect((region.json["counts"] as? [String: Any])?["participantsEnrolled"] as? Int == 1)
        }
        let enrolments = try await harness.events("gbm.pilot.participant.enrolled.v1")
        #expect(enrolments.count == 2)
        #expect(enrolments.first?.payload["pledgedDiscountBasisPoints"] as? Int == 800)
        let withdrawals = try await harness.events("gbm.pilot.participant.withdrawn.v1")
        #expect(withdrawals.first?.payload["reason"] as? String == "企业经营调整")
    }

    @Test func anEnterpriseRegisteredOnTheCatalogueTopicCanEnrol() async throws {
        let harness = try await PilotHarness.make()
        let code = creditCode(42)
        let env = try TestEnvironment.current()
        let producer = try KafkaProducer(configuration: harness.host.configuration.kafka, logger: Logger(label: "test"))
        try await harness.host.application(withServices: true).test(.router) { raw in
            let client = PilotClient(client: raw)
            let payload = EnterpriseRegistered(
                creditCode: try UnifiedSocialCreditCode(validating: code), name: "山东绿色门窗有限公司", kind: .manufacturer,
                regionCode: try DivisionCode(validating: "370100"), address: "济南市历下区1号", isChainLeader: false,
                industrialCluster: nil, registeredAt: Date(), actorRole: .certificationCommittee)
            _ = try await producer.send(KafkaProducerRecord(event: try CloudEvent(payload: payload), topic: Topic.catalogueEnterprises.name))
            let participantID = LockedValue<String?>(nil)
            let enrolled = await eventually(timeout: .seconds(40), every: .milliseconds(250)) {
                let reply = try? await client.send(.post, "/regions/370000/participants", token: Tokens.region("370000"),
                                                   json: "{\"creditCode\":\"\(code)\",\"pledgedDiscountBasisPoints\":500}")
                if reply?.status == .created { participantID.withLock { $0 = reply?.id } }
                return reply?.status == .created
            }
            #expect(enrolled, "the enterprise reached the directory through \(Topic.catalogueEnterprises.name) on \(env.kafkaBrokers)")
            #expect(try await harness.count("known_enterprise WHERE credit_code = '\(code)'") == 1)

            // The relay publishes the enrolment on gbm.pilot.participants.v1, keyed by the participant.
            let id = try #require(participantID.current)
            let reader = try KafkaConsumer(
                configuration: harness.host.configuration.kafka, groupID: uniqueName("pilot-reader"),
                topics: [Topic.pilotParticipants.name], logger: Logger(label: "test"))
            let found = LockedValue<CloudEvent?>(nil)
            let reading = Task {
                for await message in reader.messages {
                    if let event = try? CloudEvent(message: message), event.subject == id {
                        found.withLock { $0 = event }
                        break
                    }
                }
            }
            let published = await eventually(timeout: .seconds(30), every: .milliseconds(100)) { found.current != nil }
            await reader.close()
            reading.cancel()
            #expect(published)
            let event = try #require(found.current)
            #expect(event.type == "gbm.pilot.participant.enrolled.v1")
            let enrolment = try event.decode(ParticipantEnrolled.self)
            #expect(enrolment.creditCode.rawValue == code)
            #expect(enrolment.name == "山东绿色门窗有限公司")
        }
        // The host's services have stopped and closed the pool with them.
        await producer.shutdown()
    }
}
