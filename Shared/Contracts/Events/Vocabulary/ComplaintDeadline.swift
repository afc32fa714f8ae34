/// The working-day deadlines of a case (SAMR interim measures on complaints and reports).
public enum ComplaintDeadline: String, Sendable, Hashable, CaseIterable, Codable {
    /// Accept a complaint or not within 7 working days of receipt (or of reopening).
    case acceptance
    /// Firm-first settlement within 10 working days of its start.
    case settlement
    /// End mediation within 45 working days of acceptance.
    case mediation
    /// Tell the parties within 7 working days that mediation was terminated.
    case terminationNotice = "termination-notice"
    /// Decide whether to open a case on a report within 15 working days of receipt.
    case reportDecision = "report-decision"
}
