import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

struct MetricsTests {
    @Test func metricsExposeAnHTTPRequestCounterAfterARequest() async throws {
        let app = Fixture.application { router in
            router.get("/counted/:id") { _, _ in "ok" }
        }
        try await app.test(.router) { client in
            let first = try await client.execute(uri: "/counted/7", method: .get)
            #expect(first.status == .ok)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = response.text
            #expect(text.contains("# TYPE http_server_requests_total counter"))
            let counterLine = text.split(separator: "\n").first {
                $0.hasPrefix("http_server_requests_total{") && $0.contains(#"http_route="/counted/{id}""#)
                    && $0.contains(#"http_response_status_code="200""#)
            }
            #expect(counterLine != nil, "no request counter for /counted/{id} in:\n\(text)")
            #expect(text.contains("# TYPE http_server_request_duration_seconds histogram"))
            #expect(!text.contains("hb_"), "Hummingbird's own names are renamed")
            // The process metrics, from /proc/self.
            let resident = text.split(separator: "\n").first { $0.hasPrefix("process_resident_memory_bytes ") }
            #expect((resident.flatMap { Double($0.split(separator: " ")[1]) } ?? 0) > 1_000_000)
            #expect(text.contains("\nprocess_open_fds "))
        }
    }

    @Test func bootstrapIsSafeToCallRepeatedly() {
        let first = MetricsBootstrap.bootstrap()
        let second = MetricsBootstrap.bootstrap()
        #expect(first === second)
    }
}
