import CLibRDKafka
import Logging
import Synchronization

/// The consumer's shared state and the handling of what librdkafka reports on the polling thread:
/// polled messages, rebalances, commits and client errors.
///
/// The buffer, the reader's waiters, the assignment and the pause state live under one lock. librdkafka is never
/// called with that lock held, except for non-blocking calls that need the handle to be alive
/// (`rd_kafka_yield`, `rd_kafka_offsets_store`) and are therefore made while `phase` is not `.closed`.
final class ConsumerContext: RDKafkaClientContext, @unchecked Sendable {
    enum Phase {
        case running
        case closing
        case closed
    }

    struct State {
        var phase: Phase = .running
        var buffer = MessageBuffer()
        var waiters: [(id: UInt64, continuation: CheckedContinuation<KafkaMessage?, Never>)] = []
        var nextWaiterID: UInt64 = 0
        var work: [@Sendable (OpaquePointer) -> Void] = []
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
        /// The application asked for a pause (``KafkaConsumer/pause()``).
        var userPaused = false
        /// The buffer passed the high-water mark and has not yet drained to the low one.
        var backPressured = false
        /// Whether the assigned partitions are paused in librdkafka right now.
        var appliedPause = false
        var assignment: Set<KafkaTopicPartition> = []
        var fatalError: KafkaError?
        /// Rounds of the poll loop so far (it goes on polling while paused, to stay in the group).
        var pollRounds = 0
        /// The last offset stored per partition (one past the last message the application processed).
        var stored: [KafkaTopicPartition: Int64] = [:]
        /// The first offset polled per partition since it was assigned: the position while nothing is stored.
        var firstPolled: [KafkaTopicPartition: Int64] = [:]
    }

    let state = Mutex(State())
    let highWaterMark: Int
    let lowWaterMark: Int

    init(logger: Logger, highWaterMark: Int) {
        self.highWaterMark = max(1, highWaterMark)
        self.lowWaterMark = self.highWaterMark / 2
        super.init(logger: logger)
    }

    // MARK: Polling thread

    /// Hands polled messages to the reader: the first to a waiting reader, if there is one, the rest (or all) to
    /// the buffer, under one lock and with at most one wake-up.
    func deliver(_ messages: [KafkaMessage]) {
        guard let first = messages.first else { return }
        let waiter = state.withLock { state -> CheckedContinuation<KafkaMessage?, Never>? in
            var previous: KafkaTopicPartition?
            for message in messages where message.topicPartition != previous {
                previous = message.topicPartition
                if state.firstPolled[message.topicPartition] == nil { state.firstPolled[message.topicPartition] = message.offset }
            }
            if !state.waiters.isEmpty {
                state.buffer.append(contentsOf: messages.dropFirst())
                return state.waiters.removeFirst().continuation
            }
            state.buffer.append(contentsOf: messages)
            return nil
        }
        waiter?.resume(returning: first)
    }

    /// Updates back-pressure from the buffer's fill level and returns the pause state to apply, if it changed.
    func pauseChange() -> Bool? {
        state.withLock { state in
            if state.backPressured {
                if state.buffer.count <= lowWaterMark { state.backPressured = false }
            } else if state.buffer.count >= highWaterMark {
                state.backPressured = true
            }
            let desired = state.userPaused || state.backPressured
            guard desired != state.appliedPause else { return nil }
            state.appliedPause = desired
            return desired
        }
    }

