/// Why a product is on a region's local list.
public enum LocalListEntryBasis: String, Sendable, Hashable, CaseIterable, Codable {
    /// It holds a valid green building material certificate.
    case certified
    /// It is not certified but meets one of the region's published technical requirements (test report).
    case technicalRequirement = "technical-requirement"
}
