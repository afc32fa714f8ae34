/// The level of government that funds a share of a subsidy programme.
public enum FundingLevel: String, Sendable, Hashable, CaseIterable, Codable {
    /// Central government (中央财政).
    case central
    /// Province (省级财政).
    case provincial
    /// Prefecture-level city (市级财政).
    case municipal
    /// County (县级财政).
    case county
}
