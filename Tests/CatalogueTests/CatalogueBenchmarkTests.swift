import Catalogue
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing

/// The issue's benchmark: import 100,000 certificates, search latency at 200 concurrent requests on them, and the
/// verification call's throughput. Run with `CATALOGUE_BENCHMARK=1` (it takes minutes); it prints its figures.
@Suite("Catalogue benchmark", .enabled(if: ProcessInfo.processInfo.environment["CATALOGUE_BENCHMARK"] == "1"))
struct CatalogueBenchmarkTests {
    static let rows = Int(ProcessInfo.processInfo.environment["CATALOGUE_BENCHMARK_ROWS"] ?? "") ?? 100_000

    @Test func importsSearchesAndVerifiesAtScale() async throws {
        let harness = try await CatalogueHarness.make()
        let holders = (0..<200).map { _ in Sample.creditCode(region: ["330106", "370102", "510104", "440106"].randomElement()!) }
        let names = ["岩棉外墙保温板", "断桥铝合金节能门窗", "水性内墙涂料", "SBS改性沥青防水卷材", "空气源热泵热水机", "PPR给水管材",
                     "Low-E中空玻璃", "蒸压加气混凝土砌块"]
        let subs = [("enclosure-structures-and-concrete", "thermal-insulation"),
                    ("windows-curtain-walls-and-decoration", "energy-saving-windows"),
                    ("waterproofing-sealing-and-coatings", "architectural-coatings"),
                    ("waterproofing-sealing-and-coatings", "waterproof-membranes"),
                    ("hvac-solar-and-lighting", "heat-pumps"), ("water-supply-drainage-and-treatment", "plastic-pipes"),
                    ("windows-curtain-walls-and-decoration", "glass"), ("enclosure-structures-and-concrete", "wall-materials")]
        let grades = ["one-star", "two-star", "three-star"]
        var csv = "certificateNumber,holderCreditCode,certificationBody,productName,model,category,subCategory,starGrade,certificationBasis,issuedOn\n"
        for i in 0..<Self.rows {
            let kind = i % names.count
            csv += "CGBM-B-\(String(format: "%07d", i)),\(holders[i % holders.count]),中国建材检验认证集团,\(names[kind])\(i % 97),M-\(i),"
                + "\(subs[kind].0),\(subs[kind].1),\(grades[i % 3]),T/CECS 10025-2019,2023-0\(1 + i % 9)-1\(i % 9)\n"
        }
        let csvBody = csv
        try await harness.withClient { client in
            for holder in holders { try await client.registerEnterprise(holder) }
            var headers = Tokens.committee
            headers[.contentType] = "text/csv"
            let start = ContinuousClock.now
            try await client.execute(uri: "/national-list/batches?batch=bench&mode=atomic", method: .post, headers: headers,
                                     body: ByteBuffer(string: csvBody)) { response in
                #expect(response.status == .created, "\(response.text.prefix(500))")
            }
            let importTime = ContinuousClock.now - start
            print("BENCH import \(Self.rows) certificates: \(importTime)")

            let queries = ["q=" + "保温".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                           "q=" + "门窗".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                           "grade=three-star&category=hvac-solar-and-lighting",
                           "q=" + "涂料".addingPercentEncoding(withAllowedCharacters: .alphanumerics)! + "&sort=-issuedOn",
                           "status=valid&sort=productName", "enterprise=\(holders[0])"]
            for query in queries {
                let single = try await Self.measure(requests: 20, concurrency: 1) { _ in
                    try await client.execute(uri: "/products?limit=20&" + query, method: .get) { _ in }
                }
                print("BENCH search one at a time \(query): \(Self.summary(single.latencies))")
            }
            let searchLatencies = try await Self.measure(requests: 2000, concurrency: 200) { i in
                try await client.execute(uri: "/products?limit=20&" + queries[i % queries.count], method: .get) { response in
                    if response.status != .ok { Issue.record("search \(response.status)") }
                }
            }
            print("BENCH search 200 concurrent: \(Self.summary(searchLatencies.latencies)) total \(searchLatencies.elapsed)")
            let verify = try await Self.measure(requests: 10_000, concurrency: 100) { i in
                try await client.execute(uri: "/verify?certificate=CGBM-B-\(String(format: "%07d", (i * 7919) % Self.rows))&date=2024-01-01&region=330106",
                                         method: .get) { response in
                    if response.status != .ok { Issue.record("verify \(response.status)") }
                }
            }
            let seconds = Double(verify.elapsed.components.seconds) + Double(verify.elapsed.components.attoseconds) / 1e18
            print("BENCH verify: \(Int(10_000 / seconds))/s; \(Self.summary(verify.latencies))")
        }
        await harness.close()
    }

    static func measure(
        requests: Int, concurrency: Int, _ call: @escaping @Sendable (Int) async throws -> Void
    ) async throws -> (latencies: [Duration], elapsed: Duration) {
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var mine: [Duration] = []
                    var i = worker
                    while i < requests {
                        let begin = ContinuousClock.now
                        try await call(i)
                        mine.append(ContinuousClock.now - begin)
                        i += concurrency
                    }
                    return mine
                }
            }
            var all: [Duration] = []
            for try await part in group { all += part }
            return all
        }
        return (latencies, ContinuousClock.now - start)
    }

    static func summary(_ latencies: [Duration]) -> String {
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Duration { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return "p50 \(percentile(0.5)) p99 \(percentile(0.99)) max \(sorted.last!)"
    }
}
