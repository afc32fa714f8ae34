import Contracts
import Kafka
import Metrics
import Postgres
import ServiceLifecycle

/// Publishes `gbm_consumer_lag{topic}` for Prometheus: per consumed topic, the records on the broker not yet applied
/// here, i.e. the sum over partitions of the high watermark minus one past the highest offset the inbox recorded
/// (never below 0). Read every `interval` from the broker's watermarks and this schema's inbox.
struct ConsumerLag: Service {
    let context: ReportingContext
    let topics: [String]
    let kafka: KafkaConfiguration
    var interval: Duration = .seconds(15)

    func run() async throws {
        let reader = KafkaTopicReader(configuration: kafka, logger: context.logger)
        let gauges = Dictionary(uniqueKeysWithValues: topics.map { ($0, Gauge(label: "gbm_consumer_lag", dimensions: [("topic", $0)])) })
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    for (topic, lag) in try await measure(reader: reader) { gauges[topic]?.record(lag) }
                } catch {
                    context.logger.warning("consumer lag not measured", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Each topic's lag now.
    func measure(reader: KafkaTopicReader) async throws -> [String: Int64] {
        let rows = try await context.pool.query("""
            SELECT topic, kafka_partition, max(kafka_offset)::int8 AS applied FROM inbox
            WHERE topic = ANY(\(topics)) GROUP BY topic, kafka_partition
            """)
        var applied: [String: Int64] = [:]
        for row in rows.rows {
            applied["\(try row.decode("topic", as: String.self))/\(try row.decode("kafka_partition", as: Int.self))"] =
                try row.decode("applied", as: Int64.self)
        }
        var lag: [String: Int64] = [:]
        for topic in topics {
            var total: Int64 = 0
            for marks in try await reader.watermarks(topic: topic) {
                let next = applied["\(topic)/\(marks.partition)"].map { $0 + 1 } ?? marks.low
                total += max(0, marks.high - next)
            }
            lag[topic] = total
        }
        return lag
    }
}
