/// Whether an activity happens online or at a place.
public enum ActivityMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// At a place; needs a safety plan.
    case offline
    /// Online only.
    case online
}
