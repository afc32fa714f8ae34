import Crypto
import Foundation

/// Signs tokens with a local key pair, as an identity provider would: ES256 or EdDSA, the key id in the header.
/// `gbm-token keys` makes the pair (the public half into a JWKS file the services read through `GBM_TOKEN_JWKS`, the
/// private half into a JWK file of its own); `gbm-token --private-key` signs with it. For local use and tests: a
/// real deployment's tokens come from its identity provider.
public struct KeyPairTokenSigner: Sendable {
    /// The algorithms a local key pair can be made for.
    public enum Algorithm: String, Sendable, CaseIterable {
        case es256 = "ES256"
        case eddsa = "EdDSA"
    }

    /// A key pair as JWK objects: the public half (for the JWKS) and the private one (with `d`).
    public struct KeyPair: Sendable {
        public var kid: String
        public var algorithm: Algorithm
        public var publicJWK: [String: String]
        public var privateJWK: [String: String]
    }

    /// Why a private key file cannot be used.
    public struct KeyError: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    public let kid: String
    public let algorithm: Algorithm
    private let privateKey: Data
    public let issuer: String
    public let audience: String
    private let now: @Sendable () -> Date

    /// A new key pair with id `kid`.
    public static func generate(_ algorithm: Algorithm, kid: String) -> KeyPair {
        var common = ["kid": kid, "alg": algorithm.rawValue, "use": "sig"]
        let d: Data
        switch algorithm {
        case .es256:
            let key = P256.Signing.PrivateKey()
            let point = key.publicKey.rawRepresentation
            common["kty"] = "EC"
            common["crv"] = "P-256"
            common["x"] = Base64URL.encode(point.prefix(32))
            common["y"] = Base64URL.encode(point.suffix(32))
            d = key.rawRepresentation
        case .eddsa:
            let key = Curve25519.Signing.PrivateKey()
            common["kty"] = "OKP"
            common["crv"] = "Ed25519"
            common["x"] = Base64URL.encode(key.publicKey.rawRepresentation)
            d = key.rawRepresentation
        }
        var privateJWK = common
        privateJWK["d"] = Base64URL.encode(d)
        return KeyPair(kid: kid, algorithm: algorithm, publicJWK: common, privateJWK: privateJWK)
    }

    /// A JWKS document with `keys` (public halves), in a stable order.
    public static func jwksDocument(_ keys: [[String: String]]) -> Data {
        // Plain strings always serialise.
        try! JSONSerialization.data(withJSONObject: ["keys": keys], options: [.prettyPrinted, .sortedKeys])
    }

    /// The public keys of a JWKS document, to add a rotated key beside them.
    public static func publicKeys(ofJWKS data: Data) throws(KeyError) -> [[String: String]] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let keys = object["keys"] as? [[String: Any]]
        else { throw KeyError(reason: "is not a JWKS document (a JSON object with a `keys` array)") }
        return keys.map { $0.compactMapValues { $0 as? String } }
    }

    /// A signer for the private JWK `json` (as ``generate(_:kid:)`` wrote it).
    public init(
        privateJWK json: Data, issuer: String = "gbm", audience: String = "gbm-services",
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(KeyError) {
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw KeyError(reason: "is not a JSON object (a private JWK)")
        }
        guard let kid = object["kid"] as? String, !kid.isEmpty else { throw KeyError(reason: "has no kid") }
        guard let d = (object["d"] as? String).flatMap({ Base64URL.decode(Substring($0)) }) else {
            throw KeyError(reason: "has no private key (d)")
        }
        switch (object["kty"] as? String, object["crv"] as? String) {
        case ("EC", "P-256"):
            guard (try? P256.Signing.PrivateKey(rawRepresentation: d)) != nil else { throw KeyError(reason: "d is not a P-256 key") }
            algorithm = .es256
        case ("OKP", "Ed25519"):
            guard (try? Curve25519.Signing.PrivateKey(rawRepresentation: d)) != nil else { throw KeyError(reason: "d is not an Ed25519 key") }
            algorithm = .eddsa
        default:
            throw KeyError(reason: "is neither an EC P-256 (ES256) nor an OKP Ed25519 (EdDSA) key")
        }
        self.kid = kid
        self.privateKey = d
        self.issuer = issuer
        self.audience = audience
        self.now = now
    }

    /// A token for `principal` valid from now for `ttl`, after checking the principal is consistent.
    public func issue(_ principal: Principal, ttl: Duration) throws(Problem) -> String {
        try principal.validate()
        guard ttl > .zero else { throw Problem.validation(field: "ttl", reason: "must be positive") }
        return sign(principal, ttl: ttl)
    }

    /// A token for `principal` valid from now for `ttl`, whatever it is given (tests sign inconsistent ones too).
    public func sign(_ principal: Principal, ttl: Duration) -> String {
        sign(header: TokenHeader(alg: algorithm.rawValue, typ: "JWT", kid: kid), claims: TokenClaims(
            principal, issuer: issuer, audience: audience, issuedAt: Int64(now().timeIntervalSince1970), ttl: ttl))
    }

    /// Signs any header and claims (tests forge tokens with it: another `alg`, another `kid`).
    func sign(header: TokenHeader, claims: TokenClaims) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let signingInput = Base64URL.encode(try! encoder.encode(header)) + "." + Base64URL.encode(try! encoder.encode(claims))
        let message = Data(signingInput.utf8)
        let signature: Data
        switch algorithm {
        case .es256:
            // Checked in init.
            signature = try! P256.Signing.PrivateKey(rawRepresentation: privateKey).signature(for: message).rawRepresentation
        case .eddsa:
            signature = try! Curve25519.Signing.PrivateKey(rawRepresentation: privateKey).signature(for: message)
        }
        return signingInput + "." + Base64URL.encode(signature)
    }
}

extension TokenClaims {
    /// The claims of a token for `principal` issued at `issuedAt` for `ttl`.
    init(_ principal: Principal, issuer: String, audience: String, issuedAt: Int64, ttl: Duration) {
        self.init(
            iss: issuer, sub: principal.subject, aud: .one(audience), exp: issuedAt + ttl.components.seconds,
            nbf: issuedAt, iat: issuedAt, role: principal.role, region: principal.regionCode?.rawValue,
            enterprise: principal.enterpriseCode?.rawValue, certificationBody: principal.certificationBodyCode?.rawValue,
            department: principal.department?.abbreviation)
    }
}
