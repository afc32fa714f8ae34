/// How bearer tokens are signed and checked. Every service and `gbm-token` must agree on issuer and audience, and
/// on the HS256 secret or the identity provider's key set.
///
/// | variable | default |
/// |---|---|
/// | `GBM_TOKEN_SECRET` | ``developmentSecret`` (development only); HS256 is off when only `GBM_TOKEN_JWKS` is set |
/// | `GBM_TOKEN_ISSUER` | `gbm` |
/// | `GBM_TOKEN_AUDIENCE` | `gbm-services` |
/// | `GBM_TOKEN_JWKS` | unset: the identity provider's JWKS document, a file path or an `http(s)://` URL |
/// | `GBM_TOKEN_JWKS_REFRESH_MS` | 300000: the JWKS is read again this often (a rotated key arrives without a restart) |
/// | `GBM_TOKEN_JWKS_RELOAD_MIN_MS` | 10000: a token naming an unknown `kid` reads the JWKS again at most this often |
///
/// Tokens signed with RS256, ES256 or EdDSA are verified against the JWKS key their `kid` names; HS256 tokens
/// against the secret. A deployment that sets only `GBM_TOKEN_JWKS` accepts only the identity provider's tokens.
public struct AuthConfiguration: Sendable, Equatable {
    /// DEVELOPMENT ONLY: the HMAC secret used when `GBM_TOKEN_SECRET` is unset. Public, so never use it in production.
    public static let developmentSecret = "gbm-DEVELOPMENT-ONLY-token-secret-do-not-use-in-production"
    /// Shortest secret accepted from the environment (HS256 wants at least 256 bits of key).
    public static let minimumSecretLength = 32

    /// HMAC-SHA256 key of the tokens.
    public var tokenSecret: String
    /// Whether HS256 tokens are accepted at all: true unless a JWKS is configured and no secret is.
    public var acceptsHS256: Bool
    /// `iss` claim tokens carry and verifiers demand.
    public var issuer: String
    /// `aud` claim tokens carry and verifiers demand.
    public var audience: String
    /// Where the identity provider's public keys are, if asymmetric tokens are accepted.
    public var jwks: JWKSSource?
    /// How often the JWKS is read again while tokens keep arriving.
    public var jwksRefreshInterval: Duration
    /// The least time between two reads of the JWKS caused by tokens naming a `kid` it does not have, so that a
    /// stream of made-up key ids cannot make the service hammer the identity provider.
    public var jwksMinimumReloadInterval: Duration

    public init(
        tokenSecret: String = AuthConfiguration.developmentSecret,
        acceptsHS256: Bool = true,
        issuer: String = "gbm",
        audience: String = "gbm-services",
        jwks: JWKSSource? = nil,
        jwksRefreshInterval: Duration = .seconds(300),
        jwksMinimumReloadInterval: Duration = .seconds(10)
    ) {
        self.tokenSecret = tokenSecret
        self.acceptsHS256 = acceptsHS256
        self.issuer = issuer
        self.audience = audience
        self.jwks = jwks
        self.jwksRefreshInterval = jwksRefreshInterval
        self.jwksMinimumReloadInterval = jwksMinimumReloadInterval
    }

    /// Whether the public development secret is accepted (the host refuses to start on it outside a development run).
    public var usesDevelopmentSecret: Bool { acceptsHS256 && tokenSecret == Self.developmentSecret }

    /// Reads `GBM_TOKEN_SECRET` (at least 32 characters), `GBM_TOKEN_ISSUER`, `GBM_TOKEN_AUDIENCE`, `GBM_TOKEN_JWKS`
    /// and its two intervals.
    public init(environment: EnvironmentReader) throws(ConfigurationError) {
        let configuredSecret = environment.string("GBM_TOKEN_SECRET")
        let secret = configuredSecret ?? Self.developmentSecret
        guard secret.utf8.count >= Self.minimumSecretLength else {
            throw ConfigurationError(
                variable: "GBM_TOKEN_SECRET",
                reason: "must be at least \(Self.minimumSecretLength) characters, got \(secret.utf8.count)"
            )
        }
        var jwks: JWKSSource?
        if let text = environment.string("GBM_TOKEN_JWKS") {
            jwks = try JWKSSource(parsing: text, variable: "GBM_TOKEN_JWKS")
        }
        self.init(
            tokenSecret: secret,
            acceptsHS256: configuredSecret != nil || jwks == nil,
            issuer: environment.string("GBM_TOKEN_ISSUER", default: "gbm"),
            audience: environment.string("GBM_TOKEN_AUDIENCE", default: "gbm-services"),
            jwks: jwks,
            jwksRefreshInterval: try environment.milliseconds("GBM_TOKEN_JWKS_REFRESH_MS", default: .seconds(300)),
            jwksMinimumReloadInterval: try environment.milliseconds("GBM_TOKEN_JWKS_RELOAD_MIN_MS", default: .seconds(10))
        )
    }
}

/// Where a JWKS document (RFC 7517 §5) is read from.
public enum JWKSSource: Sendable, Equatable, CustomStringConvertible {
    /// A file on this machine (a mounted secret, or what `gbm-token keys` wrote).
    case file(String)
    /// The identity provider's `jwks_uri`.
    case url(String)

    /// A value starting with `http://` or `https://` is a URL, anything else a file path.
    public init(parsing text: String, variable: String) throws(ConfigurationError) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") {
            guard text.count > (lowered.hasPrefix("https://") ? 8 : 7), !text.contains(" ") else {
                throw ConfigurationError(variable: variable, reason: "must be a file path or an http(s) URL, got \"\(text)\"")
            }
            self = .url(text)
        } else {
            self = .file(text)
        }
    }

    public var description: String {
        switch self {
        case .file(let path): path
        case .url(let url): url
        }
    }
}
