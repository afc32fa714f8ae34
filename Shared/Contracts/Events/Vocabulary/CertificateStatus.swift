/// Status of a green building material certificate.
public enum CertificateStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// In force.
    case valid
    /// Temporarily suspended by the certification body; may be restored.
    case suspended
    /// Withdrawn for a violation; final, and the number is never reused.
    case revoked
    /// Cancelled at the holder's request or because the product was discontinued; final.
    case cancelled
    /// Past its expiry date without renewal; final.
    case expired
}
