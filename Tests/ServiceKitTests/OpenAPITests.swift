import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceKit
import Testing

struct OpenAPITests {
    @Test func documentListsItsOperationsWithNormalisedPaths() throws {
        let document = try OpenAPIDocument(json: #"""
            {"openapi":"3.1.0","info":{"title":"t","version":"1"},
             "paths":{"/claims/{id}/":{"get":{},"patch":{},"parameters":[],"summary":"x"},"/claims":{"post":{}}}}
            """#)
        #expect(document.operations.map(\.description) == ["POST /claims", "GET /claims/{id}", "PATCH /claims/{id}"])
    }

    @Test func routeCheckFindsAnUndocumentedRouteAndAMissingOne() {
        let router = makeRouter(
            service: "test", readiness: [], auth: Fixture.verifier, openAPI: Fixture.document, logger: Logger(label: "t"))
        router.get("/widgets/:id") { _, _ in "w" }
        router.delete("/widgets/{id}") { _, _ in HTTPResponse.Status.noContent }
        // Fixture.document also documents POST /widgets, which has no route.
        #expect(undocumentedRoutes(router: router, document: Fixture.document) == ["DELETE /widgets/{id}"])
        #expect(unroutedOperations(router: router, document: Fixture.document) == ["POST /widgets"])

        router.post("/widgets") { _, _ in HTTPResponse.Status.created }
        let complete = Fixture.document.merging(try! OpenAPIDocument(json: #"""
            {"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/widgets/{id}":{"delete":{}}}}
            """#))
        #expect(undocumentedRoutes(router: router, document: complete) == [])
        #expect(unroutedOperations(router: router, document: complete) == [])
    }

    @Test func parameterNamesMustAgree() {
        let router = Router(context: AppRequestContext.self)
        router.get("/widgets/:widgetId") { _, _ in "w" }
        #expect(undocumentedRoutes(router: router, document: Fixture.document) == ["GET /widgets/{widgetId}"])
    }

    @Test func platformPathsAreServedInTheDocument() async throws {
        #expect(OpenAPIDocument.platformPaths.operations.map(\.description).sorted() == [
            "GET /docs", "GET /docs/assets/{file}", "GET /docs/init.js",
            "GET /health/live", "GET /health/ready", "GET /metrics", "GET /openapi.json",
        ])
        try await Fixture.application().test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            let served = try OpenAPIDocument(json: Data(response.body.readableBytesView))
            #expect(Set(served.operations.map(\.description)) == [
                "GET /health/live", "GET /health/ready", "GET /metrics", "GET /openapi.json",
                "GET /docs", "GET /docs/init.js", "GET /docs/assets/{file}",
                "POST /widgets", "GET /widgets/{id}",
            ])
            #expect(response.text.contains(#""Problem""#))
        }
    }

    @Test func rejectsDocumentsThatAreNotOpenAPI31() {
        #expect(throws: OpenAPIDocument.LoadError.self) { try OpenAPIDocument(json: "not json") }
        #expect(throws: OpenAPIDocument.LoadError.self) { try OpenAPIDocument(json: #"{"swagger":"2.0","paths":{}}"#) }
        #expect(throws: OpenAPIDocument.LoadError.self) { try OpenAPIDocument(json: #"{"openapi":"3.1.0"}"#) }
    }
}
