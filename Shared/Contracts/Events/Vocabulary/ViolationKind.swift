/// Kinds of certification violation reported to the market regulator.
public enum ViolationKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A product is sold as certified without a valid certificate.
    case falseCertificationClaim = "false-certification-claim"
    /// The product sold differs from the certified model.
    case productDoesNotMatchCertificate = "product-does-not-match-certificate"
    /// The certificate is forged or altered.
    case forgedCertificate = "forged-certificate"
    /// The certification mark is misused.
    case markMisuse = "mark-misuse"
    /// The certification body certified improperly.
    case certificationBodyMisconduct = "certification-body-misconduct"
}
