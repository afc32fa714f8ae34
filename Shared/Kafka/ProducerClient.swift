import CLibRDKafka
import Logging
import Synchronization

/// The librdkafka producer handle and the dedicated thread that polls it for delivery reports.
///
/// Every blocking call (`rd_kafka_poll`, `rd_kafka_flush`) runs on that thread; other threads only enqueue
/// records (under the lock, while the handle is alive) and hand it work items. The thread destroys the handle,
/// after which `phase` is `.destroyed` and nothing touches it again. That discipline, with all mutable state
/// under `state`'s lock, is why the (non-`Sendable`) handle may be shared: hence `@unchecked Sendable`.
final class ProducerClient: @unchecked Sendable {
    private enum Phase {
        case running
        case shuttingDown
        case destroyed
    }

    private struct State {
        var phase: Phase = .running
        var work: [@Sendable (OpaquePointer) -> Void] = []
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
        var outstanding: [ObjectIdentifier: DeliveryBatch] = [:]
        /// A handle per topic published to, so that records name their topic without a lookup by name each.
        var topics: [String: OpaquePointer] = [:]
        var shutdownFlushTimeoutMs: Int32 = 10_000
    }

    let context: RDKafkaClientContext
    private let rk: OpaquePointer
    private let state = Mutex(State())
    /// Metadata requests (readiness probes) on this handle, off the polling thread.
    private let metadata: MetadataWorker

    var logger: Logger { context.logger }

