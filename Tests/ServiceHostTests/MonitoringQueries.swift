import Foundation
import TestSupport

/// The metric names the operations files query: the Grafana dashboards' expressions and the Prometheus alert rules
/// (`deploy/compose/`), limited to the services' own families (`gbm_`, `http_server_`, `process_`).
enum MonitoringQueries {
    static func metricNames() throws -> Set<String> {
        var expressions: [String] = []
        let dashboards = RepositoryFiles.root.appendingPathComponent("deploy/compose/grafana/dashboards")
        for file in try FileManager.default.contentsOfDirectory(atPath: dashboards.path) where file.hasSuffix(".json") {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dashboards.appendingPathComponent(file)))
            collect(json, into: &expressions)
        }
        // The alert expressions (`expr: …` and the lines of a `expr: |` block).
        expressions.append(try RepositoryFiles.text("deploy/compose/prometheus/alerts.yml")
            .split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") && !$0.contains("summary:")
                && !$0.contains("description:") }.joined(separator: "\n"))
        let pattern = try NSRegularExpression(pattern: #"\b(gbm_|http_server_|process_)[a-z0-9_]+"#)
        var names = Set<String>()
        for expression in expressions {
            for match in pattern.matches(in: expression, range: NSRange(expression.startIndex..., in: expression)) {
                if let range = Range(match.range, in: expression) { names.insert(String(expression[range])) }
            }
        }
        return names
    }

    private static func collect(_ value: Any, into expressions: inout [String]) {
        if let object = value as? [String: Any] {
            for (key, child) in object {
                if key == "expr", let text = child as? String { expressions.append(text) } else { collect(child, into: &expressions) }
            }
        } else if let array = value as? [Any] {
            for child in array { collect(child, into: &expressions) }
        }
    }
}
