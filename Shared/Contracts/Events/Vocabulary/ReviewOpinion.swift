/// A guiding department's opinion on a pilot application.
public enum ReviewOpinion: String, Sendable, Hashable, CaseIterable, Codable {
    /// Agrees that the region be approved.
    case concur
    /// Objects to approval.
    case object
    /// Asks the region to revise and resubmit.
    case requestRevision = "request-revision"
}
