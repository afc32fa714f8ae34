import Contracts
import Foundation
import ServiceKit
import Testing

/// The campaign's roles as tokens carry them: a market regulator is a county-level (or higher) bureau with its
/// division, a certification body names itself by credit code, the certification committee is a role of its own.
struct CampaignRoleTests {
    static let issuer = TokenIssuer(configuration: TokenIssuerTests.configuration)
    static let verifier = TokenVerifier(configuration: TokenIssuerTests.configuration)

    static func fields(_ issue: () throws(Problem) -> String) -> [String] {
        do {
            _ = try issue()
            return []
        } catch {
            return error.errors.map(\.field)
        }
    }

    @Test func aMarketRegulatorCarriesASixDigitDivisionAndActsAsTheMarketRegulator() async throws {
        let token = try Self.issuer.issue(role: "market-regulator", subject: "xihu-amr", regionCode: "330106", ttlSeconds: 60)
        let principal = try await Self.verifier.verify(token)
        #expect(principal.role == .marketRegulator)
        #expect(principal.regionCode?.rawValue == "330106")
        #expect(principal.actorRole == .marketRegulator)
        #expect(principal.isMarketRegulator)
        #expect(Self.fields { () throws(Problem) in
            try Self.issuer.issue(role: "market-regulator", subject: "a", ttlSeconds: 60) } == ["regionCode"])
        #expect(Self.fields { () throws(Problem) in
            try Self.issuer.issue(role: "market-regulator", subject: "a", regionCode: "330106001", ttlSeconds: 60) } == ["regionCode"])
    }

    @Test func aMarketRegulatorRegulatesItsDivisionAndSAMRRegulatesEverywhere() throws {
        let xihu = Principal(subject: "x", role: .marketRegulator, regionCode: DivisionCode(rawValue: "330106"))
        #expect(xihu.mayRegulate(in: try DivisionCode(validating: "330106")))
        #expect(xihu.mayRegulate(in: try DivisionCode(validating: "330106001")))
        #expect(!xihu.mayRegulate(in: try DivisionCode(validating: "330102")))
        #expect(!xihu.mayRegulate(in: try DivisionCode(validating: "330000")))
        #expect(!xihu.mayAct(in: try DivisionCode(validating: "330106")), "a bureau does not run the region's campaign")
        let samr = Principal(subject: "s", role: .ministry, department: .samr)
        #expect(samr.mayRegulate(in: try DivisionCode(validating: "510104")))
        #expect(samr.isMarketRegulator)
        #expect(!Principal(subject: "h", role: .ministry, department: .mohurd).mayRegulate(in: try DivisionCode(validating: "510104")))
        #expect(!Principal(subject: "c", role: .certificationBody, certificationBodyCode: UnifiedSocialCreditCode(rawValue: "91330106MA2B3C4D5D"))
            .isMarketRegulator)
    }

    @Test func aCertificationBodyNamesItselfByCreditCode() async throws {
        let token = try Self.issuer.issue(
            role: "certification-body", subject: "ctc", certificationBodyCode: "91330106MA2B3C4D5D", ttlSeconds: 60)
        let principal = try await Self.verifier.verify(token)
        #expect(principal.certificationBodyCode?.rawValue == "91330106MA2B3C4D5D")
        #expect(principal.actorRole == .certificationBody)
        #expect(Self.fields { () throws(Problem) in
            try Self.issuer.issue(role: "certification-body", subject: "ctc", ttlSeconds: 60) } == ["certificationBodyCode"])
        #expect(Self.fields { () throws(Problem) in
            try Self.issuer.issue(role: "certification-body", subject: "ctc", certificationBodyCode: "91330106MA2B3C4D5E",
                                  ttlSeconds: 60) } == ["certificationBodyCode"])
    }

    /// A token minted before certification bodies named themselves is refused: the body must come from the token.
    @Test func aCertificationBodyTokenWithoutItsCodeIs401() async {
        let token = TokenSigner(secret: Fixture.secret).sign(Principal(subject: "cb", role: .certificationBody), ttl: .seconds(60))
        do {
            _ = try await TokenVerifier(secret: Fixture.secret).verify(token)
            Issue.record("a certification-body token without its credit code was accepted")
        } catch {
            #expect(error.code == "token-principal-invalid")
            #expect(error.errors.map(\.field) == ["certificationBodyCode"])
        }
    }

    @Test func theCertificationCommitteeIsARoleOfItsOwn() async throws {
        let token = try Self.issuer.issue(role: "certification-committee", subject: "committee", ttlSeconds: 60)
        let principal = try await Self.verifier.verify(token)
        #expect(principal.role == .certificationCommittee)
        #expect(principal.actorRole == .certificationCommittee)
    }
}
