import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

/// Every JSON body is held to its documented shape before the route reads it: no member the closed schema does not
/// name, no `null` where the schema allows none; the route then reads the very same bytes.
@Suite("Request bodies against their documented schema")
struct DocumentedBodyTests {
    static let document: OpenAPIDocument = {
        let widget: JSONSchema = .object([
            .required("name", .text(maxLength: 20), "Name."),
            .optional("colour", .text(maxLength: 20), "Colour."),
            .optional("parts", .array(of: .object([.required("code", .text(maxLength: 10), "Code.")])), "Parts."),
        ])
        return OpenAPIDocument(title: "widgets", version: "1", description: "Widgets.", routes: [
            OpenAPIRoute("post", "/widgets", "Make a widget", requestBody: widget, success: 201),
            OpenAPIRoute("put", "/widgets/{id}", "Replace a widget", requestBody: widget),
        ])
    }()

    static func application() -> some ApplicationProtocol {
        Fixture.application(document: document) { router in
            router.post("/widgets") { request, context in
                let body = try await request.body.collect(upTo: context.maxUploadSize)
                return Response(status: .created, body: .init(byteBuffer: body))
            }
            router.put("/widgets/:id") { request, context in
                let body = try await request.body.collect(upTo: context.maxUploadSize)
                return Response(status: .ok, body: .init(byteBuffer: body))
            }
        }
    }

    static let json: HTTPFields = [.contentType: "application/json"]

    @Test func anUndocumentedMemberOrANullIsA422NamingEachFieldAndTheRouteNeverRuns() async throws {
        try await Self.application().test(.router) { client in
            let body = #"{"name":"a","colour":null,"size":3,"parts":[{"code":"x"},{"code":"y","weight":1}]}"#
            let response = try await client.execute(uri: "/widgets", method: .post, headers: Self.json, body: ByteBuffer(string: body))
            #expect(response.status == .unprocessableContent)
            let problem = try response.decoded(Problem.self)
            #expect(problem.errors.map(\.field) == ["colour", "parts[1].weight", "size"])
            #expect(problem.errors.first?.reason == "must not be null (leave an optional field out)")
            let replaced = try await client.execute(
                uri: "/widgets/7", method: .put, headers: Self.json, body: ByteBuffer(string: #"{"name":"a","x-unknown":42}"#))
            #expect(replaced.status == .unprocessableContent)
            #expect(try replaced.decoded(Problem.self).errors.map(\.field) == ["x-unknown"])
        }
    }

    @Test func aDocumentedBodyReachesTheRouteUnchangedAndOtherBodiesAreTheRoutes() async throws {
        try await Self.application().test(.router) { client in
            let body = #"{"name":"门窗","parts":[{"code":"x"}]}"#
            let response = try await client.execute(uri: "/widgets", method: .post, headers: Self.json, body: ByteBuffer(string: body))
            #expect(response.status == .created)
            #expect(String(buffer: response.body) == body)
            // Not JSON by its type, or not JSON at all: the route's own decoder speaks.
            let text = try await client.execute(uri: "/widgets", method: .post, headers: [.contentType: "text/plain"],
                                                body: ByteBuffer(string: #"{"size":3}"#))
            #expect(text.status == .created)
            let malformed = try await client.execute(uri: "/widgets", method: .post, headers: Self.json, body: ByteBuffer(string: "{"))
            #expect(malformed.status == .created)
        }
    }
}
