/// How a series is bucketed: per day, per calendar month or per calendar year (Asia/Shanghai days).
public enum Granularity: String, Sendable, CaseIterable, Codable {
    case day, month, year
}
