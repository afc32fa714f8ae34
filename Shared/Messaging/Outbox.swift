import Contracts
import Foundation
import Postgres

/// Writes events into a service's outbox table, inside the caller's transaction.
///
/// The events become visible to the relay only when that transaction commits, and vanish with it when it
/// rolls back: state and events never disagree. Events of one aggregate must be written by transactions
/// that also lock that aggregate's row, so that their outbox order is their commit order.
public struct Outbox: Sendable {
    public let schema: String
    public let source: ServiceName
    /// Woken after each transaction that appended events commits, so this process's relay publishes at once.
    public let signal: OutboxSignal?

    public init(schema: String, source: ServiceName, signal: OutboxSignal? = nil) {
        self.schema = schema
        self.source = source
        self.signal = signal
    }

    /// Appends one event for `payload` and returns it.
    @discardableResult
    public func append<Payload: EventPayload>(
        _ payload: Payload, on connection: PostgresConnection, time: Date = Date()
    ) async throws -> CloudEvent {
        let event = try CloudEvent(source: source.eventSource, payload: payload, time: time)
        try await append([event], on: connection)
        return event
    }

    /// Appends events in one statement, in the order given.
    public func append(_ events: [CloudEvent], on connection: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        try await append(try statement(appending: events), on: connection)
    }

    /// Runs a statement made by `statement(appending:)`, in the caller's transaction.
    public func append(_ statement: PostgresQuery, on connection: PostgresConnection) async throws {
        try await connection.query(statement)
        if let signal { connection.afterCommit { signal.wake() } }
    }

    /// The statement that appends `events` (at least one), for a caller that prepares it ahead of its
    /// transaction's turn: a bulk import builds its next chunk's while the database inserts the current one.
    public func statement(appending events: [CloudEvent]) throws -> PostgresQuery {
        var topics: [String] = [], keys: [String] = [], ids: [String] = [], types: [String] = []
        var sources: [String] = [], subjects: [String] = [], times: [Date] = [], payloads: [String] = []
        var traceparents: [String] = [], tracestates: [String] = []
        // The trace of the work in hand (an HTTP request, another event's handler), unless the event has its own.
        let current = TraceContext.current
        for event in events {
            guard let eventType = EventCatalogue.eventType(named: event.type) else {
                throw OutboxError.unknownEventType(event.type)
            }
            topics.append(eventType.topic.name)
            keys.append(event.partitionKey)
            ids.append(event.id)
            types.append(event.type)
            sources.append(event.source)
            subjects.append(event.subject ?? "")
            times.append(event.time)
            payloads.append(String(decoding: event.data, as: UTF8.self))
            let trace = event.trace ?? current
            traceparents.append(trace?.traceparent ?? "")
            tracestates.append(trace?.tracestate ?? "")
        }
        // The queue row (what the relay looks through and deletes once sent) and the payload (kept after that, for
        // republishing: messaging migration 5) in one statement; the payloads are bound once.
        return """
            WITH queued AS (
                INSERT INTO \(identifier: schema).outbox
                    (topic, partition_key, ce_id, ce_type, ce_source, ce_subject, ce_time, traceparent, tracestate)
                SELECT t, k, i, ty, so, NULLIF(su, ''), ti, NULLIF(tp, ''), NULLIF(ts, '')
                FROM unnest(\(topics), \(keys), \(ids), \(types), \(sources), \(subjects), \(times),
                    \(traceparents), \(tracestates))
                    WITH ORDINALITY AS e(t, k, i, ty, so, su, ti, tp, ts, n)
                ORDER BY n
                RETURNING id, ce_id
            )
            INSERT INTO \(identifier: schema).outbox_payload (id, payload)
            SELECT queued.id, e.p FROM queued JOIN unnest(\(ids), \(payloads)) AS e(i, p) ON e.i = queued.ce_id
            """
    }
}

public enum OutboxError: Error, CustomStringConvertible {
    case unknownEventType(String)

    public var description: String {
        switch self {
        case .unknownEventType(let type): "event type \(type) is not in the contract catalogue"
        }
    }
}