    /// The rebalance callback: assign (keeping the pause state), or revoke (drop buffered messages of the revoked
    /// partitions, commit stored offsets synchronously, unassign).
    func rebalance(
        _ rk: OpaquePointer,
        _ code: rd_kafka_resp_err_t,
        _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
    ) {
        let changed = KafkaTopicPartition.array(from: partitions)
        let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) } == "COOPERATIVE"
        switch code {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, partitions) {
                    logger.error(
                        "Incremental assign failed", metadata: ["kafka.error": "\(KafkaError(consuming: error))"])
                }
            } else {
                let result = rd_kafka_assign(rk, partitions)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                    logger.error("Assign failed", metadata: ["kafka.error": "\(KafkaError(result))"])
                }
            }
            let paused = state.withLock { state in
                if cooperative {
                    state.assignment.formUnion(changed)
                } else {
                    state.assignment = Set(changed)
                }
                return state.appliedPause
            }
            // librdkafka keeps a partition's application pause across assignments: state it explicitly.
            if let partitions {
                if paused {
                    rd_kafka_pause_partitions(rk, partitions)
                } else {
                    rd_kafka_resume_partitions(rk, partitions)
                }
            }
            logger.info(
                "Partitions assigned",
                metadata: [
                    "kafka.partitions": "\(changed.map(\.description).sorted())",
                    "kafka.paused": "\(paused)",
                ])
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let revoked = Set(changed)
            let dropped = state.withLock { state in
                state.assignment.subtract(revoked)
                // A partition assigned again later starts from its committed offset, not from what was stored here.
                for partition in revoked {
                    state.stored[partition] = nil
                    state.firstPolled[partition] = nil
                }
                return state.buffer.removeAll { revoked.contains($0.topicPartition) }
            }
            if rd_kafka_assignment_lost(rk) != 0 {
                logger.warning(
                    "Partitions lost: stored offsets not committed",
                    metadata: [
                        "kafka.partitions": "\(changed.map(\.description).sorted())"
                    ])
            } else {
                let result = rd_kafka_commit(rk, nil, 0)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR, result != RD_KAFKA_RESP_ERR__NO_OFFSET {
                    logger.warning("Commit on revoke failed", metadata: ["kafka.error": "\(KafkaError(result))"])
                }
            }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, partitions) {
                    logger.error(
                        "Incremental unassign failed", metadata: ["kafka.error": "\(KafkaError(consuming: error))"])
                }
            } else {
                rd_kafka_assign(rk, nil)
            }
            logger.info(
                "Partitions revoked",
                metadata: [
                    "kafka.partitions": "\(changed.map(\.description).sorted())",
                    "kafka.dropped": "\(dropped)",
                ])
        default:
            logger.error("Rebalance failed", metadata: ["kafka.error": "\(KafkaError(code))"])
            rd_kafka_assign(rk, nil)
            state.withLock { $0.assignment.removeAll() }
        }
    }

    /// A fatal error ends the consumer: the polling thread closes it and the message sequence finishes.
    override func clientError(_ error: KafkaError) {
        super.clientError(error)
        guard error.isFatal else { return }
        state.withLock { state in
            if state.fatalError == nil { state.fatalError = error }
            if state.phase == .running { state.phase = .closing }
        }
    }

    // MARK: Reader

    enum Poll {
        case message(KafkaMessage)
        case finished
        case empty
    }

    /// Takes the next buffered message; `wake` is called (under the lock, handle alive) when the reader has
    /// drained a back-pressured buffer to the low-water mark, so the polling thread resumes fetching promptly.
    func poll(in state: inout State, wake: () -> Void) -> Poll {
        if let message = state.buffer.popFirst() {
            if state.backPressured, state.buffer.count <= lowWaterMark, state.phase == .running { wake() }
            return .message(message)
        }
        return state.phase == .closed ? .finished : .empty
    }
}

/// Rebalances, served by `rd_kafka_consumer_poll` / `rd_kafka_consumer_close` on the consumer's thread.
let rebalanceCallback:
    @convention(c) (
        OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        UnsafeMutableRawPointer?
    ) -> Void = { rk, code, partitions, opaque in
        guard let rk, let opaque else { return }
        Unmanaged<ConsumerContext>.fromOpaque(opaque).takeUnretainedValue().rebalance(rk, code, partitions)
    }

/// Results of automatic and explicit offset commits, for the log.
let offsetCommitCallback:
    @convention(c) (
        OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        UnsafeMutableRawPointer?
    ) -> Void = { _, code, offsets, opaque in
        guard let opaque else { return }
        let context = Unmanaged<ConsumerContext>.fromOpaque(opaque).takeUnretainedValue()
        if code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR__NO_OFFSET {
            context.logger.trace("Offsets committed")
        } else {
            context.logger.warning(
                "Offset commit failed",
                metadata: [
                    "kafka.error": "\(KafkaError(code))",
                    "kafka.partitions": "\(KafkaTopicPartition.array(from: offsets).map(\.description).sorted())",
                ])
        }
    }
