import Catalogue
import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import Messaging
import PilotManagement
import Postgres
@testable import ServiceHost
import ServiceKit
import ServiceTestSupport
import Synchronization
import TestSupport
import Testing

/// One request followed from HTTP into another service's handler: catalogue's server span continues the caller's
/// `traceparent`, its outbox row and Kafka record carry the server span's context (`ce_traceparent`), and
/// pilot-management's consumer span for that event is a child of it, in the same trace; both services export over
/// OTLP/HTTP (JSON) to a collector the test runs.
@Suite struct TracingTests {
    /// Receives OTLP/HTTP JSON exports (`POST /v1/traces`) and keeps every span, as (service, span) pairs.
    final class Collector: Sendable {
        struct Span: Sendable {
            var service: String
            var name: String
            var traceID: String
            var spanID: String
            var parentSpanID: String
            var kind: Int
        }
        let spans = Mutex<[Span]>([])

        func receive(_ body: Data) {
            guard let root = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return }
            var found: [Span] = []
            for resource in root["resourceSpans"] as? [[String: Any]] ?? [] {
                let attributes = (resource["resource"] as? [String: Any])?["attributes"] as? [[String: Any]] ?? []
                let service = attributes.first { $0["key"] as? String == "service.name" }
                    .flatMap { ($0["value"] as? [String: Any])?["stringValue"] as? String } ?? ""
                for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
                    for span in scope["spans"] as? [[String: Any]] ?? [] {
                        found.append(Span(
                            service: service, name: span["name"] as? String ?? "",
                            traceID: Self.hex(span["traceId"]), spanID: Self.hex(span["spanId"]),
                            parentSpanID: Self.hex(span["parentSpanId"]), kind: Self.kind(span["kind"])))
                    }
                }
            }
            spans.withLock { $0 += found }
        }

        /// OTLP JSON writes ids as hex; protobuf's JSON mapping writes bytes as base64: both are read.
        static func hex(_ value: Any?) -> String {
            guard let text = value as? String, !text.isEmpty else { return "" }
            if text.count == 32 || text.count == 16, text.allSatisfy(\.isHexDigit) { return text.lowercased() }
            guard let bytes = Data(base64Encoded: text) else { return text }
            return bytes.map { String(format: "%02x", $0) }.joined()
        }

        /// The span kind as its number (2 server, 5 consumer), whether written as a number or an enum name.
        static func kind(_ value: Any?) -> Int {
            if let number = value as? Int { return number }
            switch value as? String {
            case "SPAN_KIND_SERVER": return 2
            case "SPAN_KIND_CONSUMER": return 5
            default: return 0
            }
        }

        func application(port: Int) -> some ApplicationProtocol {
            let router = Router()
            router.post("/v1/traces") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 16 << 20)
                self.receive(Data(buffer: body))
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        }
    }

    /// `definition` on a schema of its own (other suites run the same services on their default schemas at the same
    /// time, and a shared inbox would let their consumers take the event first), tracing to the collector on `port`.
    static func traced(_ definition: ServiceDefinition, collector port: Int) async throws -> ServiceHost {
        try await ServiceHost.assembleForTest(definition, schemaPrefix: "tracing_\(definition.schema)", settings: [
            "GBM_TRACING": "otlp", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:\(port)/v1/traces",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json", "OTEL_BSP_SCHEDULE_DELAY": "100",
            // pilot-management's new consumer group reads the topic's whole history first (other suites' events,
            // each in a span): none may be dropped before the one this test waits for.
            "OTEL_BSP_MAX_QUEUE_SIZE": "1000000",
        ])
    }

    @Test func aRequestIsFollowedThroughTheOutboxAndKafkaIntoAnotherServicesHandler() async throws {
        let collector = Collector()
        let port = try freeLoopbackPort()
        let catalogue = try await Self.traced(CatalogueService.definition, collector: port)
        let pilot = try await Self.traced(PilotManagementService.definition, collector: port)
        #expect(catalogue.configuration.tracing.scheduleDelay == .milliseconds(100))
        let prefix = "91110108" + String(Int.random(in: 100_000_000...999_999_999))
        let code = prefix + String(try UnifiedSocialCreditCode.checkCharacter(forFirst17: prefix))
        let token = TokenSigner(secret: AuthConfiguration.developmentSecret).sign(
            Principal(subject: "cb-tracing", role: .certificationBody,
                      certificationBodyCode: UnifiedSocialCreditCode(rawValue: code)), ttl: .seconds(600))
        // The caller's trace: a trace id and the id of the caller's own span.
        let traceID = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let callerSpan = "00f067aa0ba902b7"

        let catalogueApp = catalogue.application(withServices: true)
        let pilotApp = pilot.application(withServices: true)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await collector.application(port: port).runService() }
            group.addTask {
                try await pilotApp.test(.router) { _ in
                    try await catalogueApp.test(.router) { client in
                        try await client.execute(
                            uri: "/enterprises", method: .post,
                            headers: [.authorization: "Bearer \(token)", .contentType: "application/json",
                                      .init("traceparent")!: "00-\(traceID)-\(callerSpan)-01",
                                      .init("tracestate")!: "gbm=test"],
                            body: ByteBuffer(string: """
                                {"creditCode":"\(code)","name":"追踪测试建材有限公司","kind":"manufacturer","regionCode":"110108",
                                 "address":"北京市海淀区","contactName":"王经理","contactPhone":"13812345678"}
                                """)
                        ) { response in
                            #expect(response.status == .created, "\(String(buffer: response.body))")
                        }
                        // Then pilot-management handles the event in a consumer span of the same trace.
                        let followed = await eventually(timeout: .seconds(180)) {
                            let spans = collector.spans.withLock { $0 }.filter { $0.traceID == traceID }
                            return spans.contains { $0.service == "pilot-management" && $0.kind == 5 }
                        }
                        #expect(followed, "no consumer span of trace \(traceID) from pilot-management")
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }

        let spans = collector.spans.withLock { $0 }.filter { $0.traceID == traceID }
        let server = try #require(spans.first { $0.service == "catalogue" && $0.kind == 2 }, "\(spans)")
        #expect(server.name == "POST /enterprises")
        #expect(server.parentSpanID == callerSpan)
        let consumer = try #require(spans.first { $0.service == "pilot-management" && $0.kind == 5 }, "\(spans)")
        #expect(consumer.name == "\(EnterpriseRegistered.eventType.name) process")
        #expect(consumer.parentSpanID == server.spanID, "the consumer span continues the request's server span")
        catalogue.dropSchemaAndClose()
        pilot.dropSchemaAndClose()
    }
}
