import Metrics
import Prometheus

/// The process's one swift-metrics backend: a Prometheus registry that `GET /metrics` exposes.
///
/// swift-metrics can be bootstrapped only once per process (a second `MetricsSystem.bootstrap` traps), so nothing
/// else may call it; ``bootstrap()`` does it on first use and afterwards returns the same registry.
public enum MetricsBootstrap {
    private static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Bootstraps `MetricsSystem` with Prometheus the first time; safe to call repeatedly and concurrently.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry {
        registry
    }
}
