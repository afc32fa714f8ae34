/// How a complaint's mediation ended.
public enum ComplaintOutcome: String, Sendable, Hashable, CaseIterable, Codable {
    /// Both parties agreed.
    case agreementReached = "agreement-reached"
    /// No agreement; mediation terminated.
    case mediationFailed = "mediation-failed"
    /// The consumer withdrew the complaint.
    case withdrawn
    /// Referred to another authority or to enforcement.
    case referred
}
