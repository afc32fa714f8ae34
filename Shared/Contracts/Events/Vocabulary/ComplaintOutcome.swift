/// How a case ended when it was closed.
public enum ComplaintOutcome: String, Sendable, Hashable, CaseIterable, Codable {
    /// A consultation was answered.
    case answered
    /// A complaint was not accepted.
    case notAccepted = "not-accepted"
    /// The respondent settled it first (firm-first settlement).
    case settled
    /// Mediation reached an agreement.
    case mediated
    /// Mediation was terminated without agreement.
    case mediationTerminated = "mediation-terminated"
    /// The complainant withdrew it.
    case withdrawn
    /// A report was decided (a case opened or declined).
    case reportDecided = "report-decided"
}
