import Foundation
@testable import Kafka
import Logging
import TestSupport
import Testing

/// Security settings reach every librdkafka client, and the password reaches nothing else: no description, no dump,
/// no log line (librdkafka's own security debugging included).
@Suite("Kafka security settings")
struct KafkaSecurityTests {
    static let password = "pw-\(UUID().uuidString)"

    static let saslSSL = KafkaSecurity(
        securityProtocol: .saslSSL, saslMechanism: .scramSHA512, saslUsername: "catalogue", saslPassword: password,
        sslCALocation: "/etc/gbm/kafka-ca.crt")

    @Test func plaintextByDefaultWithNoCredentials() {
        let properties = KafkaConfiguration(bootstrapServers: "b:9092").librdkafkaProperties(defaults: [])
        #expect(properties.filter { $0.0.hasPrefix("sasl.") || $0.0.hasPrefix("ssl.") }.isEmpty)
        #expect(properties.first { $0.0 == "security.protocol" }?.1 == "plaintext")
    }

    @Test func saslSSLSetsProtocolMechanismCredentialsAndCABeforeTheClientsDefaults() {
        let configuration = KafkaConfiguration(bootstrapServers: "b:9092", security: Self.saslSSL)
        let properties = configuration.librdkafkaProperties(defaults: [("acks", "all")])
        let values = Dictionary(properties, uniquingKeysWith: { $1 })
        #expect(values["security.protocol"] == "sasl_ssl")
        #expect(values["sasl.mechanisms"] == "SCRAM-SHA-512")
        #expect(values["sasl.username"] == "catalogue")
        #expect(values["sasl.password"] == Self.password)
        #expect(values["ssl.ca.location"] == "/etc/gbm/kafka-ca.crt")
        let names = properties.map(\.0)
        #expect(names.firstIndex(of: "security.protocol")! < names.firstIndex(of: "acks")!,
                "a raw property can still override them")
    }

    @Test func settingsTheProtocolDoesNotUseAreNotPassed() {
        var plainSASL = Self.saslSSL
        plainSASL.securityProtocol = .saslPlaintext
        let values = Dictionary(
            KafkaConfiguration(bootstrapServers: "b:9092", security: plainSASL).librdkafkaProperties(defaults: []),
            uniquingKeysWith: { $1 })
        #expect(values["ssl.ca.location"] == nil, "no TLS with SASL_PLAINTEXT")
        #expect(values["sasl.password"] == Self.password)
        var tlsOnly = Self.saslSSL
        tlsOnly.securityProtocol = .ssl
        let tls = Dictionary(
            KafkaConfiguration(bootstrapServers: "b:9092", security: tlsOnly).librdkafkaProperties(defaults: []),
            uniquingKeysWith: { $1 })
        #expect(tls["sasl.password"] == nil && tls["sasl.username"] == nil)
        #expect(tls["ssl.ca.location"] == "/etc/gbm/kafka-ca.crt")
    }

    @Test func noDescriptionDebugDescriptionOrDumpShowsThePassword() {
        let configuration = KafkaConfiguration(
            bootstrapServers: "b:9092", security: Self.saslSSL,
            properties: ["ssl.key.password": "key-\(Self.password)", "linger.ms": "5"])
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [configuration.description, configuration.debugDescription, "\(configuration)",
                     String(reflecting: configuration), dumped, "\(configuration.security)", String(reflecting: configuration.security)] {
            #expect(!text.contains(Self.password), "\(text)")
        }
        #expect(configuration.description.contains("sasl.username=catalogue"))
        #expect(configuration.description.contains("sasl.password=<redacted>"))
        #expect(configuration.description.contains("linger.ms=5"))
    }

    /// librdkafka itself checks the settings when a client is made: a CA file that holds no certificate is refused.
    @Test func everyClientKindGetsTheSettingsAndLibrdkafkaRefusesAnUnreadableCA() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("kafka-ca"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = try TestCertificates.make(in: directory.path, hosts: ["localhost"]).caCertificate
        let bad = directory.appendingPathComponent("bad.crt").path
        try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: bad))

        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1", clientID: uniqueName("security"))
        configuration.security = KafkaSecurity(
            securityProtocol: .saslSSL, saslMechanism: .scramSHA512, saslUsername: "u", saslPassword: Self.password,
            sslCALocation: good)
        let producer = try KafkaProducer(configuration: configuration, logger: testLogger)
        await producer.shutdown(flushTimeout: .zero)

        configuration.security.sslCALocation = bad
        #expect { try KafkaProducer(configuration: configuration, logger: testLogger) } throws: { error in
            (error as? KafkaError)?.name == "_INVALID_ARG"
        }
        #expect { try KafkaConsumer(configuration: configuration, groupID: "g", topics: ["t"], logger: testLogger) } throws: { error in
            (error as? KafkaError)?.name == "_INVALID_ARG"
        }
        await #expect { try await KafkaAdmin(configuration: configuration, logger: testLogger).partitionCount(topic: "t") } throws: { error in
            (error as? KafkaError)?.name == "_INVALID_ARG"
        }
        await #expect { try await KafkaTopicReader(configuration: configuration, logger: testLogger).watermarks(topic: "t") } throws: { error in
            (error as? KafkaError)?.name == "_INVALID_ARG"
        }
    }

    /// With librdkafka's security, broker and protocol debugging on, a client that authenticates (SASL PLAIN, which
    /// carries the password in the clear inside its frame) logs plenty, and never the password.
    @Test func thePasswordIsInNoLogLineEvenWithLibrdkafkasSecurityDebugging() async throws {
        let environment = try TestEnvironment.current()
        let lines = LockedValue<[String]>([])
        var logger = Logger(label: "kafka-security") { _ in CapturingLogHandler(lines: lines) }
        logger.logLevel = .trace
        var configuration = testConfiguration(environment, properties: [
            "debug": "security,broker,protocol", "message.timeout.ms": "3000",
        ])
        configuration.clientID = uniqueName("security")
        configuration.security = KafkaSecurity(
            securityProtocol: .saslPlaintext, saslMechanism: .plain, saslUsername: "catalogue", saslPassword: Self.password)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        _ = try? await producer.send(KafkaProducerRecord(topic: uniqueName("absent"), key: nil, value: Array("x".utf8)))
        _ = try? await producer.partitionCount(topic: "t", timeout: .seconds(2))
        await producer.shutdown(flushTimeout: .zero)
        let logged = lines.current
        #expect(logged.count > 10, "librdkafka's debugging was on: \(logged.count) lines")
        #expect(logged.contains { $0.contains("SASL") || $0.contains("sasl") }, "it logged its SASL work")
        #expect(!logged.contains { $0.contains(Self.password) })
    }
}

/// Keeps every log line, metadata included.
struct CapturingLogHandler: LogHandler {
    let lines: LockedValue<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
    }
}
