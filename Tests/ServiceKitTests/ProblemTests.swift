import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceKit
import Testing

struct ProblemTests {
    struct DatabaseExploded: Error, CustomStringConvertible {
        var description: String { "password=hunter2 at pg.internal:5432" }
    }

    static func widgetApplication(logger: Logger = Fixture.quietLogger) -> some ApplicationProtocol {
        Fixture.application(logger: logger) { router in
            router.post("/widgets") { request, context -> HTTPResponse.Status in
                let widget = try await request.decode(as: Widget.self, context: context)
                var validator = Validator()
                validator.require(!widget.name.isEmpty, field: "name", "must not be empty")
                validator.require(widget.quantity > 0, field: "quantity", "must be positive")
                try validator.validate()
                return .created
            }
            router.get("/widgets/:id") { _, _ -> String in
                throw Problem.notFound("No widget with id 9.", code: "widget-not-found")
            }
            router.get("/explode") { _, _ -> String in
                throw DatabaseExploded()
            }
        }
    }

    static func post(_ json: String, to client: some TestClientProtocol) async throws -> (TestResponse, Problem) {
        let response = try await client.execute(uri: "/widgets", method: .post, body: ByteBuffer(string: json))
        #expect(response.headers[.contentType] == "application/problem+json")
        return (response, try response.decoded(Problem.self))
    }

