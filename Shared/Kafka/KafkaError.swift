import CLibRDKafka

/// A failure reported by librdkafka or by this wrapper, with librdkafka's stable error name.
///
/// ``name`` is what `rd_kafka_err2name` returns (`_MSG_TIMED_OUT`, `UNKNOWN_TOPIC_OR_PART`, …): local
/// errors start with an underscore, broker errors don't. ``isRetriable`` says whether trying the same operation
/// again later can succeed (the broker was unreachable, a leader moved, a queue was full); ``isFatal`` says the
/// client can no longer be used and must be recreated.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// The numeric `rd_kafka_resp_err_t` code.
    public var code: Int32
    /// librdkafka's name for the code, e.g. `_TRANSPORT`.
    public var name: String
    /// What happened, for a person to act on.
    public var message: String
    /// Whether retrying the operation later may succeed.
    public var isRetriable: Bool
    /// Whether the client is unusable and must be recreated.
    public var isFatal: Bool

    /// Creates an error from its parts (useful for test doubles).
    public init(code: Int32, name: String, message: String, isRetriable: Bool, isFatal: Bool) {
        self.code = code
        self.name = name
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    public var description: String {
        var flags: [String] = []
        if isRetriable { flags.append("retriable") }
        if isFatal { flags.append("fatal") }
        let suffix = flags.isEmpty ? "" : " [\(flags.joined(separator: ", "))]"
        return "Kafka error \(name) (\(code)): \(message)\(suffix)"
    }
}

extension KafkaError {
    /// An error for a plain response code; the message defaults to librdkafka's description of the code.
    init(_ code: rd_kafka_resp_err_t, message: String? = nil) {
        self.init(
            code: code.rawValue,
            name: String(cString: rd_kafka_err2name(code)),
            message: message ?? String(cString: rd_kafka_err2str(code)),
            isRetriable: Self.isRetriable(code),
            isFatal: Self.isFatal(code)
        )
    }

    /// An error from an `rd_kafka_error_t`, which it destroys.
    init(consuming error: OpaquePointer) {
        defer { rd_kafka_error_destroy(error) }
        let code = rd_kafka_error_code(error)
        self.init(
            code: code.rawValue,
            name: String(cString: rd_kafka_error_name(error)),
            message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0 || Self.isRetriable(code),
            isFatal: rd_kafka_error_is_fatal(error) != 0
        )
    }

    /// The client was shut down or closed before (or while) the operation ran.
    static func clientClosed(_ what: String) -> KafkaError {
        KafkaError(RD_KAFKA_RESP_ERR__DESTROY, message: "\(what) is shut down")
    }

    /// A configuration property was rejected.
    static func invalidConfiguration(_ message: String) -> KafkaError {
        KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, message: message)
    }

    /// Response codes after which the client cannot go on: librdkafka's fatal error, and the broker fencing the
    /// producer's id or epoch. librdkafka raises a fatal error for fencing only when it asks for a producer id;
    /// when a Produce request is answered so (a broker that lost the producer's state after a stall), it fails
    /// the records and keeps sending under the same fenced id, for ever. Either way only a new client helps.
    static func isFatal(_ code: rd_kafka_resp_err_t) -> Bool {
        code == RD_KAFKA_RESP_ERR__FATAL || code == RD_KAFKA_RESP_ERR__FENCED
            || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED || code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH
    }

    /// Whether the broker (or librdkafka, before sending) refused the record itself, so that sending the same
    /// record again can never succeed: it is too large, or malformed. Not said of a fatal client error, which a
    /// new client clears.
    public var isRecordRejected: Bool {
        !isFatal && Self.recordRejectedCodes.contains(code)
    }

    private static let recordRejectedCodes: Set<Int32> = Set(
        [
            RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE,
            RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE, RD_KAFKA_RESP_ERR_INVALID_RECORD,
            RD_KAFKA_RESP_ERR__BAD_MSG,
        ].map(\.rawValue))

    /// A record was not enqueued because an earlier one with the same topic and key failed in the same send:
    /// sending it would have let it overtake that one.
    static func heldBack(behind error: KafkaError) -> KafkaError {
        KafkaError(
            RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS,
            message: "not sent: an earlier record with the same key failed (\(error.name)) and must go first")
    }

    /// Response codes after which the same operation may succeed later: the broker was unreachable or busy,
    /// leadership or coordination moved, a local queue was full, or a topic was not known (yet).
    static func isRetriable(_ code: rd_kafka_resp_err_t) -> Bool {
        retriableCodes.contains(code.rawValue)
    }

    private static let retriableCodes: Set<Int32> = Set(
        [
            RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__RESOLVE, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
            RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__QUEUE_FULL,
            RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE, RD_KAFKA_RESP_ERR__WAIT_COORD, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
            RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, RD_KAFKA_RESP_ERR__PURGE_QUEUE, RD_KAFKA_RESP_ERR__PURGE_INFLIGHT,
            RD_KAFKA_RESP_ERR__RETRY, RD_KAFKA_RESP_ERR__NODE_UPDATE, RD_KAFKA_RESP_ERR__ISR_INSUFF,
            RD_KAFKA_RESP_ERR__IN_PROGRESS, RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS,
            RD_KAFKA_RESP_ERR_INVALID_MSG, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
            RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_REPLICA_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
            RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_NOT_COORDINATOR, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
            RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR, RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH,
            RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH, RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_PREFERRED_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED,
            RD_KAFKA_RESP_ERR_UNSTABLE_OFFSET_COMMIT,
        ].map(\.rawValue))
}
