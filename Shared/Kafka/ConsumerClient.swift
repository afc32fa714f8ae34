import CLibRDKafka
import Logging
import Synchronization

/// The librdkafka consumer handle and the dedicated thread that polls it.
///
/// The thread polls messages into the context's bounded buffer, pauses the assigned partitions when the buffer
/// passes its high-water mark and resumes them below the low one, runs blocking work (commits) handed to it,
/// and finally commits, leaves the group and destroys the handle. Other threads use the handle only for
/// non-blocking calls under the context's lock while it is not `.closed`: hence `@unchecked Sendable`.
final class ConsumerClient: @unchecked Sendable {
    let context: ConsumerContext
    private let rk: OpaquePointer
    /// The consumer queue, drained in batches by the polling thread.
    private let queue: OpaquePointer
    /// Room for one batch of polled messages; used only by the polling thread.
    private let polled: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    /// Topic names by librdkafka topic handle, so that a message's topic is not a new string each time;
    /// used only by the polling thread.
    private var topicNames = TopicNameCache()
    private static let pollBatch = 1_000

    var logger: Logger { context.logger }

    init(configuration: KafkaConfiguration, groupID: String, topics: [String], logger: Logger) throws(KafkaError) {
        guard !topics.isEmpty else {
            throw KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, message: "a consumer needs at least one topic")
        }
        var logger = logger
        logger[metadataKey: "kafka.client"] = "\(configuration.clientID)"
        logger[metadataKey: "kafka.group"] = "\(groupID)"
        let properties = configuration.librdkafkaProperties(defaults: [
            ("group.id", groupID),
            ("session.timeout.ms", String(configuration.sessionTimeoutMs)),
            ("fetch.wait.max.ms", String(configuration.fetchWaitMaxMs)),
            ("fetch.error.backoff.ms", String(configuration.fetchErrorBackoffMs)),
            ("enable.auto.offset.store", "false"),
            ("enable.auto.commit", "true"),
            ("auto.offset.reset", "earliest"),
        ])
        let context = ConsumerContext(logger: logger, highWaterMark: configuration.consumerBufferHighWaterMark)
        let rk = try RDKafkaClient.make(type: RD_KAFKA_CONSUMER, properties: properties, context: context) { conf in
            rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback)
            rd_kafka_conf_set_offset_commit_cb(conf, offsetCommitCallback)
        }
        self.context = context
        self.rk = rk
        rd_kafka_poll_set_consumer(rk)
        self.queue = rd_kafka_queue_get_consumer(rk)
        self.polled = .allocate(capacity: Self.pollBatch)
        self.polled.initialize(repeating: nil, count: Self.pollBatch)

        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        for topic in topics {
            rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA)
        }
        let subscribed = rd_kafka_subscribe(rk, list)
        rd_kafka_topic_partition_list_destroy(list)
        if subscribed != RD_KAFKA_RESP_ERR_NO_ERROR {
            context.state.withLock { $0.phase = .closing }
        } else {
            logger.debug("Consumer subscribed", metadata: ["kafka.topics": "\(topics)"])
        }
        // Even a failed subscription is closed and destroyed on the dedicated thread: both calls block.
        RDKafkaClient.startThread(name: "kafka-consumer") { [self] in
            runPollLoop()
        }
        if subscribed != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(
                subscribed, message: "subscribing to \(topics) failed: \(String(cString: rd_kafka_err2str(subscribed)))"
            )
        }
    }

    deinit {
        polled.deallocate()
    }

    // MARK: Application side

    /// The next message, waiting for one if the buffer is empty; `nil` once closed or when the task is cancelled.
    /// Takes up to `max` messages that are already buffered, without waiting.
    func takeBuffered(max: Int) -> [KafkaMessage] {
        context.state.withLock { state in
            var taken: [KafkaMessage] = []
            while taken.count < max, case .message(let message) = context.poll(in: &state, wake: { rd_kafka_yield(rk) }) {
                taken.append(message)
            }
            return taken
        }
    }

    func next() async -> KafkaMessage? {
        let immediate = context.state.withLock { state in
            context.poll(in: &state) { rd_kafka_yield(rk) }
        }
        switch immediate {
        case .message(let message): return message
        case .finished: return nil
        case .empty: break
        }
        let id = context.state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<KafkaMessage?, Never>) in
                let ready = context.state.withLock { state -> KafkaMessage?? in
                    switch context.poll(in: &state, wake: { rd_kafka_yield(rk) }) {
                    case .message(let message): return .some(message)
                    case .finished: return .some(nil)
                    case .empty:
                        if Task.isCancelled { return .some(nil) }
                        state.waiters.append((id, continuation))
                        return .none
                    }
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = context.state.withLock { state -> CheckedContinuation<KafkaMessage?, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    /// Stores `offset` as the next one to commit for the message's partition.
    func storeOffset(topic: String, partition: Int32, offset: Int64) throws(KafkaError) {
        try context.state.withLock { (state: inout ConsumerContext.State) throws(KafkaError) in
            guard state.phase != .closed else { throw KafkaError.clientClosed("consumer") }
            guard let list = rd_kafka_topic_partition_list_new(1) else {
                throw KafkaError(RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE)
            }
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let entry = rd_kafka_topic_partition_list_add(list, topic, partition)!
            entry.pointee.offset = offset
            let result = rd_kafka_offsets_store(rk, list)
            if entry.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(
                    entry.pointee.err,
                    message: "offset \(offset) of \(topic)[\(partition)] not stored: "
                        + "\(String(cString: rd_kafka_err2str(entry.pointee.err))) (is the partition still assigned?)"
                )
            }
            if result != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(result) }
            state.stored[KafkaTopicPartition(topic: topic, partition: partition)] = offset
        }
    }

    /// Each assigned partition's lag, on the polling thread: the high watermark librdkafka last saw in a fetch
    /// response (no request is made) minus the application's position — the last stored offset, else the first
    /// offset polled since the assignment (nothing processed yet), else the fetch position (nothing polled yet).
    /// Partitions with no watermark yet are left out.
    func lag() async -> [KafkaPartitionLag] {
        await withCheckedContinuation { continuation in
            let submitted = submit { [context] rk in
                var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
                guard rd_kafka_assignment(rk, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
                    continuation.resume(returning: [])
                    return
                }
                defer { rd_kafka_topic_partition_list_destroy(list) }
                _ = rd_kafka_position(rk, list)
                let (stored, firstPolled) = context.state.withLock { state in (state.stored, state.firstPolled) }
                var lags: [KafkaPartitionLag] = []
                for index in 0..<Int(list.pointee.cnt) {
                    let entry = list.pointee.elems[index]
                    let partition = KafkaTopicPartition(topic: String(cString: entry.topic), partition: entry.partition)
                    var low: Int64 = 0
                    var high: Int64 = 0
                    guard rd_kafka_get_watermark_offsets(rk, entry.topic, entry.partition, &low, &high)
                            == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { continue }
                    let position = stored[partition] ?? firstPolled[partition] ?? (entry.offset >= 0 ? entry.offset : low)
                    lags.append(KafkaPartitionLag(
                        partition: partition, highWatermark: high, position: position, lag: max(0, high - max(position, low))))
                }
                continuation.resume(returning: lags.sorted { ($0.partition.topic, $0.partition.partition) < ($1.partition.topic, $1.partition.partition) })
            }
            if !submitted { continuation.resume(returning: []) }
        }
    }

    /// Commits the stored offsets synchronously, on the polling thread.
    func commit() async throws(KafkaError) {
        let result: Result<Void, KafkaError> = await withCheckedContinuation { continuation in
            let submitted = submit { rk in
                let code = rd_kafka_commit(rk, nil, 0)
                if code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR__NO_OFFSET {
                    continuation.resume(returning: .success(()))
                } else {
                    continuation.resume(returning: .failure(KafkaError(code)))
                }
            }
            if !submitted { continuation.resume(returning: .failure(.clientClosed("consumer"))) }
        }
        try result.get()
    }

    func setUserPaused(_ paused: Bool) {
        context.state.withLock { state in
            state.userPaused = paused
            if state.phase == .running { rd_kafka_yield(rk) }
        }
    }

    /// Closes (commit, leave the group, destroy) and waits until done; later calls wait for the same close.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let closed = context.state.withLock { state in
                if state.phase == .closed { return true }
                if state.phase == .running {
                    state.phase = .closing
                    rd_kafka_yield(rk)
                }
                state.closeWaiters.append(continuation)
                return false
            }
            if closed { continuation.resume() }
        }
    }

    /// Starts closing without waiting (the owner went away).
    func requestClose() {
        context.state.withLock { state in
            guard state.phase == .running else { return }
            state.phase = .closing
            rd_kafka_yield(rk)
        }
    }

    private func submit(_ item: @escaping @Sendable (OpaquePointer) -> Void) -> Bool {
        context.state.withLock { state in
            guard state.phase == .running else { return false }
            state.work.append(item)
            rd_kafka_yield(rk)
            return true
        }
    }

    // MARK: Polling thread

    private func runPollLoop() {
        while true {
            let (work, phase) = context.state.withLock { state in
                defer { state.work.removeAll() }
                state.pollRounds += 1
                return (state.work, state.phase)
            }
            for item in work { item(rk) }
            if phase != .running { break }
            if let pause = context.pauseChange() { applyPause(pause) }
            // Wait for one message (or event), then take what else is already queued without waiting: a
            // reader behind a busy partition gets hundreds per hand-over, a quiet one gets each at once.
            guard let first = rd_kafka_consumer_poll(rk, 100) else { continue }
            polled[0] = first
            // Never past the high-water mark by more than the one message: back-pressure stays as tight as before.
            let room = context.highWaterMark - context.state.withLock { $0.buffer.count } - 1
            let more = room > 0 ? rd_kafka_consume_batch_queue(queue, 0, polled + 1, min(Self.pollBatch - 1, room)) : 0
            let count = 1 + max(0, more)
            var messages: [KafkaMessage] = []
            messages.reserveCapacity(count)
            for index in 0..<count {
                if let message = polled[index] {
                    if let converted = convert(message) { messages.append(converted) }
                    rd_kafka_message_destroy(message)
                }
            }
            if !messages.isEmpty { context.deliver(messages) }
        }
        closeAndDestroy()
    }

    /// The copy of a polled message for the reader, or `nil` for an event (end of partition, error) handled here.
    private func convert(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaMessage? {
        let code = message.pointee.err
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            guard code != RD_KAFKA_RESP_ERR__PARTITION_EOF else { return nil }
            let error = KafkaError(code, message: String(cString: rd_kafka_message_errstr(message)))
            var metadata: Logger.Metadata = ["kafka.error": "\(error)"]
            if let topic = message.pointee.rkt {
                metadata["kafka.topic"] = "\(String(cString: rd_kafka_topic_name(topic)))"
                metadata["kafka.partition"] = "\(message.pointee.partition)"
            }
            logger.warning("Consumer error", metadata: metadata)
            if error.isFatal { context.clientError(error) }
            return nil
        }
        return KafkaMessage(copying: message, topicNames: &topicNames)
    }

    private func applyPause(_ pause: Bool) {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(rk, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let (buffered, userPaused) = context.state.withLock { ($0.buffer.count, $0.userPaused) }
        if pause {
            rd_kafka_pause_partitions(rk, list)
        } else {
            rd_kafka_resume_partitions(rk, list)
        }
        logger.debug(
            pause ? "Consumer paused fetching" : "Consumer resumed fetching",
            metadata: [
                "kafka.buffered": "\(buffered)",
                "kafka.pausedByApplication": "\(userPaused)",
                "kafka.partitions": "\(list.pointee.cnt)",
            ])
    }

    private func closeAndDestroy() {
        let commit = rd_kafka_commit(rk, nil, 0)
        if commit != RD_KAFKA_RESP_ERR_NO_ERROR, commit != RD_KAFKA_RESP_ERR__NO_OFFSET {
            logger.warning("Commit on close failed", metadata: ["kafka.error": "\(KafkaError(commit))"])
        }
        let closed = rd_kafka_consumer_close(rk)
        if closed != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("Consumer close failed", metadata: ["kafka.error": "\(KafkaError(closed))"])
        }
        let (work, waiters, closeWaiters) = context.state.withLock { state in
            state.phase = .closed
            state.buffer.removeAll()
            state.assignment.removeAll()
            defer {
                state.work.removeAll()
                state.waiters.removeAll()
                state.closeWaiters.removeAll()
            }
            return (state.work, state.waiters, state.closeWaiters)
        }
        for item in work { item(rk) }
        for waiter in waiters { waiter.continuation.resume(returning: nil) }
        rd_kafka_queue_destroy(queue)
        rd_kafka_destroy(rk)
        logger.debug("Consumer closed")
        for waiter in closeWaiters { waiter.resume() }
    }
}
