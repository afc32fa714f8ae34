import Contracts
import Foundation
import HTTPTypes
import TestSupport
import Testing
@testable import PilotManagement

/// The issue's benchmark: scheduling activities across regions through the API (each with its outbox event) and
/// the calendar query's p99. Runs only when `GBM_PILOT_BENCH` holds the number of activities (e.g. 10000).
@Suite("Pilot benchmark", .enabled(if: ProcessInfo.processInfo.environment["GBM_PILOT_BENCH"] != nil))
struct PilotBenchmarkTests {
    @Test func schedulingThroughputAndCalendarLatency() async throws {
        let total = Int(ProcessInfo.processInfo.environment["GBM_PILOT_BENCH"] ?? "") ?? 10_000
        let harness = try await PilotHarness.make(today: "2023-03-01", poolSize: 12)
        let regions = ["120000": "120101001", "330000": "330110005", "350000": "350102001", "370000": "370102001",
                       "430000": "430102001", "440000": "440103001", "510000": "510104001"]
        try await harness.run { client in
            for (region, _) in regions { try await client.launchMeeting(region, place: region) }
            let codes = regions.keys.sorted()
            let clock = ContinuousClock()
            let started = clock.now
            let workers = 16
            let failures = LockedValue(0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<workers {
                    group.addTask {
                        for index in stride(from: worker, to: total, by: workers) {
                            let region = codes[index % codes.count]
                            let day = CalendarDate("2023-03-01")!.adding(days: index % 300)
                            let reply = try await client.schedule(client.activityJSON(
                                place: regions[region]!, startsOn: day.description, endsOn: day.description,
                                title: "专场活动 \(index)"), in: region)
                            if reply.status != .created { failures.withLock { $0 += 1 } }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = clock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Double(total) / seconds
            print("pilot bench: scheduled \(total) activities in \(String(format: "%.2f", seconds)) s = \(Int(rate))/s, failures \(failures.current)")
            #expect(failures.current == 0)

            var latencies: [Double] = []
            let token = Tokens.ministry("MIIT")
            for index in 0..<500 {
                let region = codes[index % codes.count]
                let from = CalendarDate("2023-03-01")!.adding(days: index % 280)
                let start = clock.now
                let reply = try await client.send(.get, "/activities?regionCode=\(region)&level=town&from=\(from)&to=\(from.adding(days: 14))&limit=200", token: token)
                let d = clock.now - start
                latencies.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
                #expect(reply.status == .ok)
            }
            latencies.sort()
            let p50 = latencies[latencies.count / 2], p99 = latencies[latencies.count * 99 / 100]
            print("pilot bench: calendar query p50 \(String(format: "%.2f", p50)) ms, p99 \(String(format: "%.2f", p99)) ms")
        }
        #expect(try await harness.count("outbox WHERE ce_type = 'gbm.pilot.activity.scheduled.v1'") == total)
    }
}
