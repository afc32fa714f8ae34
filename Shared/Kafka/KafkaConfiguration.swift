/// Connection and client settings shared by ``KafkaProducer``, ``KafkaConsumer`` and ``KafkaAdmin``.
///
/// The named fields cover what the services tune; anything else librdkafka understands goes in
/// ``properties``, which is applied last and therefore overrides every default this module sets.
public struct KafkaConfiguration: Sendable {
    /// Comma-separated `host:port` list of brokers to bootstrap from.
    public var bootstrapServers: String
    /// The `client.id` the brokers see in their logs and quotas.
    public var clientID: String
    /// Consumer group session timeout (`session.timeout.ms`). Tansu needs about 6000 in development:
    /// its group join takes about half of it.
    public var sessionTimeoutMs: Int
    /// How long a fetch may wait on the broker for data (`fetch.wait.max.ms`). About 10 in development with Tansu.
    public var fetchWaitMaxMs: Int
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
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.sessionTimeoutMs = sessionTimeoutMs
        self.fetchWaitMaxMs = fetchWaitMaxMs
        self.properties = properties
    }

    /// The librdkafka properties for one client: connection settings, then the client's own defaults,
    /// then ``properties`` in key order (later entries override earlier ones).
    func librdkafkaProperties(defaults: [(String, String)]) -> [(String, String)] {
        var result: [(String, String)] = [
            ("bootstrap.servers", bootstrapServers),
            ("client.id", clientID),
        ]
        result += defaults
        result += properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return result
    }
}
