import CLibRDKafka
import Logging
import Synchronization

/// Publishes records with librdkafka's idempotent producer (`enable.idempotence=true`, `acks=all`), so records
/// with one key stay in order and a retry never writes a duplicate.
///
/// A dedicated thread polls for delivery reports; `send` suspends until the broker acknowledged (or
/// librdkafka gave up on) each record. Call ``shutdown(flushTimeout:)`` when done; it is also a `Service`
/// that shuts down on graceful shutdown, so put it in a `ServiceGroup` before the services that use it.
///
/// A fatal error (`rd_kafka_fatal_error`: the idempotent producer lost track of its sequence, e.g. after the
/// broker was unreachable for longer than `message.timeout.ms` with records in flight, or was fenced) leaves a
/// librdkafka producer unable to send ever again. librdkafka's rule is to discard it and create a new one, and
/// ``send(_:)-(KafkaProducerRecord)`` does that by itself: the records of the failed send fail with the fatal
/// error, and the next send goes out on a fresh producer.
public final class KafkaProducer: Sendable {
    private let configuration: KafkaConfiguration
    private let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var client: ProducerClient
        var shutDown = false
        var recreations = 0
    }

    /// Creates the producer and its polling thread.
    ///
    /// Defaults: `enable.idempotence=true`, `acks=all`, `linger.ms=1`, `allow.auto.create.topics=false` (publishing
    /// to a topic that does not exist fails instead of creating it with the broker's default partition count);
    /// `configuration.properties` override them.
    /// - Throws: ``KafkaError`` named `_INVALID_ARG` when a property is unknown or invalid.
    public init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        state = Mutex(State(client: try ProducerClient(configuration: configuration, logger: logger)))
    }

    deinit {
        state.withLock { $0.client }.requestShutdown()
    }

    private var client: ProducerClient { state.withLock { $0.client } }

    /// How many times a fatal error made the producer replace its librdkafka client.
    public var recreations: Int { state.withLock { $0.recreations } }

    /// Replaces `failed` (if it is still the current client) with a new one and shuts the old one down
    /// without waiting for its outstanding records, which fail.
    private func replace(_ failed: ProducerClient, after error: KafkaError) {
        let replaced = state.withLock { state -> Bool in
            guard !state.shutDown, state.client === failed else { return false }
            do {
                state.client = try ProducerClient(configuration: configuration, logger: logger)
            } catch {
                logger.error("Producer could not be recreated", metadata: ["kafka.error": "\(error)"])
                return false
            }
            state.recreations += 1
            return true
        }
        guard replaced else { return }
        logger.warning("Producer had a fatal error: replaced by a new one", metadata: ["kafka.error": "\(error)"])
        Task { await failed.shutdown(flushTimeout: .zero) }
    }

    /// Publishes one record and returns where the broker stored it.
    /// - Throws: the ``KafkaError`` librdkafka reported for the record (e.g. `_MSG_TIMED_OUT` after
    ///   `message.timeout.ms`), or `_DESTROY` after shutdown.
    public func send(_ record: KafkaProducerRecord) async throws(KafkaError) -> KafkaDeliveryReport {
        try await send([record])[0].get()
    }

    /// Enqueues all records at once (in order) and returns each one's outcome once every one is acknowledged
    /// or failed. Records with the same key keep their order.
    ///
    /// When librdkafka's local queue is full the call backs off and retries, so it never fails for that
    /// reason; if the calling task is cancelled meanwhile, the records not yet enqueued fail with `_INTR`.
    public func send(_ records: [KafkaProducerRecord]) async -> KafkaDeliveryResults {
        guard !records.isEmpty else { return KafkaDeliveryResults(records: [], outcomes: .init(count: 0)) }
        let client = self.client
        if let fatal = client.fatalError() {
            // A send after the fatal error goes out on a new client, not to fail like the last one.
            replace(client, after: fatal)
            return await send(records, on: self.client)
        }
        return await send(records, on: client)
    }

    private func send(_ records: [KafkaProducerRecord], on client: ProducerClient) async -> KafkaDeliveryResults {
        let batch = DeliveryBatch(count: records.count)
        guard client.register(batch) else {
            batch.failUnfinished(.clientClosed("producer"))
            return KafkaDeliveryResults(records: records, outcomes: await batch.results())
        }
        var arguments = ProduceArguments()
        var refusedKeys: [RecordKey: KafkaError] = [:]
        var index = 0
        var backoff = Duration.milliseconds(1)
        while index < records.count {
            let (next, queueFull) = client.produce(
                records, from: index, into: batch, using: &arguments, refusedKeys: &refusedKeys)
            index = next
            guard queueFull else {
                backoff = .milliseconds(1)
                continue
            }
            if Task.isCancelled {
                let error = KafkaError(
                    RD_KAFKA_RESP_ERR__INTR,
                    message: "send was cancelled while the producer queue was full; record not enqueued"
                )
                for rest in index..<records.count { batch.complete(rest, .failed(error)) }
                index = records.count
            } else {
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .milliseconds(100))
            }
        }
        let outcomes = await batch.results()
        client.unregister(batch)
        if let fatal = outcomes.failures.values.first(where: \.isFatal) ?? client.fatalError() {
            replace(client, after: fatal)
        }
        return KafkaDeliveryResults(records: records, outcomes: outcomes)
    }

    /// The number of partitions of `topic` as the brokers report it to this producer, or `nil` if the topic does
    /// not exist: a metadata request on the producer's own client and connections, for readiness probes that ask
    /// often. It runs on a thread the producer keeps for it, never on the thread that serves delivery reports, and
    /// calls made while one is on its way share the next request.
    /// - Throws: the ``KafkaError`` of the request (`_TRANSPORT`, `_TIMED_OUT` after `timeout` when no broker
    ///   answers), or `_DESTROY` after shutdown.
    public func partitionCount(topic: String, timeout: Duration = .seconds(2)) async throws(KafkaError) -> Int? {
        try await client.partitionCounts(timeout: timeout).get()[topic]
    }

    /// Waits until every record enqueued so far is acknowledged or failed, for at most `timeout`.
    /// - Throws: `_TIMED_OUT` if records are still outstanding after `timeout`; `_DESTROY` after shutdown.
    public func flush(timeout: Duration) async throws(KafkaError) {
        let timeoutMs = RDKafkaClient.milliseconds(timeout)
        let result: Result<Void, KafkaError> = await withCheckedContinuation { continuation in
            let submitted = client.submit { rk in
                let code = rd_kafka_flush(rk, timeoutMs)
                if code == RD_KAFKA_RESP_ERR_NO_ERROR {
                    continuation.resume(returning: .success(()))
                } else {
                    let outstanding = rd_kafka_outq_len(rk)
                    continuation.resume(
                        returning: .failure(
                            KafkaError(
                                code,
                                message: "flush timed out with \(outstanding) message(s) or request(s) outstanding")))
                }
            }
            if !submitted { continuation.resume(returning: .failure(.clientClosed("producer"))) }
        }
        try result.get()
    }

    /// Flushes for at most `flushTimeout`, fails whatever is still outstanding, and destroys the producer.
    /// Idempotent: later calls wait for the same shutdown.
    public func shutdown(flushTimeout: Duration = .seconds(10)) async {
        let client = state.withLock { state in
            state.shutDown = true
            return state.client
        }
        await client.shutdown(flushTimeout: flushTimeout)
    }
}
