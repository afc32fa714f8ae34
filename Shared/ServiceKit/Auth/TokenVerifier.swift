import Crypto
import Foundation
import Logging
import Synchronization

/// Checks bearer tokens and turns them into a ``Principal``; every failure is a 401 ``Problem``.
///
/// Accepted: `HS256` under the shared secret (unless the configuration turned it off), and `RS256`, `ES256` and
/// `EdDSA` under the identity provider's key that the token's `kid` names in the JWKS (``JWKSKeyStore``). Anything
/// else (`none`, `HS512`, an asymmetric algorithm the named key is not for, an unknown or missing `kid`) fails, so
/// algorithm-confusion tokens fail. The HMAC is compared in constant time, and `exp`, `nbf`, `iss` and `aud` must
/// hold; the principal must be consistent (a region-official carries a region).
public struct TokenVerifier: Sendable {
    private let key: Data?
    /// The identity provider's keys, when asymmetric tokens are accepted.
    public let keyStore: JWKSKeyStore?
    public let issuer: String
    public let audience: String
    /// Tolerated clock difference for `exp` and `nbf`.
    public let leeway: Duration
    private let now: @Sendable () -> Date
    /// Tokens whose signature and claims were already checked: a client sends the same token with every request.
    private let verified = VerifiedTokens()

    /// - Parameters:
    ///   - secret: the HS256 key, or nil to refuse HS256 tokens.
    ///   - keyStore: the identity provider's keys, or nil to refuse asymmetric tokens.
    public init(
        secret: String?,
        keyStore: JWKSKeyStore? = nil,
        issuer: String = "gbm",
        audience: String = "gbm-services",
        leeway: Duration = .seconds(30),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.key = secret.map { Data($0.utf8) }
        self.keyStore = keyStore
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.now = now
    }

    public init(configuration: AuthConfiguration, logger: Logger? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(
            secret: configuration.acceptsHS256 ? configuration.tokenSecret : nil,
            keyStore: configuration.jwks.map {
                JWKSKeyStore(
                    source: $0, refreshInterval: configuration.jwksRefreshInterval,
                    minimumReloadInterval: configuration.jwksMinimumReloadInterval, logger: logger)
            },
            issuer: configuration.issuer, audience: configuration.audience, now: now)
    }

    /// Reads the identity provider's keys, if any: a start-up calls this first, so that a wrong JWKS path or URL,
    /// or a document without one usable key, stops the start with a reason.
    public func prepare() async throws(ConfigurationError) {
        guard let keyStore else { return }
        do {
            try await keyStore.load()
        } catch {
            throw ConfigurationError(variable: "GBM_TOKEN_JWKS", reason: "cannot be used: \(error.reason)")
        }
        guard keyStore.keyCount > 0 else {
            throw ConfigurationError(
                variable: "GBM_TOKEN_JWKS",
                reason: "holds no usable signature key (RSA for RS256, EC P-256 for ES256, OKP Ed25519 for EdDSA, each with a kid)")
        }
    }

    public func verify(_ token: String) async throws(Problem) -> Principal {
        let tolerance = Double(leeway.components.seconds)
        if let known = verified.lookup(token), known.keyGeneration == nil || known.keyGeneration == keyStore?.generation {
            // Same bytes, same signature and claims: only the time-dependent checks are made again.
            let current = now().timeIntervalSince1970
            guard known.principal.expiresAt.timeIntervalSince1970 + tolerance > current else {
                throw Problem.unauthorized("The bearer token has expired.", code: "token-expired")
            }
            if let notBefore = known.notBefore, Double(notBefore) - tolerance > current {
                throw Problem.unauthorized("The bearer token is not valid yet.", code: "token-not-yet-valid")
            }
            return known.principal
        }
        return try await verifyFully(token)
    }

