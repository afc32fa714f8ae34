/// Why a complaint was not accepted (SAMR interim measures on complaint handling).
public enum ComplaintRejectionReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// Not within this authority's jurisdiction; the consumer is told where to turn.
    case outsideJurisdiction = "outside-jurisdiction"
    /// Not a consumer dispute.
    case notAConsumerDispute = "not-a-consumer-dispute"
    /// Already mediated, arbitrated or judged.
    case alreadyHandled = "already-handled"
    /// Before a court or arbitration body.
    case underLitigation = "under-litigation"
    /// The complaint lacks the required information.
    case insufficientInformation = "insufficient-information"
}
