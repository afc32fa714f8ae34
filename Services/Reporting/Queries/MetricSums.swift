/// A scope's metric values, per metric and per metric and dimension, as the overview and the reports read them from
/// `measure`: one place that adds them up and answers `sum(.claims, "approved")`.
struct MetricSums: Sendable {
    private var values: [String: Int64] = [:]

    /// Adds a value of `metric` in `dimension`.
    mutating func add(_ metric: Metric, _ dimension: String, _ value: Int64) {
        values[metric.rawValue, default: 0] += value
        values["\(metric.rawValue)|\(dimension)", default: 0] += value
    }

    /// The metric's value in all dimensions, or in one.
    func sum(_ metric: Metric, _ dimension: String? = nil) -> Int64 {
        values[dimension.map { "\(metric.rawValue)|\($0)" } ?? metric.rawValue] ?? 0
    }
}
