/// How bearer tokens are signed and checked. Every service and `gbm-token` must agree on all three values.
///
/// | variable | default |
/// |---|---|
/// | `GBM_TOKEN_SECRET` | ``developmentSecret`` (development only) |
/// | `GBM_TOKEN_ISSUER` | `gbm` |
/// | `GBM_TOKEN_AUDIENCE` | `gbm-services` |
public struct AuthConfiguration: Sendable, Equatable {
    /// DEVELOPMENT ONLY: the HMAC secret used when `GBM_TOKEN_SECRET` is unset. Public, so never use it in production.
    public static let developmentSecret = "gbm-DEVELOPMENT-ONLY-token-secret-do-not-use-in-production"
    /// Shortest secret accepted from the environment (HS256 wants at least 256 bits of key).
    public static let minimumSecretLength = 32

    /// HMAC-SHA256 key of the tokens.
    public var tokenSecret: String
    /// `iss` claim tokens carry and verifiers demand.
    public var issuer: String
    /// `aud` claim tokens carry and verifiers demand.
    public var audience: String

    public init(
        tokenSecret: String = AuthConfiguration.developmentSecret,
        issuer: String = "gbm",
        audience: String = "gbm-services"
    ) {
        self.tokenSecret = tokenSecret
        self.issuer = issuer
        self.audience = audience
    }

    /// Whether the public development secret is in use (the host logs a warning when it is).
    public var usesDevelopmentSecret: Bool { tokenSecret == Self.developmentSecret }

    /// Reads `GBM_TOKEN_SECRET` (at least 32 characters), `GBM_TOKEN_ISSUER` and `GBM_TOKEN_AUDIENCE`.
    public init(environment: EnvironmentReader) throws(ConfigurationError) {
        let secret = environment.string("GBM_TOKEN_SECRET", default: Self.developmentSecret)
        guard secret.utf8.count >= Self.minimumSecretLength else {
            throw ConfigurationError(
                variable: "GBM_TOKEN_SECRET",
                reason: "must be at least \(Self.minimumSecretLength) characters, got \(secret.utf8.count)"
            )
        }
        self.init(
            tokenSecret: secret,
            issuer: environment.string("GBM_TOKEN_ISSUER", default: "gbm"),
            audience: environment.string("GBM_TOKEN_AUDIENCE", default: "gbm-services")
        )
    }
}