    init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        var logger = logger
        logger[metadataKey: "kafka.client"] = "\(configuration.clientID)"
        let properties = configuration.librdkafkaProperties(defaults: [
            ("enable.idempotence", "true"),
            ("acks", "all"),
            // The outbox relay hands over whole batches at once: waiting for more only adds latency.
            ("linger.ms", "1"),
            // Topics are created explicitly with their partition counts, never as a side effect of publishing.
            ("allow.auto.create.topics", "false"),
        ])
        let context = RDKafkaClientContext(logger: logger)
        self.context = context
        let rk = try RDKafkaClient.make(type: RD_KAFKA_PRODUCER, properties: properties, context: context) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback)
        }
        self.rk = rk
        self.metadata = MetadataWorker(rk: rk, threadName: "kafka-metadata")
        RDKafkaClient.startThread(name: "kafka-producer") { [self] in
            runPollLoop()
        }
    }

    // MARK: Producing

    /// Registers a batch so that its records fail, rather than wait forever, if the handle is destroyed
    /// before reporting them. Returns false once shutdown has begun.
    func register(_ batch: DeliveryBatch) -> Bool {
        state.withLock { state in
            guard state.phase == .running else { return false }
            state.outstanding[ObjectIdentifier(batch)] = batch
            return true
        }
    }

    func unregister(_ batch: DeliveryBatch) {
        _ = state.withLock { $0.outstanding.removeValue(forKey: ObjectIdentifier(batch)) }
    }

    /// How many records one hold of the lock enqueues at most, so that a big batch does not keep shutdown or
    /// flush requests waiting.
    private static let recordsPerLock = 512

    /// Enqueues `records[start...]` in order, up to `recordsPerLock` of them, under one hold of the lock; a
    /// record librdkafka refuses is failed in `batch`, and so is every later record with its topic and key
    /// (kept in `refusedKeys` across the calls of one send), unsent, so that none overtakes it. Never blocks:
    /// stops at a full queue. Returns where it stopped and whether the queue was full there; once shut down it
    /// fails every remaining record.
    func produce(
        _ records: [KafkaProducerRecord], from start: Int, into batch: DeliveryBatch, using arguments: inout ProduceArguments,
        refusedKeys: inout [RecordKey: KafkaError]
    ) -> (next: Int, queueFull: Bool) {
        state.withLock { state in
            guard state.phase == .running else {
                for index in start..<records.count { batch.complete(index, .failed(.clientClosed("producer"))) }
                return (records.count, false)
            }
            let end = min(records.count, start + Self.recordsPerLock)
            var last: (name: String, handle: OpaquePointer)?
            for index in start..<end {
                let name = records[index].topic
                let topic: OpaquePointer
                if let last, last.name == name {
                    topic = last.handle
                } else if let known = state.topics[name] {
                    topic = known
                } else if let created = rd_kafka_topic_new(rk, name, nil) {
                    state.topics[name] = created
                    topic = created
                } else {
                    batch.complete(index, .failed(KafkaError(rd_kafka_last_error(), message: "topic \(name): cannot be used")))
                    continue
                }
                last = (name, topic)
                let key = records[index].key.map { RecordKey(topic: name, key: $0) }
                if let key, !refusedKeys.isEmpty, let earlier = refusedKeys[key] {
                    batch.complete(index, .failed(.heldBack(behind: earlier)))
                    continue
                }
                switch arguments.produce(records[index], on: rk, topic: topic, opaque: batch.opaque(for: index)) {
                case .enqueued: continue
                case .failed(let error):
                    batch.complete(index, .failed(error))
                    if let key { refusedKeys[key] = error }
                case .queueFull: return (index, true)
                }
            }
            return (end, false)
        }
    }

    /// The fatal error that made this client unusable, if one did (`rd_kafka_fatal_error`); `nil` once destroyed.
    func fatalError() -> KafkaError? {
        state.withLock { state in
            guard state.phase != .destroyed,
                  rd_kafka_fatal_error(rk, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            var text = [CChar](repeating: 0, count: 512)
            let code = rd_kafka_fatal_error(rk, &text, text.count)
            var error = KafkaError(code, message: RDKafkaClient.text(text))
            error.isFatal = true
            return error
        }
    }

    /// The partition count of every topic, asked on this client's own connections (no new client) from the metadata
    /// worker's thread; `_DESTROY` once the client is being shut down.
    func partitionCounts(timeout: Duration) async -> Result<[String: Int], KafkaError> {
        let timeoutMs = max(1, RDKafkaClient.milliseconds(timeout))
        return await withCheckedContinuation { continuation in
            metadata.partitionCounts(timeoutMs: timeoutMs) { continuation.resume(returning: $0) }
        }
    }

    // MARK: Work on the polling thread

    /// Hands `item` to the polling thread; false once shutdown has begun.
    func submit(_ item: @escaping @Sendable (OpaquePointer) -> Void) -> Bool {
        state.withLock { state in
            guard state.phase == .running else { return false }
            state.work.append(item)
            rd_kafka_yield(rk)
            return true
        }
    }

    /// Starts shutting down (flush for at most `flushTimeout`, then destroy) and waits until the handle is gone.
    func shutdown(flushTimeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyDestroyed = state.withLock { state in
                switch state.phase {
                case .destroyed:
                    return true
                case .running:
                    state.phase = .shuttingDown
                    state.shutdownFlushTimeoutMs = RDKafkaClient.milliseconds(flushTimeout)
                    rd_kafka_yield(rk)
                case .shuttingDown:
                    break
                }
                state.shutdownWaiters.append(continuation)
                return false
            }
            if alreadyDestroyed { continuation.resume() }
        }
    }

    /// Starts shutting down without waiting (the owner went away).
    func requestShutdown() {
        state.withLock { state in
            guard state.phase == .running else { return }
            state.phase = .shuttingDown
            rd_kafka_yield(rk)
        }
    }

    private func runPollLoop() {
        while true {
            let (work, phase) = state.withLock { state in
                defer { state.work.removeAll() }
                return (state.work, state.phase)
            }
            for item in work { item(rk) }
            if phase != .running { break }
            rd_kafka_poll(rk, 100)
        }
        // Nothing may use the handle once it is destroyed: the metadata worker finishes its request and stops.
        metadata.stop()
        let flushTimeout = state.withLock { $0.shutdownFlushTimeoutMs }
        if rd_kafka_flush(rk, flushTimeout) != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning(
                "Producer shutdown: flush timed out; failing the records not yet acknowledged",
                metadata: ["kafka.outstanding": "\(rd_kafka_outq_len(rk))"]
            )
            rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
            for _ in 0..<20 where rd_kafka_outq_len(rk) > 0 {
                rd_kafka_poll(rk, 100)
            }
        }
        let (work, outstanding, waiters, topics) = state.withLock { state in
            state.phase = .destroyed
            defer {
                state.work.removeAll()
                state.outstanding.removeAll()
                state.shutdownWaiters.removeAll()
                state.topics.removeAll()
            }
            return (state.work, Array(state.outstanding.values), state.shutdownWaiters, Array(state.topics.values))
        }
        for item in work { item(rk) }
        for topic in topics { rd_kafka_topic_destroy(topic) }
        rd_kafka_destroy(rk)
        for batch in outstanding { batch.failUnfinished(.clientClosed("producer")) }
        logger.debug("Producer destroyed")
        for waiter in waiters { waiter.resume() }
    }
}

/// A record's topic and key: records sharing them keep their order.
struct RecordKey: Hashable {
    var topic: String
    var key: [UInt8]
}

/// Delivery reports, served by `rd_kafka_poll` on the producer's thread: each fills its record's batch slot.
private let deliveryReportCallback:
    @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
        rk, message, _ in
        guard let message, let opaque = message.pointee._private else { return }
        let (batch, index) = DeliveryBatch.resolve(opaque)
        let report = message.pointee
        if report.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            batch.complete(index, .delivered(partition: report.partition, offset: report.offset))
        } else {
            var error = KafkaError(
                report.err, message: rd_kafka_message_produce_errstr(message).map { String(cString: $0) })
            if report.err == RD_KAFKA_RESP_ERR__FATAL, let rk {
                var text = [CChar](repeating: 0, count: 512)
                error = KafkaError(rd_kafka_fatal_error(rk, &text, text.count), message: RDKafkaClient.text(text))
                error.isFatal = true
            }
            batch.complete(index, .failed(error))
        }
    }
