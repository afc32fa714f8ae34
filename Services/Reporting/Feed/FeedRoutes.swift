import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import ServiceLifecycle

/// `GET /feed`: the live feed as Server-Sent Events (`id:` the entry's number, `event:` the event type, `data:` the
/// entry as JSON), filtered by division, topic and type. A reconnecting client sends `Last-Event-ID` (or
/// `lastEventId`) and gets every entry after it, then, if it asked for `text/event-stream`, new ones as they are
/// applied; any other request (or `follow=false`) gets what is there and ends. `limit` ends the stream after that
/// many entries. Readers as for the projections.
///
/// A followed stream that has nothing to send writes an SSE comment every `heartbeatInterval`: a client that went away
/// (a dashboard's tab closed) is noticed by the failed write and its stream ends, instead of polling for it forever;
/// proxies see traffic. When the service shuts down gracefully, followed streams end (clients reconnect elsewhere with
/// `Last-Event-ID`), so the shutdown does not wait for them.
struct FeedRoutes: Sendable {
    let context: ReportingContext

    init(context: ReportingContext) {
        self.context = context
        self.broadcast = FeedBroadcast(pool: context.pool)
    }
    /// Every followed stream of this replica waits on one reader of the feed.
    let broadcast: FeedBroadcast
    /// How long a followed stream waits for entries before it looks at the shutdown and the heartbeat.
    static let wakeInterval: Duration = .seconds(1)
    /// How long a following stream stays silent before it writes a comment.
    var heartbeatInterval: Duration = .seconds(15)

    func add(to router: Router<AppRequestContext>) {
        router.get("/feed") { request, requestContext in
            try requestContext.require(roles: ProjectionRoutes.readers)
            let query = request.uri.queryParameters
            var validator = Validator()
            let region = query.get("regionCode").flatMap { validator.divisionCode(String($0), field: "regionCode") }
            let topic = query.get("topic").map { String($0) }
            if let topic {
                validator.require(EventCatalogue.topics.contains { $0.name == topic }, field: "topic", "must be a topic of the contract")
            }
            let type = query.get("type").map { String($0) }
            if let type {
                validator.require(type.count <= 200 && type.hasPrefix("gbm."), field: "type", "must be an event type name (gbm.…)")
            }
            let options = Self.streamOptions(request, &validator)
            try validator.validate()
            let principal = try requestContext.requirePrincipal()
            let scopeRegion = region ?? (principal.role == .regionOfficial ? principal.regionCode : nil)
            try requestContext.requireView(of: scopeRegion)
            let filter = LiveFeed.Filter(scope: RegionScope(region: scopeRegion), topic: topic, type: type)
            let pool = context.pool
            let heartbeat = heartbeatInterval
            let resumeAfter = options.lastEventID
            let most = options.limit
            let follow = options.follow
            return Response(status: .ok, headers: Self.streamHeaders, body: ResponseBody { writer in
                var after = resumeAfter
                var sent = 0
                var lastWrite = ContinuousClock.now
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                while sent < most {
                    // Following, from the replica's shared window once the stream has caught up with it.
                    if follow, let items = await broadcast.entries(after: after, timeout: Self.wakeInterval) {
                        // What came in one wake-up goes out in one write.
                        var frames = ""
                        for item in items where sent < most {
                            after = item.entry.id
                            guard filter.matches(item.entry) else { continue }
                            frames += item.frame
                            sent += 1
                        }
                        if !frames.isEmpty {
                            try await writer.write(ByteBuffer(string: frames))
                            lastWrite = .now
                        }
                        if items.isEmpty {
                            guard !Task.isShuttingDownGracefully else { break }
                            if ContinuousClock.now - lastWrite >= heartbeat {
                                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                                lastWrite = .now
                            }
                        }
                        continue
                    }
                    // From the database: what there is (a reader that does not follow), or the way to the window.
                    let floor = follow ? await broadcast.floor() : nil
                    let limit = min(500, most - sent)
                    let entries = try await LiveFeed.entries(after: after, filter: filter, limit: limit, pool: pool)
                    for entry in entries {
                        try await writer.write(ByteBuffer(string: Self.frame(entry)))
                        after = entry.id
                        sent += 1
                        lastWrite = .now
                    }
                    if entries.count < limit {
                        // Caught up: nothing else in the filter up to the window's start, which the read saw.
                        guard let floor else { break }
                        after = max(after, floor)
                    }
                }
                try await writer.finish(nil)
            })
        }
        addOverviewStream(to: router)
    }