    private func verifyFully(_ token: String) async throws(Problem) -> Principal {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerData = Base64URL.decode(parts[0]),
            let header = try? JSONDecoder().decode(TokenHeader.self, from: headerData)
        else {
            throw Problem.unauthorized("The bearer token is not a well-formed JWT.", code: "token-malformed")
        }
        var accepted: [String] = []
        if key != nil { accepted.append("HS256") }
        if keyStore != nil { accepted += JWKSKeyStore.algorithms.sorted() }
        guard accepted.contains(header.alg) else {
            throw Problem.unauthorized(
                "The bearer token's algorithm \"\(header.alg)\" is not accepted; accepted: \(accepted.joined(separator: ", ")).",
                code: "token-algorithm-rejected")
        }
        var keyGeneration: Int?
        if header.alg == "HS256", let key {
            guard let signature = Base64URL.decode(parts[2]),
                HMAC<SHA256>.isValidAuthenticationCode(
                    signature,
                    authenticating: Data(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count)),
                    using: SymmetricKey(data: key)
                )
            else {
                throw Problem.unauthorized("The bearer token's signature is not valid.", code: "token-signature-invalid")
            }
        } else if let keyStore {
            keyGeneration = keyStore.generation
            try await verifySignature(token, header: header, keys: keyStore)
        }
        guard let claimsData = Base64URL.decode(parts[1]),
            let claims = try? JSONDecoder().decode(TokenClaims.self, from: claimsData)
        else {
            throw Problem.unauthorized("The bearer token's claims are missing or malformed.", code: "token-malformed")
        }
        let current = now().timeIntervalSince1970
        let tolerance = Double(leeway.components.seconds)
        guard Double(claims.exp) + tolerance > current else {
            throw Problem.unauthorized("The bearer token has expired.", code: "token-expired")
        }
        if let notBefore = claims.nbf, Double(notBefore) - tolerance > current {
            throw Problem.unauthorized("The bearer token is not valid yet.", code: "token-not-yet-valid")
        }
        guard claims.iss == issuer else {
            throw Problem.unauthorized("The bearer token was issued by \"\(claims.iss)\", not \"\(issuer)\".", code: "token-issuer-rejected")
        }
        guard claims.aud.contains(audience) else {
            throw Problem.unauthorized("The bearer token is not meant for audience \"\(audience)\".", code: "token-audience-rejected")
        }
        let parsed = Principal.parse(
            subject: claims.sub, role: claims.role, regionCode: claims.region, enterpriseCode: claims.enterprise,
            certificationBodyCode: claims.certificationBody, department: claims.department,
            expiresAt: Date(timeIntervalSince1970: TimeInterval(claims.exp)))
        let principal: Principal
        switch parsed {
        case .success(let parsed):
            principal = parsed
        case .failure(let invalid):
            var problem = Problem.unauthorized("The bearer token's principal is inconsistent.", code: "token-principal-invalid")
            problem.errors = invalid.errors
            throw problem
        }
        verified.remember(token, VerifiedTokens.Entry(principal: principal, notBefore: claims.nbf, keyGeneration: keyGeneration))
        return principal
    }

    /// The signature of an RS256, ES256 or EdDSA token, under the JWKS key its `kid` names, which must be a key for
    /// exactly that algorithm.
    private func verifySignature(_ token: String, header: TokenHeader, keys: JWKSKeyStore) async throws(Problem) {
        guard let kid = header.kid, !kid.isEmpty else {
            throw Problem.unauthorized(
                "The bearer token names no signing key (kid); \(header.alg) tokens must.", code: "token-key-unknown")
        }
        guard let key = await keys.key(for: kid) else {
            throw Problem.unauthorized(
                "The bearer token's signing key \"\(kid)\" is not in the identity provider's key set.", code: "token-key-unknown")
        }
        guard key.algorithm == header.alg else {
            throw Problem.unauthorized(
                "The bearer token's algorithm \"\(header.alg)\" does not match its key \"\(kid)\", a \(key.algorithm) key.",
                code: "token-algorithm-rejected")
        }
        do {
            _ = try await key.keys.verify(token, as: SignatureOnly.self)
        } catch {
            throw Problem.unauthorized("The bearer token's signature is not valid.", code: "token-signature-invalid")
        }
    }
}

/// A bounded memory of verified tokens (emptied when full: tokens are short-lived and re-verified cheaply).
final class VerifiedTokens: Sendable {
    struct Entry: Sendable {
        var principal: Principal
        var notBefore: Int64?
        /// For a token verified under the identity provider's keys: the key set it was verified with. A token is
        /// verified again once the set changed (a key withdrawn must not stay accepted for the tokens it signed).
        var keyGeneration: Int?
    }

    private static let capacity = 10_000
    private let entries = Mutex<[String: Entry]>([:])

    func lookup(_ token: String) -> Entry? {
        entries.withLock { $0[token] }
    }

    func remember(_ token: String, _ entry: Entry) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = entry
        }
    }
}
