import Foundation
import Kafka
import Logging
import Messaging
import Postgres
import Reporting
@testable import ServiceHost
import ServiceKit
import Subsidy
import TestSupport
import Testing

/// Durability, retention and security settings from the environment: mapped, checked, and never shown with a secret.
@Suite struct HostSecurityConfigurationTests {
    static let kafkaPassword = "kafka-\(UUID().uuidString)"
    static let databasePassword = "db-\(UUID().uuidString)"

    static func configuration(_ values: [String: String]) throws(ConfigurationError) -> HostConfiguration {
        try HostConfiguration(definition: SubsidyService.definition, environment: EnvironmentReader(values))
    }

    static func error(_ values: [String: String]) -> ConfigurationError? {
        do {
            _ = try configuration(values)
            return nil
        } catch {
            return error
        }
    }

    /// A readable PEM file for the CA variables.
    static func caFile() throws -> String {
        let directory = "/tmp/\(uniqueName("host-ca"))"
        return try TestCertificates.make(in: directory, hosts: ["localhost"]).caCertificate
    }

    @Test func defaultsAreASingleBrokerPlaintextAndAWeeksRetention() throws {
        let configuration = try Self.configuration([:])
        #expect(configuration.durability == .init(replicationFactor: 1, minInsyncReplicas: 1))
        #expect(configuration.kafka.security == KafkaSecurity())
        #expect(configuration.outboxRetention == .seconds(168 * 3600))
        #expect(configuration.postgres.sslMode == nil && configuration.postgres.sslRootCert == nil)
    }

