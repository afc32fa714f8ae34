/// Why a complaint was not accepted: the legal reasons of SAMR's interim measures on complaints (art. 15).
public enum ComplaintNotAcceptedReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// Not within this regulator's jurisdiction; the complainant is told where to turn.
    case outsideJurisdiction = "outside-jurisdiction"
    /// Already handled (or being handled) by a court, an arbitration body or another administrative body.
    case alreadyHandled = "already-handled"
    /// Not a purchase for personal consumption.
    case notForPersonalConsumption = "not-for-personal-consumption"
    /// More than 3 years since the consumer knew or should have known of the infringement.
    case timeBarred = "time-barred"
    /// The required information (complainant, respondent, facts, demands) is missing.
    case missingInformation = "missing-information"
}
