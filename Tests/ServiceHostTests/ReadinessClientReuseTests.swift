import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kafka
import Reporting
import ServiceHost
import ServiceKit
import TestSupport
import Testing

/// `/health/ready` asks the broker on the producer the service already has: no librdkafka client (with its threads
/// and connections) per probe, and still a stable code, without internals, when the broker does not answer.
@Suite struct ReadinessClientReuseTests {
    @Test func manyReadinessProbesCreateNoKafkaClient() async throws {
        let definition = ReportingService.definition
        var configuration = try hostConfiguration(for: definition)
        configuration.kafka.clientID = uniqueName("readiness")
        let host = try await ServiceHost.assemble(definition, configuration: configuration)
        let clientID = configuration.kafka.clientID
        try await host.application(withServices: false).test(.router) { client in
            let ready = await eventually(timeout: .seconds(10)) {
                (try? await client.execute(uri: "/health/ready", method: .get) { $0.status == .ok }) == true
            }
            #expect(ready)
            // Assembling made two: the admin client that created the topics, and the producer.
            let before = KafkaClientStatistics.clientsCreated(clientID: clientID)
            #expect(before == 2)
            for _ in 0..<50 {
                try await client.execute(uri: "/health/ready", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await client.execute(uri: "/health/ready", method: .get) { $0.status } }
                }
                for try await status in group { #expect(status == .ok) }
            }
            #expect(KafkaClientStatistics.clientsCreated(clientID: clientID) == before,
                    "70 probes and not one new librdkafka client")
        }
        await host.context.pool.close()
    }

    @Test func aFrozenBrokerMakesTheServiceNotReadyWithAStableCodeUntilItAnswersAgain() async throws {
        let broker = try LocalTansuBroker()
        defer { broker.stop() }
        let definition = ReportingService.definition
        var configuration = try hostConfiguration(for: definition)
        configuration.kafka.bootstrapServers = broker.bootstrapServers
        configuration.kafka.clientID = uniqueName("readiness")
        configuration.http.readinessTimeout = .seconds(1)
        let host = try await ServiceHost.assemble(definition, configuration: configuration)
        let created = KafkaClientStatistics.clientsCreated(clientID: configuration.kafka.clientID)
        try await host.application(withServices: false).test(.router) { client in
            #expect(await eventually(timeout: .seconds(10)) {
                (try? await client.execute(uri: "/health/ready", method: .get) { $0.status == .ok }) == true
            })
            broker.pause()
            let report = try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                return try JSONDecoder().decode(ReadinessReport.self, from: Data(buffer: response.body))
            }
            let kafka = try #require(report.checks["kafka"])
            #expect(kafka.status == "fail")
            #expect(["timed-out", "unavailable"].contains(kafka.reason ?? ""), "a stable code: \(kafka.reason ?? "")")
            #expect(report.checks["postgres"]?.status == "pass")
            let body = try await client.execute(uri: "/health/ready", method: .get) { String(buffer: $0.body) }
            #expect(!body.contains("127.0.0.1") && !body.contains(String(broker.port)), "no internals: \(body)")
            broker.resume()
            #expect(await eventually(timeout: .seconds(30)) {
                (try? await client.execute(uri: "/health/ready", method: .get) { $0.status == .ok }) == true
            }, "ready again once the broker answers")
        }
        #expect(KafkaClientStatistics.clientsCreated(clientID: configuration.kafka.clientID) == created)
        await host.context.pool.close()
    }
}
