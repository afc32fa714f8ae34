/// What kind of business an enterprise or pilot participant is.
public enum EnterpriseKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Makes building materials.
    case manufacturer
    /// Runs an online marketplace with a sales zone (销售专区).
    case eCommercePlatform = "e-commerce-platform"
    /// A store, mall or building-materials market.
    case store
}
