/// A reviewer's decision on a held subsidy claim.
public enum ClaimReviewDecision: String, Sendable, Hashable, CaseIterable, Codable {
    case approve
    case reject
}
