import Kafka
import Logging
import Messaging
import Metrics
import Postgres

/// Gauges of the host's state, recorded when `/metrics` is scraped: the connection pool's use, the outbox's
/// backlog (rows not yet published, and the age of the oldest, which grows while the broker or the relay is
/// stuck: what an alert watches), and the consumer's lag per assigned topic-partition (`gbm_consumer_lag`: records
/// on the broker not yet processed here, from the watermark of the last fetch response; no broker request).
struct HostMetrics: Sendable {
    let pool: PostgresPool
    let consumer: EventConsumer?
    let group: String
    let logger: Logger
    let poolOpen: Gauge
    let poolInUse: Gauge
    let poolWaiting: Gauge
    let poolMax: Gauge
    let backlog: Gauge
    let oldestAge: Gauge

    init(pool: PostgresPool, schema: String, consumer: EventConsumer?, group: String, logger: Logger) {
        self.pool = pool
        self.consumer = consumer
        self.group = group
        self.logger = logger
        let dimensions = [("schema", schema)]
        poolOpen = Gauge(label: "gbm_db_pool_connections_open", dimensions: dimensions)
        poolInUse = Gauge(label: "gbm_db_pool_connections_in_use", dimensions: dimensions)
        poolWaiting = Gauge(label: "gbm_db_pool_waiting", dimensions: dimensions)
        poolMax = Gauge(label: "gbm_db_pool_connections_max", dimensions: dimensions)
        backlog = Gauge(label: "gbm_outbox_backlog_rows", dimensions: dimensions)
        oldestAge = Gauge(label: "gbm_outbox_oldest_age_seconds", dimensions: dimensions)
    }

    func collect() async {
        let usage = pool.usage
        poolOpen.record(usage.open)
        poolInUse.record(usage.inUse)
        poolWaiting.record(usage.waiting)
        poolMax.record(pool.configuration.maxConnections)
        do {
            // `outbox` holds only what is not yet published (published rows move to outbox_published).
            let row = try await pool.query("""
                SELECT count(*) AS n,
                       coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::float8 AS age
                FROM outbox
                """).rows.first
            backlog.record(try row?.decode("n", as: Int.self) ?? 0)
            oldestAge.record(try row?.decode("age", as: Double.self) ?? 0)
        } catch {
            // The database is away: the gauges keep their last values and readiness says why.
            logger.debug("outbox backlog not measured", metadata: ["error": "\(error)"])
        }
        // Not answered in time (the consumer is inside a blocking call): the gauges keep their last values.
        for partition in await consumer?.lag() ?? [] {
            Gauge(label: "gbm_consumer_lag", dimensions: [
                ("group", group), ("topic", partition.partition.topic), ("partition", String(partition.partition.partition)),
            ]).record(partition.lag)
        }
    }
}
