/// Connection and client settings shared by ``KafkaProducer``, ``KafkaConsumer``, ``KafkaAdmin`` and
/// ``KafkaTopicReader``.
///
/// The named fields cover what the services tune; anything else librdkafka understands goes in
/// ``properties``, which is applied last and therefore overrides every default this module sets.
///
/// Its descriptions (`description`, `debugDescription`, `dump`) never show the SASL password or a property whose
/// name says it is secret (`*password*`, `*secret*`, `*.key`): a configuration may be logged.
public struct KafkaConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Comma-separated `host:port` list of brokers to bootstrap from.
    public var bootstrapServers: String
    /// The `client.id` the brokers see in their logs and quotas.
    public var clientID: String
    /// Consumer group session timeout (`session.timeout.ms`). Tansu needs about 6000 in development:
    /// its group join takes about half of it.
    public var sessionTimeoutMs: Int
    /// How long a fetch may wait on the broker for data (`fetch.wait.max.ms`). About 10 in development with Tansu.
    public var fetchWaitMaxMs: Int
    /// How every client authenticates and encrypts: applied to producers, consumers, admin clients and readers alike.
    public var security: KafkaSecurity = KafkaSecurity()
    /// Extra raw librdkafka properties, applied after every default (so they win).
    public var properties: [String: String]
    /// Consumer back-pressure: how many polled messages may wait for the reader before fetching pauses.
    /// Fetching resumes once the reader has drained the buffer to half of this.
    public var consumerBufferHighWaterMark: Int = 10_000
    /// How long a consumer waits before fetching a partition again after the broker answered a fetch with
    /// an error (`fetch.error.backoff.ms`, librdkafka's default 500). Tansu answers fetches at the end of a
    /// partition that way, so in development this bounds how late a new message is seen: about 10 there.
    public var fetchErrorBackoffMs: Int = 500

    /// Creates a configuration; the defaults suit Apache Kafka in production.
    public init(
        bootstrapServers: String,
        clientID: String = "gbm",
        sessionTimeoutMs: Int = 45000,
        fetchWaitMaxMs: Int = 500,
        security: KafkaSecurity = KafkaSecurity(),
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.sessionTimeoutMs = sessionTimeoutMs
        self.fetchWaitMaxMs = fetchWaitMaxMs
        self.security = security
        self.properties = properties
    }

    /// The librdkafka properties for one client: connection and security settings, then the client's own
    /// defaults, then ``properties`` in key order (later entries override earlier ones).
    func librdkafkaProperties(defaults: [(String, String)]) -> [(String, String)] {
        var result: [(String, String)] = [
            ("bootstrap.servers", bootstrapServers),
            ("client.id", clientID),
        ]
        result += security.librdkafkaProperties
        result += defaults
        result += properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return result
    }

    public var description: String {
        var parts = ["bootstrap.servers=\(bootstrapServers)", "client.id=\(clientID)", security.description]
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            parts.append("\(key)=\(KafkaSecurity.isSecret(property: key) ? KafkaSecurity.redacted : value)")
        }
        return "KafkaConfiguration(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "bootstrapServers": bootstrapServers, "clientID": clientID, "security": security,
            "properties": properties.map { ($0.key, KafkaSecurity.isSecret(property: $0.key) ? KafkaSecurity.redacted : $0.value) }
                .sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" },
        ])
    }
}

/// How clients reach the brokers: `security.protocol`, the SASL mechanism and credentials, and the CA that signed the
/// brokers' certificates (`ssl.ca.location`). The default is `PLAINTEXT` with nothing else, as on a developer's machine.
///
/// The password is never part of a description, a debug description or a mirror.
public struct KafkaSecurity: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// librdkafka's `security.protocol`.
    public enum SecurityProtocol: String, Sendable, CaseIterable {
        case plaintext = "PLAINTEXT"
        case ssl = "SSL"
        case saslPlaintext = "SASL_PLAINTEXT"
        case saslSSL = "SASL_SSL"

        /// Whether the protocol authenticates with SASL.
        public var usesSASL: Bool { self == .saslPlaintext || self == .saslSSL }
        /// Whether the protocol encrypts with TLS.
        public var usesTLS: Bool { self == .ssl || self == .saslSSL }
    }

    /// The SASL mechanisms librdkafka 2.8 supports here (GSSAPI is not built in).
    public enum SASLMechanism: String, Sendable, CaseIterable {
        case plain = "PLAIN"
        case scramSHA256 = "SCRAM-SHA-256"
        case scramSHA512 = "SCRAM-SHA-512"
    }

    public var securityProtocol: SecurityProtocol
    public var saslMechanism: SASLMechanism?
    public var saslUsername: String?
    public var saslPassword: String?
    /// A PEM file of the CA certificate(s) the brokers' certificates are verified with; `nil` for the system's.
    public var sslCALocation: String?

    public init(
        securityProtocol: SecurityProtocol = .plaintext, saslMechanism: SASLMechanism? = nil,
        saslUsername: String? = nil, saslPassword: String? = nil, sslCALocation: String? = nil
    ) {
        self.securityProtocol = securityProtocol
        self.saslMechanism = saslMechanism
        self.saslUsername = saslUsername
        self.saslPassword = saslPassword
        self.sslCALocation = sslCALocation
    }

    /// What every client is given: only the settings that apply to the protocol.
    var librdkafkaProperties: [(String, String)] {
        var result: [(String, String)] = [("security.protocol", securityProtocol.rawValue.lowercased())]
        if securityProtocol.usesSASL {
            if let saslMechanism { result.append(("sasl.mechanisms", saslMechanism.rawValue)) }
            if let saslUsername { result.append(("sasl.username", saslUsername)) }
            if let saslPassword { result.append(("sasl.password", saslPassword)) }
        }
        if securityProtocol.usesTLS, let sslCALocation { result.append(("ssl.ca.location", sslCALocation)) }
        return result
    }

    static let redacted = "<redacted>"

    /// Whether a librdkafka property holds a secret (`sasl.password`, `ssl.key.password`, `ssl.key.pem`,
    /// `sasl.oauthbearer.client.secret`…), so that it is never shown.
    static func isSecret(property name: String) -> Bool {
        let name = name.lowercased()
        return name.contains("password") || name.contains("secret") || name.hasSuffix(".key") || name.contains(".key.")
            || name.hasSuffix("key.pem") || name.contains("jaas")
    }

    public var description: String {
        var parts = ["security.protocol=\(securityProtocol.rawValue)"]
        if let saslMechanism { parts.append("sasl.mechanism=\(saslMechanism.rawValue)") }
        if let saslUsername { parts.append("sasl.username=\(saslUsername)") }
        if saslPassword != nil { parts.append("sasl.password=\(Self.redacted)") }
        if let sslCALocation { parts.append("ssl.ca.location=\(sslCALocation)") }
        return parts.joined(separator: ", ")
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "securityProtocol": securityProtocol.rawValue, "saslMechanism": saslMechanism?.rawValue as Any,
            "saslUsername": saslUsername as Any, "saslPassword": saslPassword == nil ? "nil" : Self.redacted,
            "sslCALocation": sslCALocation as Any,
        ])
    }
}
