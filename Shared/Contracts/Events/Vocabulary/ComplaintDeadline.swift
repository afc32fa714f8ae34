/// The working-day deadlines of a complaint.
public enum ComplaintDeadline: String, Sendable, Hashable, CaseIterable, Codable {
    /// Accept or reject within 7 working days of receipt.
    case acceptance
    /// End mediation within 45 working days of acceptance.
    case mediation
}
