/// How a programme rounds a rate applied to a price to the fen.
public enum RoundingRule: String, Sendable, Hashable, CaseIterable, Codable {
    /// Half up (half away from zero): 49.5 fen → 50 fen. The platform's default.
    case halfUp = "half-up"
    /// Down (toward zero): 49.9 fen → 49 fen.
    case down
}
