/// How a complaint, consultation or report arrived.
public enum ComplaintChannel: String, Sendable, Hashable, CaseIterable, Codable {
    /// The region's web form (or the public API behind it).
    case webForm = "web-form"
    /// Taken down by a hotline operator.
    case hotlineOperator = "hotline-operator"
    /// Handed over from the national 12315 platform or hotline.
    case handover12315 = "handover-12315"
    /// Forwarded by an e-commerce platform's complaint desk.
    case ecommercePlatform = "ecommerce-platform"
    /// Filed through the Open311 GeoReport v2 facade by a civic-tech client.
    case open311
    /// In person at a market regulation office.
    case inPerson = "in-person"
    /// By letter.
    case letter
}
