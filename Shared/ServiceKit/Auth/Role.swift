/// What a caller is, as carried in its token; routes decide what each role may do.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// An official of one of the six ministries: national view, approvals.
    case ministry
    /// An official of a pilot region: acts only within that region (``Principal/regionCode``).
    case regionOfficial = "region-official"
    /// The green building material certification committee or a certification body.
    case certificationBody = "certification-body"
    /// An enterprise or seller (``Principal/enterpriseCode``).
    case enterprise
    /// A member of the public.
    case consumer
}