    @Test func theEnvironmentSetsDurabilityRetentionAndSecurityForKafkaAndPostgres() throws {
        let ca = try Self.caFile()
        let configuration = try Self.configuration([
            "GBM_KAFKA_REPLICATION_FACTOR": "3", "GBM_KAFKA_MIN_INSYNC_REPLICAS": "2",
            "GBM_OUTBOX_RETENTION_HOURS": "72",
            "GBM_KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "GBM_KAFKA_SASL_MECHANISM": "scram-sha-512",
            "GBM_KAFKA_SASL_USERNAME": "subsidy", "GBM_KAFKA_SASL_PASSWORD": Self.kafkaPassword,
            "GBM_KAFKA_SSL_CA_LOCATION": ca,
            "GBM_PG_SSLMODE": "verify-full", "GBM_PG_SSLROOTCERT": ca,
        ])
        #expect(configuration.durability == .init(replicationFactor: 3, minInsyncReplicas: 2))
        #expect(configuration.outboxRetention == .seconds(72 * 3600))
        #expect(configuration.kafka.security == KafkaSecurity(
            securityProtocol: .saslSSL, saslMechanism: .scramSHA512, saslUsername: "subsidy",
            saslPassword: Self.kafkaPassword, sslCALocation: ca))
        #expect(configuration.postgres.sslMode == .verifyFull)
        #expect(configuration.postgres.sslRootCert == ca)
        // The tool reads the same variables the same way.
        let tool = try HostConfiguration.kafka(environment: EnvironmentReader([
            "GBM_KAFKA_BROKERS": "k1:9092,k2:9092", "GBM_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "GBM_KAFKA_SASL_MECHANISM": "PLAIN", "GBM_KAFKA_SASL_USERNAME": "gbm-ops", "GBM_KAFKA_SASL_PASSWORD": Self.kafkaPassword,
        ]), clientID: "gbm-dlq")
        #expect(tool.bootstrapServers == "k1:9092,k2:9092" && tool.clientID == "gbm-dlq")
        #expect(tool.security.securityProtocol == .saslPlaintext && tool.security.saslUsername == "gbm-ops")
    }

    @Test func inconsistentOrIncompleteSettingsNameTheVariableAndNeverEchoThePassword() throws {
        let ca = try Self.caFile()
        let sasl = ["GBM_KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "GBM_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
                    "GBM_KAFKA_SASL_USERNAME": "subsidy", "GBM_KAFKA_SASL_PASSWORD": Self.kafkaPassword]
        func without(_ name: String) -> [String: String] { sasl.filter { $0.key != name } }
        let cases: [([String: String], String)] = [
            (["GBM_KAFKA_REPLICATION_FACTOR": "2", "GBM_KAFKA_MIN_INSYNC_REPLICAS": "3"], "GBM_KAFKA_MIN_INSYNC_REPLICAS"),
            (["GBM_KAFKA_REPLICATION_FACTOR": "0"], "GBM_KAFKA_REPLICATION_FACTOR"),
            (["GBM_OUTBOX_RETENTION_HOURS": "-1"], "GBM_OUTBOX_RETENTION_HOURS"),
            (["GBM_KAFKA_SECURITY_PROTOCOL": "TLS"], "GBM_KAFKA_SECURITY_PROTOCOL"),
            (without("GBM_KAFKA_SASL_MECHANISM"), "GBM_KAFKA_SASL_MECHANISM"),
            (sasl.merging(["GBM_KAFKA_SASL_MECHANISM": "GSSAPI"]) { $1 }, "GBM_KAFKA_SASL_MECHANISM"),
            (without("GBM_KAFKA_SASL_USERNAME"), "GBM_KAFKA_SASL_USERNAME"),
            (without("GBM_KAFKA_SASL_PASSWORD"), "GBM_KAFKA_SASL_PASSWORD"),
            (["GBM_KAFKA_SASL_PASSWORD": Self.kafkaPassword], "GBM_KAFKA_SASL_PASSWORD"),
            (sasl.merging(["GBM_KAFKA_SSL_CA_LOCATION": "/nonexistent/ca.crt"]) { $1 }, "GBM_KAFKA_SSL_CA_LOCATION"),
            (["GBM_KAFKA_SSL_CA_LOCATION": ca], "GBM_KAFKA_SSL_CA_LOCATION"),
            (["GBM_PG_SSLMODE": "on"], "GBM_PG_SSLMODE"),
            (["GBM_PG_SSLROOTCERT": "/nonexistent/root.crt"], "GBM_PG_SSLROOTCERT"),
            (["GBM_PG_SSLMODE": "disable", "GBM_PG_SSLROOTCERT": ca], "GBM_PG_SSLROOTCERT"),
        ]
        for (values, variable) in cases {
            let error = Self.error(values)
            #expect(error?.variable == variable, "\(values.keys.sorted()): \(String(describing: error))")
            #expect(error.map { !"\($0)".contains(Self.kafkaPassword) } ?? true)
        }
    }

    /// From the environment to the broker: a service starting on a fresh cluster creates its topics and the
    /// dead-letter topics of what it consumes with the deployment's replication factor and `min.insync.replicas`.
    @Test func aServiceCreatesItsTopicsWithItsEnvironmentsDurability() async throws {
        let broker = try LocalTansuBroker()
        defer { broker.stop() }
        let definition = SubsidyService.definition
        var configuration = try hostConfiguration(for: definition)
        configuration.kafka.bootstrapServers = broker.bootstrapServers
        configuration.durability = try HostConfiguration(definition: definition, environment: EnvironmentReader([
            "GBM_KAFKA_REPLICATION_FACTOR": "3", "GBM_KAFKA_MIN_INSYNC_REPLICAS": "2",
        ])).durability
        let host = try await ServiceHost.assemble(definition, configuration: configuration)
        await host.context.pool.close()
        let admin = KafkaAdmin(configuration: configuration.kafka, logger: Logger(label: "test"))
        let topics = definition.owns.map(\.name) + definition.consumes.map(\.name) + definition.consumes.map(\.deadLetter)
        for topic in topics {
            #expect(try await admin.replicationFactor(topic: topic) == 3, "\(topic)")
            #expect(try await admin.topicConfiguration(topic)["min.insync.replicas"] == "2", "\(topic)")
        }
    }

    @Test func noDescriptionOrDumpOfTheConfigurationShowsAnySecret() throws {
        let secrets = [
            "GBM_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT", "GBM_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "GBM_KAFKA_SASL_USERNAME": "subsidy", "GBM_KAFKA_SASL_PASSWORD": Self.kafkaPassword,
            "GBM_DB_PASSWORD": Self.databasePassword, "GBM_TOKEN_SECRET": String(repeating: "t", count: 40) + "secret",
            "GBM_PII_HASH_KEY": Data(repeating: 7, count: 32).base64EncodedString(),
            "GBM_PII_ENCRYPTION_KEY": Data(repeating: 9, count: 32).base64EncodedString(),
        ]
        let configuration = try Self.configuration(secrets)
        var dumped = ""
        dump(configuration, to: &dumped)
        let texts = [configuration.description, String(reflecting: configuration), "\(configuration)", dumped,
                     "\(configuration.kafka)", "\(configuration.postgres)", "\(ServiceHost.startupMetadata(configuration))"]
        for text in texts {
            for secret in [Self.kafkaPassword, Self.databasePassword, secrets["GBM_TOKEN_SECRET"]!,
                           secrets["GBM_PII_HASH_KEY"]!, secrets["GBM_PII_ENCRYPTION_KEY"]!] {
                #expect(!text.contains(secret), "a secret in: \(text)")
            }
        }
        let startup = "\(ServiceHost.startupMetadata(configuration))"
        #expect(startup.contains("SASL_PLAINTEXT") && startup.contains("sasl.username=subsidy"), "\(startup)")
    }
}
