import Contracts
import Foundation
import HTTPTypes
import Testing
@testable import Reporting

@Suite("Live feed")
struct LiveFeedTests {
    /// The SSE frames' ids and event types.
    static func frames(_ text: String) -> [(id: Int, type: String)] {
        text.components(separatedBy: "\n\n").compactMap { frame in
            var id: Int?
            var type: String?
            for line in frame.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
            }
            guard let id, let type else { return nil }
            return (id, type)
        }
    }

    @Test func aClientResumingFromLastEventIDGetsEverythingAfterItAndNoPersonalData() async throws {
        let harness = try await ReportingHarness.make()
        let script = CampaignScript()
        try await harness.deliver(script.events)
        try await harness.deliver(script.events.prefix(4).map { $0 })  // redelivered: no second entry
        try await harness.run { client in
            let all = try await client.get("/feed?regionCode=\(script.region)", token: Tokens.ministry())
            #expect(all.status == .ok)
            #expect(all.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let frames = Self.frames(all.text)
            #expect(frames.count == script.events.count)
            #expect(frames.map(\.id) == frames.map(\.id).sorted())
            let resumeAt = frames[5].id
            let resumed = try await client.get("/feed?regionCode=\(script.region)", token: Tokens.ministry(),
                                               headers: [HTTPField.Name("Last-Event-ID")!: String(resumeAt)])
            #expect(Self.frames(resumed.text).map(\.id) == frames.dropFirst(6).map(\.id), "no gap, no repeat")
            let claims = try await client.get("/feed?regionCode=\(script.region)&topic=gbm.subsidy.claims.v1&type=gbm.subsidy.claim.paid.v1",
                                              token: Tokens.region(script.region))
            #expect(Self.frames(claims.text).map(\.type) == ["gbm.subsidy.claim.paid.v1", "gbm.subsidy.claim.paid.v1"])
            #expect(!all.text.contains(ClaimSubmitted.example.consumerRef.rawValue), "no consumer reference")
            #expect(!all.text.contains(ParticipantEnrolled.example.name), "no names")
            let bad = try await client.get("/feed?topic=nope&limit=0", token: Tokens.ministry(),
                                           headers: [HTTPField.Name("Last-Event-ID")!: "x"])
            #expect(Set(bad.fields) == ["topic", "limit", "Last-Event-ID"])
            #expect(try await client.get("/feed?regionCode=110000", token: Tokens.region(script.region)).status == .forbidden)
        }
    }

    @Test func aSubscriberGetsNewEntriesAsTheyAreApplied() async throws {
        let harness = try await ReportingHarness.make()
        let script = CampaignScript()
        try await harness.deliver(Array(script.events.prefix(3)))
        try await harness.run { client in
            let before = Self.frames(try await client.get("/feed", token: Tokens.ministry()).text)
            let last = before.last?.id ?? 0
            async let live = client.get("/feed?limit=2", token: Tokens.promotionGroup(), headers: [
                .accept: "text/event-stream", HTTPField.Name("Last-Event-ID")!: String(last),
            ])
            // Whether the subscriber asks before or after these are applied, it resumes after `last` and gets them.
            try await harness.deliver(Array(script.events.dropFirst(3).prefix(2)))
            let received = Self.frames(try await live.text)
            #expect(received.count == 2)
            #expect(received.allSatisfy { $0.id > last })
        }
    }

    @Test func manyFollowersShareOneReaderAndEachGetsEveryEntryInOrder() async throws {
        let harness = try await ReportingHarness.make()
        let script = CampaignScript()
        try await harness.deliver(Array(script.events.prefix(5)))
        try await harness.run { client in
            let before = Self.frames(try await client.get("/feed", token: Tokens.ministry()).text)
            let last = before.last?.id ?? 0
            let wanted = 12
            // Twenty followers from the same point (one of them from the start: the database, then the window), then
            // the rest of the script is applied in three batches while they wait.
            let streams = (0..<20).map { index in
                Task {
                    try await client.get("/feed?limit=\(index == 0 ? wanted + before.count : wanted)", token: Tokens.ministry(), headers: [
                        .accept: "text/event-stream", HTTPField.Name("Last-Event-ID")!: String(index == 0 ? 0 : last),
                    ]).text
                }
            }
            let rest = Array(script.events.dropFirst(5).prefix(wanted))
            for chunk in stride(from: 0, to: rest.count, by: 4) {
                try await harness.deliver(Array(rest[chunk..<min(chunk + 4, rest.count)]))
            }
            var received: [[Int]] = []
            for stream in streams { received.append(Self.frames(try await stream.value).map(\.id)) }
            #expect(received[0].count == wanted + before.count && received[0] == received[0].sorted())
            let expected = Array(received[0].suffix(wanted))
            for ids in received.dropFirst() { #expect(ids == expected, "every follower gets the same entries in order") }
        }
    }

    /// An SSE frame's data as JSON.
    static func data(_ text: String) -> [[String: Any]] {
        text.components(separatedBy: "\n\n").compactMap { frame in
            guard let line = frame.split(separator: "\n").first(where: { $0.hasPrefix("data: ") }) else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any]
        }
    }

    @Test func theLiveAggregatesFollowEveryChangeOfTheScope() async throws {
        let harness = try await ReportingHarness.make()
        let script = CampaignScript()
        // Everything up to the first claim, then the claims one at a time.
        let firstClaim = script.events.firstIndex { $0.type == ClaimSubmitted.eventType.name }!
        try await harness.deliver(Array(script.events.prefix(firstClaim)))
        try await harness.run { client in
            let now = try await client.get("/feed/overview?regionCode=\(script.region)", token: Tokens.ministry())
            #expect(now.status == .ok, "\(now.text)")
            let state = Self.frames(now.text)
            #expect(state.count == 1 && state.first?.type == "overview", "one frame: the state now")
            let last = state.first?.id ?? 0
            #expect(last > 0)
            let claims = { (text: String) -> Int? in
                let overview = Self.data(text).last ?? [:]
                return (overview["entries"] as? [[String: Any]] ?? []).first {
                    $0["metric"] as? String == "claims" && $0["dimension"] as? String == "submitted"
                }?["value"] as? Int
            }
            #expect(claims(now.text) == nil)

            // A subscriber that has that state waits for the next change, and gets the new state.
            async let live = client.get("/feed/overview?regionCode=\(script.region)&limit=1", token: Tokens.region(script.region),
                                        headers: [.accept: "text/event-stream", HTTPField.Name("Last-Event-ID")!: String(last)])
            try await harness.deliver([script.events[firstClaim]])
            let changed = try await live.text
            #expect(Self.frames(changed).first.map { $0.id > last } == true)
            #expect(claims(changed) == 1)

            // Nothing new after the latest frame: a reader that does not follow gets no frame.
            let latest = Self.frames(changed).first?.id ?? 0
            let quiet = try await client.get("/feed/overview?regionCode=\(script.region)&lastEventId=\(latest)", token: Tokens.ministry())
            #expect(Self.frames(quiet.text).isEmpty)

            let bad = try await client.get("/feed/overview?limit=0&follow=maybe", token: Tokens.ministry())
            #expect(Set(bad.fields) == ["limit", "follow"])
            #expect(try await client.get("/feed/overview?regionCode=650000", token: Tokens.ministry()).status == .notFound)
            #expect(try await client.get("/feed/overview?regionCode=110000", token: Tokens.region(script.region)).status == .forbidden)
        }
    }
}
