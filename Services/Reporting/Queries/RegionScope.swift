import Contracts

/// What a query covers: one division and everything under it, or the whole country (`nil` region). Facts carry
/// their division's 6-, 9- or 12-digit code, so a division's facts are those whose code starts with its significant
/// digits (a province's two, a city's four, a county's six…).
struct RegionScope: Sendable, Equatable {
    var region: DivisionCode?

    static let national = RegionScope(region: nil)

    /// The `LIKE` pattern of the facts in scope.
    var pattern: String {
        guard let region else { return "%" }
        let significant = switch region.level {
        case .province: 2
        case .city: 4
        case .county: 6
        case .town: 9
        case .village: 12
        }
        return String(region.rawValue.prefix(significant)) + "%"
    }

    /// Whether a fact's division code is in scope (what `pattern` matches).
    func contains(_ code: String) -> Bool {
        let pattern = self.pattern
        return pattern == "%" || code.hasPrefix(pattern.dropLast())
    }
}
