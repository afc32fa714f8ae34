import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

struct AuthorizationTests {
    @Test(arguments: [
        ("330000", "330106", true), ("330000", "330100", true), ("330000", "330000", true),
        ("330100", "330106", true), ("330100", "330206", false), ("330106", "330106", true),
        ("330000", "370000", false), ("330000", "370102", false), ("330106", "330100", false),
    ])
    func aRegionalScopeFollowsTheGBT2260Hierarchy(scope: String, code: String, covered: Bool) throws {
        let official = Principal(subject: "r", role: .regionOfficial, regionCode: try DivisionCode(validating: scope))
        #expect(official.mayAct(in: try DivisionCode(validating: code)) == covered)
    }

    @Test(arguments: ["33010", "abcdef", "000000"])
    func aMalformedCodeIsNoScopeAtAll(code: String) {
        #expect(DivisionCode(rawValue: code) == nil)
    }

    static func application() -> some ApplicationProtocol {
        Fixture.application { router in
            router.get("/regions/:code/activities") { _, context in
                let code = try context.parameters.require("code")
                guard let region = DivisionCode(rawValue: code) else {
                    throw Problem.validation(field: "code", reason: "must be a GB/T 2260 division code")
                }
                return try context.requireRegion(region).subject
            }
            router.post("/approvals") { _, context in
                try context.require(role: .ministry, .certificationBody).subject
            }
        }
    }

    static func bearer(_ principal: Principal) -> HTTPFields {
        [.authorization: "Bearer \(Fixture.signer.sign(principal, ttl: .seconds(300)))"]
    }

    @Test func regionalOfficialActsInItsRegionAndBelowOnly() async throws {
        let zhejiang = Self.bearer(Principal(subject: "alice", role: .regionOfficial, regionCode: DivisionCode(rawValue: "330000")))
        try await Self.application().test(.router) { client in
            let ownDistrict = try await client.execute(uri: "/regions/330106/activities", method: .get, headers: zhejiang)
            #expect(ownDistrict.status == .ok)
            let ownProvince = try await client.execute(uri: "/regions/330000/activities", method: .get, headers: zhejiang)
            #expect(ownProvince.status == .ok)
            let shandong = try await client.execute(uri: "/regions/370000/activities", method: .get, headers: zhejiang)
            #expect(shandong.status == .forbidden)
            #expect(try shandong.decoded(Problem.self).code == "region-not-allowed")
        }
    }

    @Test func ministryActsEverywhereOthersNowhereAnonymousIs401() async throws {
        let ministry = Self.bearer(Principal(subject: "m", role: .ministry, department: .mohurd))
        let consumer = Self.bearer(Principal(subject: "c", role: .consumer))
        try await Self.application().test(.router) { client in
            let asMinistry = try await client.execute(uri: "/regions/370102/activities", method: .get, headers: ministry)
            #expect(asMinistry.status == .ok)
            let asConsumer = try await client.execute(uri: "/regions/370102/activities", method: .get, headers: consumer)
            #expect(asConsumer.status == .forbidden)
            let anonymous = try await client.execute(uri: "/regions/370102/activities", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func roleRequirementAllowsListedRolesOnly() async throws {
        let body = Self.bearer(Principal(
            subject: "cb", role: .certificationBody, certificationBodyCode: UnifiedSocialCreditCode(rawValue: "91330106MA2B3C4D5D")))
        let enterprise = Self.bearer(Principal(subject: "e", role: .enterprise, enterpriseCode: UnifiedSocialCreditCode(rawValue: "91330106MA2B3C4D5D")))
        try await Self.application().test(.router) { client in
            let asCertificationBody = try await client.execute(uri: "/approvals", method: .post, headers: body)
            #expect(asCertificationBody.status == .ok)
            let refused = try await client.execute(uri: "/approvals", method: .post, headers: enterprise)
            #expect(refused.status == .forbidden)
            #expect(try refused.decoded(Problem.self).code == "role-not-allowed")
            let anonymousApproval = try await client.execute(uri: "/approvals", method: .post)
            #expect(anonymousApproval.status == .unauthorized)
        }
    }
}
