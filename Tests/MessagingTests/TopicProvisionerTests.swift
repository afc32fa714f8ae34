import Contracts
import Kafka
import Messaging
import TestSupport
import Testing

@Suite("Topic provisioner: durability")
struct TopicProvisionerTests {
    @Test func everyTopicItCreatesGetsTheDeploymentsReplicationFactorAndMinInsyncReplicas() throws {
        let admin = KafkaAdmin(configuration: try kafkaConfiguration(), logger: testLogger)
        let provisioner = TopicProvisioner(
            admin: admin, durability: .init(replicationFactor: 3, minInsyncReplicas: 2), logger: testLogger)
        let specs = provisioner.specifications(
            owned: [.pilotRegions, .pilotActivities], consumed: [.catalogueEnterprises, .pilotRegions])
        #expect(specs.map(\.name) == [
            "gbm.pilot.regions.v1", "gbm.pilot.activities.v1", "gbm.catalogue.enterprises.v1",
            "gbm.catalogue.enterprises.v1.dlq", "gbm.pilot.regions.v1.dlq",
        ])
        #expect(specs.map(\.partitions) == [3, 6, 3, 1, 1])
        for spec in specs {
            #expect(spec.replicationFactor == 3, "\(spec.name)")
            #expect(spec.configs == ["min.insync.replicas": "2"], "\(spec.name)")
        }
        let local = TopicProvisioner(admin: admin, logger: testLogger).specifications(owned: [.pilotRegions], consumed: [])
        #expect(local.first?.replicationFactor == 1 && local.first?.configs == ["min.insync.replicas": "1"],
                "a single broker by default")
    }
}

@Suite("Topic provisioner: on the broker")
struct TopicProvisionerBrokerTests {
    /// Tansu keeps the replication factor and configs a topic was created with, as Apache Kafka does (it has one
    /// broker, so it cannot refuse a factor of three; a Kafka cluster refuses more replicas than brokers).
    @Test func theBrokerHasEveryTopicWithTheReplicationFactorAndMinInsyncReplicasAsked() async throws {
        let broker = try LocalTansuBroker()
        defer { broker.stop() }
        let admin = KafkaAdmin(configuration: try kafkaConfiguration(broker.bootstrapServers), logger: testLogger)
        try await TopicProvisioner(admin: admin, durability: .init(replicationFactor: 3, minInsyncReplicas: 2), logger: testLogger)
            .ensure(owned: [.subsidyClaims], consumed: [.pilotRegions])
        for topic in ["gbm.subsidy.claims.v1", "gbm.pilot.regions.v1", "gbm.pilot.regions.v1.dlq"] {
            #expect(try await admin.replicationFactor(topic: topic) == 3, "\(topic)")
            #expect(try await admin.topicConfiguration(topic)["min.insync.replicas"] == "2", "\(topic)")
        }
        #expect(try await admin.partitionCount(topic: "gbm.subsidy.claims.v1") == 6)
        #expect(try await admin.partitionCount(topic: "gbm.pilot.regions.v1.dlq") == 1)
    }
}
