import Contracts
import Foundation
import ServiceKit
import Testing

/// What `gbm-token` runs: its output verifies, and it refuses inconsistent arguments.
struct TokenIssuerTests {
    static let configuration = AuthConfiguration(tokenSecret: Fixture.secret)

    @Test func issuedTokenVerifiesWithTheSameConfiguration() async throws {
        let token = try TokenIssuer(configuration: Self.configuration).issue(
            role: "region-official", subject: "alice", regionCode: "330000", ttlSeconds: 3600)
        let principal = try await TokenVerifier(configuration: Self.configuration).verify(token)
        #expect(principal == Principal(subject: "alice", role: .regionOfficial, regionCode: DivisionCode(rawValue: "330000"), expiresAt: principal.expiresAt))
        #expect(abs(principal.expiresAt.timeIntervalSinceNow - 3600) < 5)
    }

    @Test func enterpriseAndMinistryTokensCarryTheirScope() async throws {
        let issuer = TokenIssuer(configuration: Self.configuration)
        let verifier = TokenVerifier(configuration: Self.configuration)
        let enterprise = try await verifier.verify(
            issuer.issue(role: "enterprise", subject: "e1", enterpriseCode: "91330106MA2B3C4D5D", ttlSeconds: 60))
        #expect(enterprise.enterpriseCode?.rawValue == "91330106MA2B3C4D5D")
        let ministry = try await verifier.verify(issuer.issue(role: "ministry", subject: "m1", department: "SAMR", ttlSeconds: 60))
        #expect(ministry.department == .samr)
    }

    @Test func refusesInconsistentArguments() {
        let issuer = TokenIssuer(configuration: Self.configuration)
        func fields(_ issue: () throws(Problem) -> String) -> [String] {
            do {
                _ = try issue()
                return []
            } catch {
                return error.errors.map(\.field)
            }
        }
        #expect(fields { () throws(Problem) in try issuer.issue(role: "region-official", subject: "a", ttlSeconds: 60) } == ["regionCode"])
        #expect(fields { () throws(Problem) in try issuer.issue(role: "region-official", subject: "a", regionCode: "33000", ttlSeconds: 60) } == ["regionCode"])
        #expect(fields { () throws(Problem) in try issuer.issue(role: "enterprise", subject: "a", ttlSeconds: 60) } == ["enterpriseCode"])
        #expect(fields { () throws(Problem) in try issuer.issue(role: "ministry", subject: "a", department: "NASA", ttlSeconds: 60) } == ["department"])
        #expect(fields { () throws(Problem) in try issuer.issue(role: "mayor", subject: "a", ttlSeconds: 60) } == ["role"])
        #expect(fields { () throws(Problem) in try issuer.issue(role: "consumer", subject: "", ttlSeconds: 0) } == ["subject", "ttl"])
    }
}

/// The scope a token carries is typed: a mistyped code never becomes a principal, and every service records the
/// same actor role for the same caller.
struct PrincipalScopeTests {
    @Test func aCreditCodeWithAWrongCheckCharacterIsRefusedWithTheReason() throws {
        let issuer = TokenIssuer(configuration: TokenIssuerTests.configuration)
        do {
            _ = try issuer.issue(role: "enterprise", subject: "e1", enterpriseCode: "91330106MA2B3C4D5E", ttlSeconds: 60)
            Issue.record("a mistyped credit code was issued")
        } catch {
            #expect(error.errors.map(\.field) == ["enterpriseCode"])
            #expect(error.errors.first?.reason.contains("should be 'D'") == true)
        }
    }

    @Test func departmentsAreReadInAnyCaseAndWrittenInUpperCase() async throws {
        let issuer = TokenIssuer(configuration: TokenIssuerTests.configuration)
        let token = try issuer.issue(role: "ministry", subject: "m1", department: "mohurd", ttlSeconds: 60)
        let principal = try await TokenVerifier(configuration: TokenIssuerTests.configuration).verify(token)
        #expect(principal.department == .mohurd)
        var payload = token.split(separator: ".")[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
        let claims = try #require(Data(base64Encoded: payload))
        #expect(String(decoding: claims, as: UTF8.self).contains(#""department":"MOHURD""#))
    }

    @Test func aSAMROfficialActsAsTheMarketRegulatorEverywhere() {
        #expect(Principal(subject: "s", role: .ministry, department: .samr).actorRole == .marketRegulator)
        #expect(Principal(subject: "h", role: .ministry, department: .mohurd).actorRole == .ministryOfficial)
        #expect(Principal(subject: "n", role: .ministry).actorRole == .ministryOfficial)
        #expect(Principal(subject: "r", role: .regionOfficial, regionCode: DivisionCode(rawValue: "330000")).actorRole == .regionalOfficial)
    }

    @Test func aRegionalOfficialMayActInItsDivisionsOnly() throws {
        let zhejiang = Principal(subject: "z", role: .regionOfficial, regionCode: DivisionCode(rawValue: "330000"))
        #expect(zhejiang.mayAct(in: try DivisionCode(validating: "330106")))
        #expect(zhejiang.mayAct(in: try DivisionCode(validating: "330106001")))
        #expect(!zhejiang.mayAct(in: try DivisionCode(validating: "370000")))
        #expect(!Principal(subject: "c", role: .consumer).mayAct(in: try DivisionCode(validating: "330106")))
    }
}
