import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import ServiceTestSupport
import Testing

/// The contract check every service suite's client runs (`ContractCheckingClient`) finds what it is for: a body
/// its schema refuses, an undocumented status or media type, a problem that is not the `Problem` schema. A tiny
/// document and router, no database.
@Suite("Response contract check")
struct ContractCheckTests {
    static let document = OpenAPIDocument(
        title: "widgets", version: "1", description: "A tiny service for the contract check.",
        routes: [
            OpenAPIRoute("get", "/widgets/{id}", "One widget",
                         pathParameters: [.init("id", .string(pattern: "^[a-z]+$"), "The widget")],
                         response: .object([.required("name", .text(maxLength: 10), "Its name."),
                                            .optional("size", .integer(minimum: 1, maximum: 9), "Its size.")]),
                         problems: [404]),
            OpenAPIRoute("get", "/widgets/{id}/label", "A widget's label", responseMediaType: "text/plain"),
        ])

    /// Answers `/widgets/{id}` with what `id` asks for: a conforming widget, or one kind of drift.
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        @Sendable func reply(_ status: HTTPResponse.Status, _ type: String, _ text: String) -> Response {
            Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/widgets/:id") { _, context -> Response in
            switch context.parameters.get("id") ?? "" {
            case "good": reply(.ok, "application/json", #"{"name":"ok","size":3}"#)
            case "wrongtype": reply(.ok, "application/json", #"{"name":5}"#)
            case "extra": reply(.ok, "application/json", #"{"name":"ok","colour":"red"}"#)
            case "missing": reply(.ok, "application/json", #"{"size":3}"#)
            case "created": reply(.created, "application/json", #"{"name":"ok"}"#)
            case "gone": Problem.notFound("No such widget.", code: "widget-not-found").response()
            case "oddproblem": reply(.notFound, "application/problem+json", #"{"status":404,"title":"x"}"#)
            default: reply(.ok, "text/html", "<p>widget</p>")
            }
        }
        router.get("/widgets/:id/label") { _, _ -> Response in reply(.ok, "text/plain", "label") }
        return router
    }

    func violations(_ uri: String, contract: ResponseContract = ResponseContract(Self.document)) async throws -> [String] {
        try await Application(router: Self.router()).test(.router) { client in
            let response = try await client.execute(uri: uri, method: .get)
            return contract.violations(method: .get, uri: uri, status: Int(response.status.code),
                                       contentType: response.headers[.contentType], body: Array(response.body.readableBytesView))
        }
    }

    @Test func acceptsResponsesTheDocumentDescribes() async throws {
        #expect(try await violations("/widgets/good") == [])
        #expect(try await violations("/widgets/gone") == [], "a Problem, by $ref to components.schemas.Problem")
        #expect(try await violations("/widgets/good/label") == [])
        #expect(try await violations("/unknown/path") == [], "no documented operation: the route checks answer for it")
    }

    @Test func findsABodyItsSchemaRefuses() async throws {
        let wrongType = try await violations("/widgets/wrongtype")
        #expect(wrongType.count == 1)
        #expect(wrongType.first?.contains("GET /widgets/{id} answered 200") == true)
        #expect(wrongType.first?.contains("/name: 'name' must be a string") == true, "\(wrongType)")
        #expect(try await violations("/widgets/extra").first?.contains("'colour' is not allowed") == true)
        #expect(try await violations("/widgets/missing").first?.contains("missing required property 'name'") == true)
        #expect(try await violations("/widgets/oddproblem").first?.contains("missing required property 'code'") == true,
                "a problem without the Problem schema's code")
    }

    @Test func findsAnUndocumentedStatusOrMediaType() async throws {
        // 201 falls to `default`, which documents only problems.
        #expect(try await violations("/widgets/created").first?.contains("application/json, which it does not document") == true)
        #expect(try await violations("/widgets/page").first?.contains("text/html, which it does not document") == true)
        let strict = ResponseContract(try OpenAPIDocument(json: #"""
            {"openapi":"3.1.0","info":{"title":"w","version":"1"},"paths":{"/widgets/{id}":{"get":{
              "responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"object"}}}}}}}}}
            """#))
        #expect(try await violations("/widgets/gone", contract: strict).first?.contains("answered 404, which it does not document") == true)
    }

    @Test func theCheckingClientFailsTheTestThatGotTheResponse() async throws {
        try await Application(router: Self.router()).test(.router) { client in
            let checked = client.checkingContract(Self.document)
            try await checked.execute(uri: "/widgets/good", method: .get) { #expect($0.status == .ok) }
            try await withKnownIssue("the response breaks the document") {
                try await checked.execute(uri: "/widgets/extra", method: .get) { #expect($0.status == .ok) }
            } matching: { issue in
                issue.comments.contains { $0.rawValue.contains("OpenAPI contract: GET /widgets/{id} answered 200") }
            }
        }
    }
}
