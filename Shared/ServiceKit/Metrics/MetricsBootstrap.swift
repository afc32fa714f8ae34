import Metrics
import Prometheus

/// The process's one swift-metrics backend: a Prometheus registry that `GET /metrics` exposes.
///
/// Names follow Prometheus's conventions: dots become underscores, and Hummingbird's request metrics are renamed
/// (``prometheusName(_:)``) so that counters end in `_total` and durations in `_seconds`.
///
/// swift-metrics can be bootstrapped only once per process (a second `MetricsSystem.bootstrap` traps), so nothing
/// else may call it; ``bootstrap()`` does it on first use and afterwards returns the same registry.
public enum MetricsBootstrap {
    private static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (prometheusName(name), labels.map { (prometheusName($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Hummingbird's metric names as Prometheus spells them; any other name with its dots as underscores.
    static func prometheusName(_ name: String) -> String {
        switch name {
        case "hb.requests": "http_server_requests_total"
        case "hb.request.errors": "http_server_request_errors_total"
        case "http.server.request.duration": "http_server_request_duration_seconds"
        case "http.server.active_requests": "http_server_active_requests"
        default: name.replacingOccurrences(of: ".", with: "_")
        }
    }

    /// Bootstraps `MetricsSystem` with Prometheus the first time; safe to call repeatedly and concurrently.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry {
        registry
    }
}
