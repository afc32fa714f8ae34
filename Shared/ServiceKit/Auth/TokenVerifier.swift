import Crypto
import Foundation
import Synchronization

/// Checks bearer tokens and turns them into a ``Principal``; every failure is a 401 ``Problem``.
///
/// Only `HS256` is accepted (so `none` and algorithm-confusion tokens fail), the signature is compared in constant
/// time, and `exp`, `nbf`, `iss` and `aud` must hold; the principal must be consistent (a region-official carries a
/// region).
public struct TokenVerifier: Sendable {
    private let key: Data
    public let issuer: String
    public let audience: String
    /// Tolerated clock difference for `exp` and `nbf`.
    public let leeway: Duration
    private let now: @Sendable () -> Date
    /// Tokens whose signature and claims were already checked: a client sends the same token with every request.
    private let verified = VerifiedTokens()

    public init(
        secret: String,
        issuer: String = "gbm",
        audience: String = "gbm-services",
        leeway: Duration = .seconds(30),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.key = Data(secret.utf8)
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.now = now
    }

    public init(configuration: AuthConfiguration, now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(secret: configuration.tokenSecret, issuer: configuration.issuer, audience: configuration.audience, now: now)
    }

    public func verify(_ token: String) throws(Problem) -> Principal {
        let tolerance = Double(leeway.components.seconds)
        if let known = verified.lookup(token) {
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
        return try verifyFully(token)
    }

    private func verifyFully(_ token: String) throws(Problem) -> Principal {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerData = Base64URL.decode(parts[0]),
            let header = try? JSONDecoder().decode(TokenHeader.self, from: headerData)
        else {
            throw Problem.unauthorized("The bearer token is not a well-formed JWT.", code: "token-malformed")
        }
        guard header.alg == "HS256" else {
            throw Problem.unauthorized("The bearer token's algorithm \"\(header.alg)\" is not accepted; only HS256 is.", code: "token-algorithm-rejected")
        }
        guard let signature = Base64URL.decode(parts[2]),
            HMAC<SHA256>.isValidAuthenticationCode(
                signature,
                authenticating: Data(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count)),
                using: SymmetricKey(data: key)
            )
        else {
            throw Problem.unauthorized("The bearer token's signature is not valid.", code: "token-signature-invalid")
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
            certificationBodyCode: claims.certificationBody, department: claims.department, expiresAt: Date(timeIntervalSince1970: TimeInterval(claims.exp)))
        let principal: Principal
        switch parsed {
        case .success(let parsed):
            principal = parsed
        case .failure(let invalid):
            var problem = Problem.unauthorized("The bearer token's principal is inconsistent.", code: "token-principal-invalid")
            problem.errors = invalid.errors
            throw problem
        }
        verified.remember(token, VerifiedTokens.Entry(principal: principal, notBefore: claims.nbf))
        return principal
    }
}

/// A bounded memory of verified tokens (emptied when full: tokens are short-lived and re-verified cheaply).
final class VerifiedTokens: Sendable {
    struct Entry: Sendable {
        var principal: Principal
        var notBefore: Int64?
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
