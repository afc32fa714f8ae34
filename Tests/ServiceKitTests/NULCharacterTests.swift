import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

/// U+0000 never reaches a route: PostgreSQL text cannot hold it, and a C-string bind would cut the value short.
struct NULCharacterTests {
    struct Line: Decodable { var name: String }
    struct Body: Decodable {
        var title: String
        var lines: [Line]
    }

    static func application() -> some ApplicationProtocol {
        Fixture.application { router in
            router.post("/things") { request, context in
                let body = try await request.decode(as: Body.self, context: context)
                return body.title + "/" + body.lines.map(\.name).joined(separator: ",")
            }
            router.get("/search") { request, _ in
                request.uri.queryParameters.get("q") ?? ""
            }
        }
    }

    @Test func aNULInANestedStringIsA422NamingItsPath() async throws {
        try await Self.application().test(.router) { client in
            let body = #"{"title":"ok","lines":[{"name":"a"},{"name":"AC\u0000ME"}]}"#
            let response = try await client.execute(uri: "/things", method: .post, body: ByteBuffer(string: body))
            #expect(response.status == .unprocessableContent)
            let problem = try response.decoded(Problem.self)
            #expect(problem.errors.map(\.field) == ["lines[1].name"])
            #expect(problem.errors.first?.reason == "must not contain the NUL character (U+0000)")
        }
    }

    @Test func anEscapedBackslashBeforeTheLettersIsNoNUL() async throws {
        try await Self.application().test(.router) { client in
            let body = #"{"title":"C:\\u0000","lines":[]}"#
            let response = try await client.execute(uri: "/things", method: .post, body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"C:\u0000/"#)
        }
    }

    @Test func aNULInAQueryParameterIsA422NamingTheParameter() async throws {
        try await Self.application().test(.router) { client in
            let response = try await client.execute(uri: "/search?q=%E9%97%A8%00%E7%AA%97", method: .get)
            #expect(response.status == .unprocessableContent)
            #expect(try response.decoded(Problem.self).errors.map(\.field) == ["q"])
            let clean = try await client.execute(uri: "/search?q=%E9%97%A8%E7%AA%97", method: .get)
            #expect(clean.status == .ok)
            #expect(String(buffer: clean.body) == "门窗")
        }
    }
}
