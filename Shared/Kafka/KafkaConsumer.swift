import Logging
import Synchronization

/// Consumes topics as a member of a consumer group, with at-least-once delivery: an offset is committed only
/// after the application stored it with ``storeOffset(_:)``.
///
/// A dedicated thread polls librdkafka into a bounded buffer that ``messages`` reads from. When the reader falls
/// behind and the buffer passes ``KafkaConfiguration/consumerBufferHighWaterMark``, the thread pauses fetching of
/// the assigned partitions and resumes once the reader has drained half of it; nothing is lost or skipped.
/// Stored offsets are committed periodically (`enable.auto.commit`), when partitions are revoked, and on
/// ``close()``. On revocation, buffered messages of the revoked partitions are dropped: their new owner reads
/// them from the committed offset.
public final class KafkaConsumer: Sendable {
    private let client: ConsumerClient

    /// Creates the consumer, subscribes it to `topics` in group `groupID` and starts polling.
    ///
    /// Defaults: `enable.auto.offset.store=false`, `enable.auto.commit=true`, `auto.offset.reset=earliest`,
    /// plus the configuration's session timeout and fetch wait; `configuration.properties` override them.
    /// - Throws: ``KafkaError`` named `_INVALID_ARG` for an invalid property or an empty topic list.
    public init(configuration: KafkaConfiguration, groupID: String, topics: [String], logger: Logger) throws(KafkaError)
    {
        client = try ConsumerClient(configuration: configuration, groupID: groupID, topics: topics, logger: logger)
    }

    deinit {
        client.requestClose()
    }

    /// The consumed messages, in order per partition. Iterate it from one task only; it finishes after
    /// ``close()`` (and a waiting `next()` returns `nil` when its task is cancelled).
    public var messages: KafkaMessageSequence {
        KafkaMessageSequence(client: client)
    }

    /// Waits for the next message, then adds those already buffered behind it, up to `maxCount` in all:
    /// a reader that fell behind catches up in batches. Empty once the consumer is closed.
    /// Use either this or `messages`, not both.
    public func nextBatch(maxCount: Int) async -> [KafkaMessage] {
        guard let first = await client.next() else { return [] }
        return [first] + client.takeBuffered(max: max(0, maxCount - 1))
    }

    /// Marks `message` as processed: stores its offset + 1 as the position to commit for its partition.
    /// - Throws: `_STATE` when the partition is no longer assigned to this consumer (it was revoked; the new
    ///   owner will process the message again), `_DESTROY` after close.
    public func storeOffset(_ message: KafkaMessage) throws(KafkaError) {
        try client.storeOffset(topic: message.topic, partition: message.partition, offset: message.offset + 1)
    }

    /// Commits the stored offsets now and waits for the broker's answer (on the consumer's thread, not the
    /// cooperative pool). Having nothing to commit is not an error.
    public func commit() async throws(KafkaError) {
        try await client.commit()
    }

    /// Commits stored offsets, leaves the group (so the others take over its partitions at once), destroys the
    /// client and finishes ``messages``. Idempotent: later calls wait for the same close.
    public func close() async {
        await client.close()
    }

    /// Stops fetching until ``resume()``: explicit back-pressure, on top of the automatic one.
    public func pause() {
        client.setUserPaused(true)
    }

    /// Undoes ``pause()``; fetching restarts unless the buffer itself is still over its high-water mark.
    public func resume() {
        client.setUserPaused(false)
    }

    /// Each assigned partition's lag: records on the broker (its high watermark as the last fetch response said;
    /// no request is made) that the application has not processed (stored) yet. Empty once closed, and `nil` when
    /// the consumer's thread did not answer within `timeout` (it is inside a blocking call, such as a commit during
    /// a broker outage): a metrics scrape must not hang on it.
    public func lag(timeout: Duration = .seconds(2)) async -> [KafkaPartitionLag]? {
        let waiter = LagWaiter()
        return await withCheckedContinuation { continuation in
            waiter.continuation.withLock { $0 = continuation }
            Task { [client] in
                let lag = await client.lag()
                waiter.continuation.withLock { $0.take() }?.resume(returning: lag)
            }
            Task {
                try? await Task.sleep(for: timeout)
                waiter.continuation.withLock { $0.take() }?.resume(returning: nil)
            }
        }
    }

    /// The partitions currently assigned to this consumer, sorted.
    public var assignment: [KafkaTopicPartition] {
        client.context.state.withLock { state in
            state.assignment.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        }
    }

    /// How many polled messages wait in the buffer for the reader.
    public var bufferedMessageCount: Int {
        client.context.state.withLock { $0.buffer.count }
    }

    /// Whether fetching is paused right now, by ``pause()`` or by back-pressure.
    public var isPaused: Bool {
        client.context.state.withLock { $0.appliedPause }
    }

    /// How many rounds the poll thread has made. It grows as long as the consumer lives, paused or not: a reader
    /// can tell "nothing arrived while it polled" from "it did not poll".
    public var pollRounds: Int {
        client.context.state.withLock { $0.pollRounds }
    }

    /// The fatal error that ended the consumer, if one did.
    public var fatalKafkaError: KafkaError? {
        client.context.state.withLock { $0.fatalError }
    }
}

/// The caller of ``KafkaConsumer/lag(timeout:)``, resumed once: by the answer or by the time-out.
private final class LagWaiter: Sendable {
    let continuation = Mutex<CheckedContinuation<[KafkaPartitionLag]?, Never>?>(nil)
}
