import Logging
import Metrics
import Postgres

/// Gauges of the host's state, recorded when `/metrics` is scraped: the connection pool's use and the outbox's
/// backlog (rows not yet published, and the age of the oldest, which grows while the broker or the relay is
/// stuck: what an alert watches).
struct HostMetrics: Sendable {
    let pool: PostgresPool
    let logger: Logger
    let poolOpen: Gauge
    let poolInUse: Gauge
    let poolWaiting: Gauge
    let poolMax: Gauge
    let backlog: Gauge
    let oldestAge: Gauge

    init(pool: PostgresPool, schema: String, logger: Logger) {
        self.pool = pool
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
    }
}
