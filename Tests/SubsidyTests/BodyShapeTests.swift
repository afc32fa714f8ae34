import Foundation
import ServiceTestSupport
import Testing
@testable import Subsidy

/// A body with a member the document does not name is refused before the route runs, on every body route (an API
/// fuzzer found clawback and closure accepting `x-schemathesis-unknown-property` once real ids existed).
@Suite("subsidy bodies against their documented shape")
struct BodyShapeTests {
    @Test func anUndocumentedMemberOrANullIsA422NamingItAndChangesNothing() async throws {
        let harness = try await SubsidyHarness.make()
        try await harness.run { client in
            let setup = try await harness.openProgramme(client)
            let claim = try await client.send(.post, "/claims", token: Tokens.consumer(), json: setup.claim().json)
            #expect(claim.status == .created, "\(claim.text)")
            let cases: [(String, String, String)] = [
                ("/claims/\(claim.id)/clawback", #"{"reason":"0","x-schemathesis-unknown-property":42}"#, "x-schemathesis-unknown-property"),
                ("/programmes/\(setup.programmeID)/closure", #"{"reason":"0","extra":true}"#, "extra"),
                ("/programmes/\(setup.programmeID)/top-ups", #"{"amount":100,"reason":null}"#, "reason"),
            ]
            for (path, body, field) in cases {
                let reply = try await client.send(.post, path, token: Tokens.region(setup.region), json: body)
                #expect(reply.status == .unprocessableContent, "\(path): \(reply.text)")
                #expect(reply.fields == [field], "\(path): \(reply.text)")
            }
            let after = try await client.send(.get, "/claims/\(claim.id)", token: Tokens.region(setup.region))
            #expect(after.json["status"] as? String == "approved", "nothing was clawed back: \(after.text)")
        }
    }
}
