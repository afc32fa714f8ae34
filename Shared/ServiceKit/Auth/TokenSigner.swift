import Crypto
import Foundation

/// Issues bearer tokens: JWT (compact JWS) signed with HMAC-SHA256 under the shared ``AuthConfiguration`` secret.
public struct TokenSigner: Sendable {
    private let key: Data
    public let issuer: String
    public let audience: String
    private let now: @Sendable () -> Date

    /// - Parameter now: the clock; tests pass a fixed one.
    public init(
        secret: String,
        issuer: String = "gbm",
        audience: String = "gbm-services",
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.key = Data(secret.utf8)
        self.issuer = issuer
        self.audience = audience
        self.now = now
    }

    public init(configuration: AuthConfiguration, now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(secret: configuration.tokenSecret, issuer: configuration.issuer, audience: configuration.audience, now: now)
    }

    /// A token for `principal` valid from now for `ttl`; `principal.expiresAt` is ignored (the ttl decides).
    ///
    /// It signs whatever it is given; use ``issue(_:ttl:)`` to refuse inconsistent principals.
    public func sign(_ principal: Principal, ttl: Duration) -> String {
        let issuedAt = Int64(now().timeIntervalSince1970)
        let claims = TokenClaims(
            iss: issuer,
            sub: principal.subject,
            aud: .one(audience),
            exp: issuedAt + ttl.components.seconds,
            nbf: issuedAt,
            iat: issuedAt,
            role: principal.role,
            region: principal.regionCode?.rawValue,
            enterprise: principal.enterpriseCode?.rawValue,
            certificationBody: principal.certificationBodyCode?.rawValue,
            department: principal.department?.abbreviation
        )
        return Self.compactJWS(header: TokenHeader(alg: "HS256", typ: "JWT"), claims: claims, key: key)
    }

    /// Validates `principal` (a region-official needs a region, an enterprise its code…) and then signs it.
    public func issue(_ principal: Principal, ttl: Duration) throws(Problem) -> String {
        try principal.validate()
        guard ttl > .zero else { throw Problem.validation(field: "ttl", reason: "must be positive") }
        return sign(principal, ttl: ttl)
    }

    /// `base64url(header).base64url(claims).base64url(HMAC-SHA256(key, first two parts))`.
    static func compactJWS(header: some Encodable, claims: some Encodable, key: Data) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Plain strings and integers always encode.
        let signingInput = Base64URL.encode(try! encoder.encode(header)) + "." + Base64URL.encode(try! encoder.encode(claims))
        let signature = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: key))
        return signingInput + "." + Base64URL.encode(Data(signature))
    }
}
