import Crypto
import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

struct TokenTests {
    static let issuedAt = Date(timeIntervalSince1970: 1_700_000_000)
    static let signer = TokenSigner(secret: Fixture.secret, now: { issuedAt })
    static func verifier(at date: Date) -> TokenVerifier { TokenVerifier(secret: Fixture.secret, now: { date }) }

    static let official = Principal(subject: "alice", role: .regionOfficial, regionCode: DivisionCode(rawValue: "330000"))

    static func rejection(_ token: String, at date: Date = issuedAt) async -> Problem? {
        do {
            _ = try await verifier(at: date).verify(token)
            return nil
        } catch {
            return error
        }
    }

    /// A token with arbitrary header and claims, signed HS256 with `secret`.
    static func handMade(header: String, claims: String, secret: String = Fixture.secret) -> String {
        let input = base64URL(Data(header.utf8)) + "." + base64URL(Data(claims.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return input + "." + base64URL(Data(mac))
    }

    static let validClaims = #"{"iss":"gbm","sub":"alice","aud":"gbm-services","exp":1700003600,"nbf":1700000000,"role":"region-official","region":"330000"}"#

    @Test func validTokenYieldsItsPrincipal() async throws {
        let token = Self.signer.sign(Self.official, ttl: .seconds(3600))
        let principal = try await Self.verifier(at: Self.issuedAt.addingTimeInterval(60)).verify(token)
        #expect(principal.subject == "alice")
        #expect(principal.role == .regionOfficial)
        #expect(principal.regionCode?.rawValue == "330000")
        #expect(principal.expiresAt == Self.issuedAt.addingTimeInterval(3600))
        #expect(token.split(separator: ".").count == 3)
    }

    @Test func expiredTokenIsRejected() async {
        let token = Self.signer.sign(Self.official, ttl: .seconds(3600))
        #expect(await Self.rejection(token, at: Self.issuedAt.addingTimeInterval(7200))?.code == "token-expired")
        #expect(await Self.rejection(token, at: Self.issuedAt.addingTimeInterval(7200))?.status == .unauthorized)
    }

    @Test func tokenNotYetValidIsRejected() async {
        let token = Self.signer.sign(Self.official, ttl: .seconds(3600))
        #expect(await Self.rejection(token, at: Self.issuedAt.addingTimeInterval(-600))?.code == "token-not-yet-valid")
    }

    @Test func tokenSignedWithAnotherSecretIsRejected() async {
        let other = TokenSigner(secret: "another-secret-another-secret-another", now: { Self.issuedAt })
        #expect(await Self.rejection(other.sign(Self.official, ttl: .seconds(3600)))?.code == "token-signature-invalid")
    }

    @Test func tamperedClaimsAreRejected() async {
        let token = Self.signer.sign(Self.official, ttl: .seconds(3600))
        let parts = token.split(separator: ".")
        let forgedClaims = base64URL(Data(Self.validClaims.replacingOccurrences(of: "region-official", with: "ministry").utf8))
        #expect(await Self.rejection("\(parts[0]).\(forgedClaims).\(parts[2])")?.code == "token-signature-invalid")
    }

    @Test func unsignedAndOtherAlgorithmTokensAreRejected() async {
        let none = base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + base64URL(Data(Self.validClaims.utf8)) + "."
        #expect(await Self.rejection(none)?.code == "token-algorithm-rejected")
        let hs512 = Self.handMade(header: #"{"alg":"HS512","typ":"JWT"}"#, claims: Self.validClaims)
        #expect(await Self.rejection(hs512)?.code == "token-algorithm-rejected")
        let good = Self.handMade(header: #"{"alg":"HS256","typ":"JWT"}"#, claims: Self.validClaims)
        #expect(await Self.rejection(good) == nil)
    }

    @Test func malformedTokensAreRejected() async {
        for token in ["", "abc", "a.b", "a.b.c.d", "!!!.e30.sig"] {
            #expect(await Self.rejection(token)?.code == "token-malformed", "\(token)")
        }
    }

    @Test func wrongIssuerOrAudienceIsRejected() async {
        let otherIssuer = Self.handMade(header: #"{"alg":"HS256"}"#, claims: Self.validClaims.replacingOccurrences(of: #""iss":"gbm""#, with: #""iss":"evil""#))
        #expect(await Self.rejection(otherIssuer)?.code == "token-issuer-rejected")
        let otherAudience = Self.handMade(header: #"{"alg":"HS256"}"#, claims: Self.validClaims.replacingOccurrences(of: #""aud":"gbm-services""#, with: #""aud":["elsewhere"]"#))
        #expect(await Self.rejection(otherAudience)?.code == "token-audience-rejected")
    }

    @Test func regionOfficialWithoutRegionIsRejected() async {
        let token = Self.signer.sign(Principal(subject: "bob", role: .regionOfficial), ttl: .seconds(3600))
        let problem = await Self.rejection(token)
        #expect(problem?.code == "token-principal-invalid")
        #expect(problem?.errors.map(\.field) == ["regionCode"])
        #expect(throws: Problem.self) { try Self.signer.issue(Principal(subject: "bob", role: .regionOfficial), ttl: .seconds(60)) }
    }

    @Test func badTokenOverHTTPIs401ButAnonymousRequestStaysAnonymous() async throws {
        let app = Fixture.application { router in
            router.get("/whoami") { _, context in context.principal?.subject ?? "anonymous" }
        }
        let valid = Fixture.signer.sign(Principal(subject: "carol", role: .consumer), ttl: .seconds(60))
        let expired = TokenSigner(secret: Fixture.secret, now: { Date().addingTimeInterval(-7200) })
            .sign(Principal(subject: "carol", role: .consumer), ttl: .seconds(60))
        try await app.test(.router) { client in
            let anonymous = try await client.execute(uri: "/whoami", method: .get)
            #expect(anonymous.text == "anonymous")
            let authenticated = try await client.execute(uri: "/whoami", method: .get, headers: [.authorization: "Bearer \(valid)"])
            #expect(authenticated.text == "carol")
            for header in ["Bearer \(expired)", "Bearer not-a-token", "Basic YWxpY2U6cHc=", "Bearer"] {
                let response = try await client.execute(uri: "/whoami", method: .get, headers: [.authorization: header])
                #expect(response.status == .unauthorized, "\(header)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
        }
    }
}
