import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

struct HealthTests {
    struct CheckFailed: Error, CustomStringConvertible {
        var description: String { "connection refused by 127.0.0.1:5432" }
    }

    @Test func liveReportsLiveWithoutRunningReadinessChecks() async throws {
        let app = Fixture.application(readiness: [ReadinessCheck(name: "broken") { throw CheckFailed() }])
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/health/live", method: .get)
            #expect(response.status == .ok)
            #expect(response.text == #"{"status":"live"}"#)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }

    @Test func readyAnswers200WhenEveryCheckPasses() async throws {
        let app = Fixture.application(readiness: [
            ReadinessCheck(name: "postgres") {},
            ReadinessCheck(name: "kafka") { try await Task.sleep(for: .milliseconds(10)) },
        ])
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/health/ready", method: .get)
            #expect(response.status == .ok)
            let report = try response.decoded(ReadinessReport.self)
            #expect(report.status == "ready")
            #expect(report.checks.keys.sorted() == ["kafka", "postgres"])
            #expect(report.checks.values.allSatisfy { $0.status == "pass" && $0.reason == nil })
        }
    }

    @Test func readyAnswers503NamingTheFailingCheckAndWhy() async throws {
        let app = Fixture.application(readiness: [
            ReadinessCheck(name: "postgres") { throw CheckFailed() },
            ReadinessCheck(name: "kafka") {},
        ])
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/health/ready", method: .get)
            #expect(response.status == .serviceUnavailable)
            let report = try response.decoded(ReadinessReport.self)
            #expect(report.status == "not-ready")
            #expect(report.checks["postgres"]?.status == "fail")
            // A stable code, never the error's text (host names and internals go to the log).
            #expect(report.checks["postgres"]?.reason == "unavailable")
            #expect(!response.text.contains("127.0.0.1"))
            #expect(report.checks["kafka"]?.status == "pass")
        }
    }

    @Test func readyAnswers503AtTheTimeoutWhenACheckHangs() async throws {
        let app = Fixture.application(
            readiness: [
                ReadinessCheck(name: "slow-broker") { try await Task.sleep(for: .seconds(30)) },
                // Ignores cancellation: the probe must still answer at the deadline. It waits on a task that cancelling
                // the check does not reach, rather than spinning: a cancelled `Task.sleep` returns at once, and a loop
                // of them held one of the test process's few threads for a minute, slowing every test beside it.
                ReadinessCheck(name: "stuck-pool") {
                    await Task.detached { try? await Task.sleep(for: .seconds(60)) }.value
                },
            ],
            readinessTimeout: .milliseconds(200)
        )
        try await app.test(.router) { client in
            let start = ContinuousClock.now
            let response = try await client.execute(uri: "/health/ready", method: .get)
            // Answered at its own deadline, not when the checks end (30 s and 60 s away).
            #expect(ContinuousClock.now - start < .seconds(25))
            #expect(response.status == .serviceUnavailable)
            let report = try response.decoded(ReadinessReport.self)
            #expect(report.checks["slow-broker"]?.status == "fail")
            #expect(report.checks["slow-broker"]?.reason == "timed-out")
            #expect(report.checks["stuck-pool"]?.reason == "timed-out")
        }
    }

    @Test func serverAnswersHealthOnARealSocket() async throws {
        let app = Fixture.application(readiness: [ReadinessCheck(name: "postgres") {}])
        try await app.test(.live) { client in
            #expect(client.port != nil)
            let live = try await client.execute(uri: "/health/live", method: .get)
            #expect(live.status == .ok)
            #expect(live.text == #"{"status":"live"}"#)
            let ready = try await client.execute(uri: "/health/ready", method: .get, headers: [.requestID: "live-1"])
            #expect(ready.status == .ok)
            #expect(ready.headers[.requestID] == "live-1")
            let missing = try await client.execute(uri: "/nothing-here", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
        }
    }
}