    @Test func validationErrorsListEveryFieldWithItsReason() async throws {
        try await Self.widgetApplication().test(.router) { client in
            let (response, problem) = try await Self.post(#"{"name":"","quantity":0,"tags":[]}"#, to: client)
            #expect(response.status == .unprocessableContent)
            #expect(problem.status == .unprocessableContent)
            #expect(problem.code == "validation-failed")
            #expect(problem.type == "https://gbm.example.gov.cn/problems/validation-failed")
            #expect(problem.errors == [
                FieldError(field: "name", reason: "must not be empty"),
                FieldError(field: "quantity", reason: "must be positive"),
            ])
            #expect(problem.requestID == response.headers[.requestID])
            #expect(problem.instance == "/widgets")
        }
    }

    @Test func malformedJSONBodyNamesTheFieldAndReason() async throws {
        try await Self.widgetApplication().test(.router) { client in
            let (missing, missingProblem) = try await Self.post(#"{"name":"a","tags":[]}"#, to: client)
            #expect(missing.status == .badRequest)
            #expect(missingProblem.code == "malformed-request")
            #expect(missingProblem.errors == [FieldError(field: "quantity", reason: "is required")])

            let (_, mismatch) = try await Self.post(#"{"name":"a","quantity":"seven","tags":[]}"#, to: client)
            #expect(mismatch.errors == [FieldError(field: "quantity", reason: "must be an integer")])

            let (_, nested) = try await Self.post(#"{"name":"a","quantity":1,"tags":[{"label":"x"},{"label":3}]}"#, to: client)
            #expect(nested.errors == [FieldError(field: "tags[1].label", reason: "must be a string")])

            let (_, null) = try await Self.post(#"{"name":null,"quantity":1,"tags":[]}"#, to: client)
            #expect(null.errors.map(\.field) == ["name"])

            let (broken, brokenProblem) = try await Self.post(#"{"name": "a", "#, to: client)
            #expect(broken.status == .badRequest)
            #expect(brokenProblem.detail == "The request body is not valid JSON.")
        }
    }

    @Test func unknownRouteIsA404Problem() async throws {
        try await Self.widgetApplication().test(.router) { client in
            let response = try await client.execute(uri: "/no/such/thing", method: .get)
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try response.decoded(Problem.self)
            #expect(problem.code == "not-found")
            #expect(problem.detail == "There is no route for GET /no/such/thing.")
            #expect(response.headers[.requestID] != nil)
        }
    }

    @Test func aKnownPathWithAnotherMethodIsA405WithAllow() async throws {
        try await Self.widgetApplication().test(.router) { client in
            for (uri, method, allow) in [
                ("/widgets", HTTPRequest.Method.delete, "POST"), ("/widgets/42", .put, "GET"),
                ("/metrics", .post, "GET"), ("/openapi.json", HTTPRequest.Method(rawValue: "TRACE")!, "GET"),
            ] {
                let response = try await client.execute(uri: uri, method: method)
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allow)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try response.decoded(Problem.self)
                #expect(problem.code == "method-not-allowed")
                #expect(problem.instance == uri)
            }
            // A path no route has stays a 404, whatever the method.
            let unknown = try await client.execute(uri: "/widgets/42/parts", method: .delete)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.allow] == nil)
        }
    }

    /// An operation documented as needing a token refuses a request without one before the route validates it: the
    /// caller learns that it must authenticate, not that its path parameter is wrong. An operation with an
    /// anonymous alternative (`{}`) still reaches its route.
    @Test func aDocumentedTokenIsRequiredBeforeTheRouteLooksAtTheRequest() async throws {
        let document = try OpenAPIDocument(json: #"""
            {
              "openapi": "3.1.0", "info": { "title": "test", "version": "1" },
              "paths": { "/secrets/{code}": {
                "get": { "security": [{ "bearer": [] }], "responses": { "200": { "description": "found" } } },
                "put": { "security": [{}, { "bearer": [] }], "responses": { "200": { "description": "stored" } } }
              } }
            }
            """#)
        let application = Fixture.application(document: document) { router in
            router.get("/secrets/:code") { _, _ -> String in
                throw Problem.validation(field: "code", reason: "must be six digits")
            }
            router.put("/secrets/:code") { _, _ -> String in
                throw Problem.validation(field: "code", reason: "must be six digits")
            }
        }
        try await application.test(.router) { client in
            let anonymous = try await client.execute(uri: "/secrets/x", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(try anonymous.decoded(Problem.self).code == "authentication-required")
            let token = Fixture.signer.sign(Principal(subject: "m", role: .ministry), ttl: .seconds(60))
            let withToken = try await client.execute(uri: "/secrets/x", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(withToken.status == .unprocessableContent)
            let optional = try await client.execute(uri: "/secrets/x", method: .put)
            #expect(optional.status == .unprocessableContent)
        }
    }

    @Test func aBodyOverTheLimitIsRequestTooLarge() async throws {
        try await Self.widgetApplication().test(.router) { client in
            let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 2 * 1024 * 1024 + 1)
            let response = try await client.execute(uri: "/widgets", method: .post, body: body)
            #expect(response.status == .contentTooLarge)
            let problem = try response.decoded(Problem.self)
            #expect(problem.code == "request-too-large")
            #expect(problem.detail?.contains("2 MiB") == true)
        }
    }

    @Test func aBodyOfTheWrongKindIsNamedBody() async throws {
        try await Self.widgetApplication().test(.router) { client in
            let (response, problem) = try await Self.post(#"["not", "an", "object"]"#, to: client)
            #expect(response.status == .badRequest)
            #expect(problem.errors == [FieldError(field: "body", reason: "must be an object")])
            let (_, null) = try await Self.post("null", to: client)
            #expect(null.errors.map(\.field) == ["body"])
            #expect(null.detail == "The request body must not be null.")
        }
    }

    @Test func thrownProblemRendersWithItsOwnCode() async throws {
        try await Self.widgetApplication().test(.router) { client in
            let response = try await client.execute(uri: "/widgets/9", method: .get)
            #expect(response.status == .notFound)
            let problem = try response.decoded(Problem.self)
            #expect(problem.code == "widget-not-found")
            #expect(problem.detail == "No widget with id 9.")
        }
    }

    @Test func unexpectedErrorIsA500WithoutInternalsAndIsLoggedWithTheRequestID() async throws {
        let (logger, recorder) = Fixture.recordingLogger()
        try await Self.widgetApplication(logger: logger).test(.router) { client in
            let response = try await client.execute(uri: "/explode", method: .get, headers: [.requestID: "boom-1"])
            #expect(response.status == .internalServerError)
            #expect(!response.text.contains("hunter2"))
            #expect(!response.text.contains("DatabaseExploded"))
            let problem = try response.decoded(Problem.self)
            #expect(problem.code == "internal-error")
            #expect(problem.requestID == "boom-1")
        }
        let logged = recorder.entries.first { $0.level == .error && $0.metadata["request.id"] == "boom-1" }
        #expect(logged?.metadata["error.type"] == "DatabaseExploded")
    }

    @Test func hummingbirdHTTPErrorKeepsItsStatusAndMessage() {
        let problem = Problem(HTTPError(.contentTooLarge, message: "too big"))
        #expect(problem.status == .contentTooLarge)
        #expect(problem.code == "request-too-large")
        #expect(problem.detail == "too big")
    }

    @Test func validatorReRootsNestedProblemsUnderTheField() throws {
        var validator = Validator()
        validator.check(field: "principal") { try Principal(subject: "x", role: .regionOfficial).validate() }
        validator.check(field: "count") { () throws -> Int in throw Problem.malformedRequest(detail: "not a number") }
        #expect(validator.errors == [
            FieldError(field: "principal.regionCode", reason: "is required for the region-official role"),
            FieldError(field: "count", reason: "not a number"),
        ])
        #expect(throws: Problem.self) { try validator.validate() }
    }

    /// JSON Schema's `maxLength` counts code points: so does the validator, or a text the published schema calls too
    /// long would be accepted (a combining mark is one Swift `Character` with its letter, two code points).
    @Test func textLengthsAreCountedInCodePointsAsTheSchemasCountThem() {
        var validator = Validator()
        validator.text(String(repeating: "e\u{301}", count: 3), field: "name", maxLength: 5)
        validator.text("保温板", field: "product", maxLength: 3)
        validator.text("\r\n\r\n", field: "blank", maxLength: 10)
        #expect(validator.errors == [
            FieldError(field: "name", reason: "must be at most 5 characters"),
            FieldError(field: "blank", reason: "must not be empty"),
        ])
    }
}
