import Contracts
import Crypto
import CryptoExtras
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import ServiceKit
import TestSupport
import Testing

/// Tokens from an identity provider: RS256, ES256 and EdDSA verified against the JWKS key their `kid` names, a
/// rotated key taken without a restart, and every other token a 401.
@Suite struct JWKSTests {
    static let principal = Principal(subject: "alice", role: .regionOfficial, regionCode: DivisionCode(rawValue: "330000"))

    /// A JWKS file of its own, removed at the end.
    final class KeyFile: Sendable {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json").path

        func write(_ pairs: KeyPairTokenSigner.KeyPair...) throws {
            try KeyPairTokenSigner.jwksDocument(pairs.map(\.publicJWK)).write(to: URL(fileURLWithPath: path), options: .atomic)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    static func signer(_ pair: KeyPairTokenSigner.KeyPair) throws -> KeyPairTokenSigner {
        try KeyPairTokenSigner(privateJWK: JSONSerialization.data(withJSONObject: pair.privateJWK))
    }

    /// A verifier reading `file`, HS256 off (as a deployment with only `GBM_TOKEN_JWKS` set), reloading at once.
    static func verifier(_ file: KeyFile) async throws -> TokenVerifier {
        let verifier = TokenVerifier(configuration: AuthConfiguration(
            acceptsHS256: false, jwks: .file(file.path), jwksMinimumReloadInterval: .zero))
        try await verifier.prepare()
        return verifier
    }

    static func rejection(_ token: String, by verifier: TokenVerifier) async -> Problem? {
        do {
            _ = try await verifier.verify(token)
            return nil
        } catch {
            return error
        }
    }

    @Test func aRotatedKeyIsTakenWithoutARestartAndTheWithdrawnOneStopsVerifying() async throws {
        let file = KeyFile()
        let a = KeyPairTokenSigner.generate(.es256, kid: "idp-a")
        let b = KeyPairTokenSigner.generate(.eddsa, kid: "idp-b")
        try file.write(a)
        let verifier = try await Self.verifier(file)
        let tokenA = try Self.signer(a).sign(Self.principal, ttl: .seconds(600))
        let verified = try await verifier.verify(tokenA)
        #expect(verified.subject == "alice" && verified.regionCode?.rawValue == "330000")

        // The provider rotates: the file now holds only B. The same verifier, no restart.
        try file.write(b)
        let tokenB = try Self.signer(b).sign(Self.principal, ttl: .seconds(600))
        #expect(try await verifier.verify(tokenB).subject == "alice")
        // A's token was verified before, but its key is gone from the set: it is checked again and refused.
        #expect(await Self.rejection(tokenA, by: verifier)?.code == "token-key-unknown")
    }

    @Test func unknownKidWrongAlgorithmAndNoneAre401() async throws {
        let file = KeyFile()
        let es = KeyPairTokenSigner.generate(.es256, kid: "es")
        let ed = KeyPairTokenSigner.generate(.eddsa, kid: "ed")
        try file.write(es, ed)
        let verifier = try await Self.verifier(file)
        let esSigner = try Self.signer(es)
        let claims = TokenClaims(Self.principal, issuer: "gbm", audience: "gbm-services",
                                 issuedAt: Int64(Date().timeIntervalSince1970), ttl: .seconds(600))
        #expect(await Self.rejection(esSigner.sign(Self.principal, ttl: .seconds(600)), by: verifier) == nil)

        let unknownKid = esSigner.sign(header: TokenHeader(alg: "ES256", typ: "JWT", kid: "not-in-the-set"), claims: claims)
        let noKid = esSigner.sign(header: TokenHeader(alg: "ES256", typ: "JWT", kid: nil), claims: claims)
        // The EdDSA key's id on an ES256 token, and an ES256 token claiming to be RS256.
        let wrongKeyType = esSigner.sign(header: TokenHeader(alg: "ES256", typ: "JWT", kid: "ed"), claims: claims)
        let wrongAlgorithm = esSigner.sign(header: TokenHeader(alg: "RS256", typ: "JWT", kid: "es"), claims: claims)
        let unsigned = Base64URL.encode(Data(#"{"alg":"none","kid":"es"}"#.utf8)) + "."
            + String(esSigner.sign(Self.principal, ttl: .seconds(600)).split(separator: ".")[1]) + "."
        // HS256 keyed with the public key's bytes (algorithm confusion), on a deployment without HS256.
        let hs256 = TokenSigner(secret: es.publicJWK["x"]!).sign(Self.principal, ttl: .seconds(600))
        // A valid signature over other claims than the token carries.
        let tampered = esSigner.sign(Self.principal, ttl: .seconds(600)).split(separator: ".")
        let otherClaims = esSigner.sign(
            Principal(subject: "mallory", role: .ministry, department: .miit), ttl: .seconds(600)).split(separator: ".")
        let spliced = "\(tampered[0]).\(otherClaims[1]).\(tampered[2])"

        for (token, code) in [(unknownKid, "token-key-unknown"), (noKid, "token-key-unknown"),
                              (wrongKeyType, "token-algorithm-rejected"), (wrongAlgorithm, "token-algorithm-rejected"),
                              (unsigned, "token-algorithm-rejected"), (hs256, "token-algorithm-rejected"),
                              (spliced, "token-signature-invalid")] {
            let problem = await Self.rejection(token, by: verifier)
            #expect(problem?.status == .unauthorized, "\(token)")
            #expect(problem?.code == code, "\(token): \(problem?.detail ?? "accepted")")
        }
    }

    @Test func overHTTPAnIdentityProviderTokenAuthenticatesAndAnUnknownKidIs401() async throws {
        let file = KeyFile()
        let key = KeyPairTokenSigner.generate(.eddsa, kid: "http-key")
        try file.write(key)
        let verifier = try await Self.verifier(file)
        let router = makeRouter(service: "test", readiness: [], auth: verifier, openAPI: Fixture.document,
                                logger: Fixture.quietLogger)
        router.get("/whoami") { _, context in try context.requirePrincipal().subject }
        let app = buildHTTPApplication(
            configuration: HTTPConfiguration(host: "127.0.0.1", port: 0, serviceName: "test", logLevel: .warning),
            router: router, logger: Fixture.quietLogger)
        let good = try Self.signer(key).sign(Self.principal, ttl: .seconds(600))
        let stranger = try Self.signer(KeyPairTokenSigner.generate(.eddsa, kid: "stranger")).sign(Self.principal, ttl: .seconds(600))
        try await app.test(.router) { client in
            let ok = try await client.execute(uri: "/whoami", method: .get, headers: [.authorization: "Bearer \(good)"])
            #expect(ok.status == .ok)
            #expect(String(buffer: ok.body) == "alice")
            let refused = try await client.execute(uri: "/whoami", method: .get, headers: [.authorization: "Bearer \(stranger)"])
            #expect(refused.status == .unauthorized)
            #expect(try refused.decoded(Problem.self).code == "token-key-unknown")
        }
    }

    /// The identity provider's `jwks_uri`, served over HTTP on loopback: rotated there, taken without a restart.
    @Test func aJWKSURLIsReadAndReadAgainOnAnUnknownKid() async throws {
        let a = KeyPairTokenSigner.generate(.es256, kid: "url-a")
        let b = KeyPairTokenSigner.generate(.es256, kid: "url-b")
        let document = LockedValue(KeyPairTokenSigner.jwksDocument([a.publicJWK]))
        let router = Router()
        router.get("/jwks.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(bytes: document.current)))
        }
        let provider = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await provider.test(.live) { client in
            let port = try #require(client.port)
            let verifier = TokenVerifier(configuration: AuthConfiguration(
                acceptsHS256: false, jwks: .url("http://127.0.0.1:\(port)/jwks.json"), jwksMinimumReloadInterval: .zero))
            try await verifier.prepare()
            #expect(try await verifier.verify(Self.signer(a).sign(Self.principal, ttl: .seconds(60))).subject == "alice")
            document.withLock { $0 = KeyPairTokenSigner.jwksDocument([a.publicJWK, b.publicJWK]) }
            #expect(try await verifier.verify(Self.signer(b).sign(Self.principal, ttl: .seconds(60))).subject == "alice")
        }
    }

    /// An identity provider's RSA key (2048 bits, as most providers publish): its public half in the JWKS by
    /// modulus and exponent, tokens signed RS256 (PKCS #1 v1.5, SHA-256) with the private half.
    struct RSAProvider {
        let kid: String
        let key: _RSA.Signing.PrivateKey

        init(kid: String) throws {
            self.kid = kid
            key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        }

        func publicJWK() throws -> [String: String] {
            let primitives = try key.publicKey.getKeyPrimitives()
            return ["kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
                    "n": Base64URL.encode(primitives.modulus), "e": Base64URL.encode(primitives.publicExponent)]
        }

        func sign(_ principal: Principal, header: TokenHeader? = nil) throws -> String {
            let now = Int64(Date().timeIntervalSince1970)
            let claims = TokenClaims(principal, issuer: "gbm", audience: "gbm-services", issuedAt: now, ttl: .seconds(600))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let input = Base64URL.encode(try encoder.encode(header ?? TokenHeader(alg: "RS256", typ: "JWT", kid: kid)))
                + "." + Base64URL.encode(try encoder.encode(claims))
            let signature = try key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
            return input + "." + Base64URL.encode(signature.rawRepresentation)
        }
    }

    @Test func anRS256TokenFromARealRSAKeyIsVerifiedAndAForgedOneIsNot() async throws {
        let file = KeyFile()
        let provider = try RSAProvider(kid: "idp-rsa")
        let other = try RSAProvider(kid: "idp-rsa")  // the same kid, another key: a forger's
        try KeyPairTokenSigner.jwksDocument([provider.publicJWK()]).write(to: URL(fileURLWithPath: file.path), options: .atomic)
        let verifier = try await Self.verifier(file)

        let verified = try await verifier.verify(provider.sign(Self.principal))
        #expect(verified.subject == "alice" && verified.role == .regionOfficial && verified.regionCode?.rawValue == "330000")

        let forged = try other.sign(Self.principal)
        #expect(await Self.rejection(forged, by: verifier)?.code == "token-signature-invalid")
        // The RSA key's id on a token claiming ES256 (RSA signature): the key decides the algorithm, not the token.
        let relabelled = try provider.sign(Self.principal, header: TokenHeader(alg: "ES256", typ: "JWT", kid: "idp-rsa"))
        #expect(await Self.rejection(relabelled, by: verifier)?.code == "token-algorithm-rejected")
        // The provider's signature over other claims than the token carries.
        let genuine = try provider.sign(Self.principal).split(separator: ".")
        let minted = try other.sign(Principal(subject: "mallory", role: .ministry, department: .miit)).split(separator: ".")
        #expect(await Self.rejection("\(genuine[0]).\(minted[1]).\(genuine[2])", by: verifier)?.code == "token-signature-invalid")
    }

    @Test func hs256StaysAsItWasBesideAJWKS() async throws {
        let file = KeyFile()
        let key = KeyPairTokenSigner.generate(.es256, kid: "k")
        try file.write(key)
        let verifier = TokenVerifier(configuration: AuthConfiguration(tokenSecret: Fixture.secret, jwks: .file(file.path)))
        try await verifier.prepare()
        #expect(try await verifier.verify(TokenSigner(secret: Fixture.secret).sign(Self.principal, ttl: .seconds(60))).subject == "alice")
        #expect(try await verifier.verify(Self.signer(key).sign(Self.principal, ttl: .seconds(60))).subject == "alice")
    }

    @Test func theEnvironmentTurnsHS256OffWhenOnlyAJWKSIsConfigured() throws {
        let jwksOnly = try AuthConfiguration(environment: EnvironmentReader(["GBM_TOKEN_JWKS": "/etc/gbm/jwks.json"]))
        #expect(jwksOnly.jwks == .file("/etc/gbm/jwks.json"))
        #expect(!jwksOnly.acceptsHS256)
        #expect(!jwksOnly.usesDevelopmentSecret, "no development secret is accepted, so none blocks a production start")
        let both = try AuthConfiguration(environment: EnvironmentReader([
            "GBM_TOKEN_JWKS": "https://idp.example/jwks", "GBM_TOKEN_SECRET": String(repeating: "s", count: 40),
            "GBM_TOKEN_JWKS_RELOAD_MIN_MS": "2500",
        ]))
        #expect(both.jwks == .url("https://idp.example/jwks"))
        #expect(both.acceptsHS256)
        #expect(both.jwksMinimumReloadInterval == .milliseconds(2500))
        #expect(try AuthConfiguration(environment: EnvironmentReader([:])).usesDevelopmentSecret)
        #expect(throws: ConfigurationError.self) {
            try AuthConfiguration(environment: EnvironmentReader(["GBM_TOKEN_JWKS": "/j", "GBM_TOKEN_JWKS_REFRESH_MS": "soon"]))
        }
    }

    @Test func aStartWithAnUnusableJWKSStopsNamingTheVariable() async throws {
        let missing = TokenVerifier(configuration: AuthConfiguration(acceptsHS256: false, jwks: .file("/nonexistent/jwks.json")))
        await #expect(throws: ConfigurationError.self) { try await missing.prepare() }
        let file = KeyFile()
        try Data(#"{"keys":[{"kty":"oct","kid":"shared","k":"c2VjcmV0"}]}"#.utf8).write(to: URL(fileURLWithPath: file.path))
        let symmetricOnly = TokenVerifier(configuration: AuthConfiguration(acceptsHS256: false, jwks: .file(file.path)))
        do {
            try await symmetricOnly.prepare()
            Issue.record("a JWKS without a usable signature key was accepted")
        } catch {
            #expect(error.variable == "GBM_TOKEN_JWKS")
            #expect(error.reason.contains("no usable signature key"))
        }
    }
}