    /// `GET /feed/overview`: the live aggregates (``OverviewStream``), a frame per change of the scope.
    func addOverviewStream(to router: Router<AppRequestContext>) {
        let queries = ProjectionQueries(context: context)
        let stream = OverviewStream(queries: queries)
        let campaign = context.settings.campaign
        let clock = context.settings.clock
        router.get("/feed/overview") { request, requestContext in
            try requestContext.require(roles: ProjectionRoutes.readers)
            let query = request.uri.queryParameters
            var validator = Validator()
            let region = query.get("regionCode").flatMap { validator.divisionCode(String($0), field: "regionCode") }
            let options = Self.streamOptions(request, &validator)
            try validator.validate()
            let principal = try requestContext.requirePrincipal()
            let scopeRegion = region ?? (principal.role == .regionOfficial ? principal.regionCode : nil)
            try requestContext.requireView(of: scopeRegion)
            if let scopeRegion, !(try await queries.isKnown(scopeRegion)) {
                throw ReportingError.regionNotFound(scopeRegion.rawValue)
            }
            let scope = RegionScope(region: scopeRegion)
            let heartbeat = heartbeatInterval
            return Response(status: .ok, headers: Self.streamHeaders, body: ResponseBody { writer in
                var sent = options.lastEventID
                // The feed entries looked at so far (in scope or not).
                var seen = options.lastEventID
                var frames = 0
                var lastWrite = ContinuousClock.now
                var position: Int64? = try await stream.position(of: scope)
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                while frames < options.limit {
                    // A frame for the state to start from (unless the client has it), then one per change in scope.
                    if let changed = position, changed > sent || (frames == 0 && sent == 0) {
                        let day = min(max(clock.today, campaign.lowerBound), campaign.upperBound)
                        let (included, overview) = try await stream.overview(scope: scope, on: day, atLeast: changed)
                        try await writer.write(ByteBuffer(string: Self.frame(id: included, event: "overview", overview)))
                        sent = included
                        seen = max(seen, included)
                        frames += 1
                        lastWrite = .now
                        position = nil
                        continue
                    }
                    guard options.follow, !Task.isShuttingDownGracefully else { break }
                    if let items = await broadcast.entries(after: seen, timeout: Self.wakeInterval) {
                        seen = items.last?.entry.id ?? seen
                        position = items.last { scope.contains($0.entry.regionCode) }?.entry.id
                    } else {
                        // Behind the shared window: ask the database where the scope is.
                        position = try await stream.position(of: scope)
                        seen = max(seen, await broadcast.floor() ?? seen)
                    }
                    if position == nil, ContinuousClock.now - lastWrite >= heartbeat {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        lastWrite = .now
                    }
                }
                try await writer.finish(nil)
            })
        }
    }

    /// What both streams take: `Last-Event-ID` (or `lastEventId`), `follow`, `limit`, and whether the client
    /// subscribes (`Accept: text/event-stream`).
    struct StreamOptions {
        var lastEventID: Int64
        var follow: Bool
        var limit: Int
    }

    static func streamOptions(_ request: Request, _ validator: inout Validator) -> StreamOptions {
        let query = request.uri.queryParameters
        // Both are checked when both are sent; the header (what a reconnecting EventSource sends) wins.
        var last: Int64 = 0
        for (field, text) in [("lastEventId", query.get("lastEventId").map { String($0) }),
                              ("Last-Event-ID", request.headers[HTTPField.Name("Last-Event-ID")!])] {
            guard let text else { continue }
            if let value = Int64(text), value >= 0 { last = value } else {
                validator.add(field: field, reason: "must be a whole number of 0 or more")
            }
        }
        // A subscriber (EventSource sends `Accept: text/event-stream`) is followed; any other reader gets what is
        // there and the end of the response.
        let subscribes = request.headers[.accept]?.contains("text/event-stream") ?? false
        let followText = query.get("follow").map { String($0) }
        if let followText, followText != "true", followText != "false" {
            validator.add(field: "follow", reason: "must be true or false")
        }
        var limit = Int.max
        if let text = query.get("limit") {
            if let value = Int(text), (1...100_000).contains(value) { limit = value } else {
                validator.add(field: "limit", reason: "must be a whole number from 1 to 100000")
            }
        }
        return StreamOptions(lastEventID: last, follow: subscribes && followText != "false", limit: limit)
    }

    static let streamHeaders: HTTPFields = [
        .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
        HTTPField.Name("X-Accel-Buffering")!: "no",
    ]

    /// One SSE frame of a JSON value.
    static func frame(id: Int64, event: String, _ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
        return "id: \(id)\nevent: \(event)\ndata: \(data)\n\n"
    }

    /// One SSE frame.
    static func frame(_ entry: LiveFeed.Entry) -> String {
        frame(id: entry.id, event: entry.type, entry)
    }
}
