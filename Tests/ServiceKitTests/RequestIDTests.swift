import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceKit
import Testing

struct RequestIDTests {
    static let header = HTTPFields.Element.Name.requestID

    @Test func propagatesTheCallersRequestIDToContextLoggerAndResponse() async throws {
        let (logger, recorder) = Fixture.recordingLogger()
        let app = Fixture.application(logger: logger) { router in
            router.get("/echo-id") { _, context in
                context.logger.info("inside handler")
                return context.requestID
            }
        }
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/echo-id", method: .get, headers: [Self.header: "abc-123.x"])
            #expect(response.text == "abc-123.x")
            #expect(response.headers[Self.header] == "abc-123.x")
        }
        let handlerLine = recorder.entries.first { $0.message == "inside handler" }
        #expect(handlerLine?.metadata["request.id"] == "abc-123.x")
    }

    @Test func generatesARequestIDWhenNoneOrAnUnsafeOneIsSent() async throws {
        let app = Fixture.application { router in
            router.get("/echo-id") { _, context in context.requestID }
        }
        try await app.test(.router) { client in
            let first = try await client.execute(uri: "/echo-id", method: .get)
            let second = try await client.execute(uri: "/echo-id", method: .get, headers: [Self.header: "bad id\twith spaces"])
            let firstID = try #require(first.headers[Self.header])
            let secondID = try #require(second.headers[Self.header])
            #expect(firstID.count == 36)
            #expect(UUID(uuidString: firstID) != nil && firstID == firstID.lowercased(), "a lower-case UUID")
            #expect(first.text == firstID)
            #expect(secondID != "bad id\twith spaces")
            #expect(firstID != secondID)
        }
    }

    @Test func requestLogHasMethodPathStatusAndDurationButNoTokenOrBody() async throws {
        let (logger, recorder) = Fixture.recordingLogger()
        let token = Fixture.signer.sign(Principal(subject: "alice", role: .consumer), ttl: .seconds(60))
        let app = Fixture.application(logger: logger) { router in
            router.post("/widgets") { request, context in
                _ = try await request.decode(as: Widget.self, context: context)
                return HTTPResponse.Status.created
            }
        }
        try await app.test(.router) { client in
            let body = ByteBuffer(string: #"{"name":"secret-body-value","quantity":1,"tags":[]}"#)
            let response = try await client.execute(
                uri: "/widgets?phone=13812345678", method: .post,
                headers: [.authorization: "Bearer \(token)", Self.header: "log-test"], body: body)
            #expect(response.status == .created)
        }
        let line = try #require(recorder.entries.first { $0.message == "request completed" && $0.metadata["request.id"] == "log-test" })
        #expect(line.metadata["http.request.method"] == "POST")
        #expect(line.metadata["url.path"] == "/widgets")
        #expect(line.metadata["http.response.status_code"] == "201")
        #expect(line.metadata["http.server.duration_ms"] != nil)
        let everything = recorder.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(!everything.contains(token))
        #expect(!everything.contains("secret-body-value"))
        #expect(!everything.contains("13812345678"))
    }
}
