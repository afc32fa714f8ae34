import Foundation
import ServiceKit
import Testing

/// What `gbm-token` runs: its output verifies, and it refuses inconsistent arguments.
struct TokenIssuerTests {
    static let configuration = AuthConfiguration(tokenSecret: Fixture.secret)

    @Test func issuedTokenVerifiesWithTheSameConfiguration() throws {
        let token = try TokenIssuer(configuration: Self.configuration).issue(
            role: "region-official", subject: "alice", regionCode: "330000", ttlSeconds: 3600)
        let principal = try TokenVerifier(configuration: Self.configuration).verify(token)
        #expect(principal == Principal(subject: "alice", role: .regionOfficial, regionCode: "330000", expiresAt: principal.expiresAt))
        #expect(abs(principal.expiresAt.timeIntervalSinceNow - 3600) < 5)
    }

    @Test func enterpriseAndMinistryTokensCarryTheirScope() throws {
        let issuer = TokenIssuer(configuration: Self.configuration)
        let verifier = TokenVerifier(configuration: Self.configuration)
        let enterprise = try verifier.verify(
            issuer.issue(role: "enterprise", subject: "e1", enterpriseCode: "91330106MA2B3C4D5E", ttlSeconds: 60))
        #expect(enterprise.enterpriseCode == "91330106MA2B3C4D5E")
        let ministry = try verifier.verify(issuer.issue(role: "ministry", subject: "m1", department: "SAMR", ttlSeconds: 60))
        #expect(ministry.department == "SAMR")
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
