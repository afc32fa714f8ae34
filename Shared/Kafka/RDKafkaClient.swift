import CLibRDKafka
import Foundation
import Logging
import Synchronization

/// What every C callback of one librdkafka client gets back through `rd_kafka_conf_set_opaque`.
///
/// The client's dedicated thread keeps its context alive until `rd_kafka_destroy` has returned, so the
/// callbacks may use it unretained. `@unchecked` only because the consumer subclasses it: its own state is an
/// immutable `Logger`.
class RDKafkaClientContext: @unchecked Sendable {
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// The context of `rk`, installed with ``RDKafkaClient/make(type:properties:context:configure:)``.
    static func of(_ rk: OpaquePointer?) -> RDKafkaClientContext? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }

    /// An error librdkafka reported outside any one request (`error_cb`): logged; subclasses may react further.
    func clientError(_ error: KafkaError) {
        if error.isFatal {
            logger.critical("librdkafka fatal error", metadata: ["kafka.error": "\(error)"])
        } else if error.isRetriable {
            logger.warning("librdkafka error", metadata: ["kafka.error": "\(error)"])
        } else {
            logger.error("librdkafka error", metadata: ["kafka.error": "\(error)"])
        }
    }
}

/// How many librdkafka clients (`rd_kafka_t`, each with a main thread and a thread per broker) this process has
/// created, by `client.id`: a check that something reuses a client rather than making one per call can count them.
public enum KafkaClientStatistics {
    private static let created = Mutex<[String: Int]>([:])

    /// How many clients with `client.id` `clientID` have been created so far.
    public static func clientsCreated(clientID: String) -> Int {
        created.withLock { $0[clientID, default: 0] }
    }

    static func recordCreation(clientID: String) {
        created.withLock { $0[clientID, default: 0] += 1 }
    }
}

/// Creating librdkafka clients and running their blocking calls off the cooperative thread pool.
enum RDKafkaClient {
    /// Creates an `rd_kafka_t` of `type` with `properties`, librdkafka's logs routed to the context's logger,
    /// its errors to ``RDKafkaClientContext/clientError(_:)``, and the extra callbacks `configure` installs.
    static func make(
        type: rd_kafka_type_t,
        properties: [(String, String)],
        context: RDKafkaClientContext,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE, message: "rd_kafka_conf_new failed")
        }
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in properties {
            let result = rd_kafka_conf_set(conf, name, value, &errorText, errorText.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let reason = RDKafkaClient.text(errorText)
                throw KafkaError.invalidConfiguration("property \(name): \(reason)")
            }
        }
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
        rd_kafka_conf_set_log_cb(conf, logCallback)
        rd_kafka_conf_set_error_cb(conf, errorCallback)
        configure(conf)
        guard let rk = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError.invalidConfiguration(RDKafkaClient.text(errorText))
        }
        KafkaClientStatistics.recordCreation(clientID: properties.last { $0.0 == "client.id" }?.1 ?? "")
        return rk
    }

    /// Starts a named dedicated thread running `body`: a home for librdkafka's polling and blocking calls.
    static func startThread(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    /// Runs a blocking `body` on a fresh dedicated thread and returns its result without blocking the caller's
    /// thread: for rare, slow calls (admin requests, metadata) of clients without a polling thread.
    static func runBlocking<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            startThread(name: name) { continuation.resume(returning: body()) }
        }
    }

    /// The partition count of every topic in the cluster's metadata, asked on `rk` (blocking, up to `timeoutMs`; no
    /// topic is auto-created by asking).
    static func partitionCounts(_ rk: OpaquePointer, timeoutMs: Int32) throws(KafkaError) -> [String: Int] {
        var metadata: UnsafePointer<rd_kafka_metadata_t>?
        let code = rd_kafka_metadata(rk, 1, nil, &metadata, timeoutMs)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(code, message: "metadata request failed: \(String(cString: rd_kafka_err2str(code)))")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        var counts: [String: Int] = [:]
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let topic = metadata.pointee.topics[index]
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            counts[String(cString: topic.topic)] = Int(topic.partition_cnt)
        }
        return counts
    }

    /// The NUL-terminated text librdkafka wrote into an error buffer.
    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `duration` in whole milliseconds, clamped to what librdkafka's `int` timeouts accept.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return Int32(max(0, min(ms.rounded(.up), Double(Int32.max))))
    }
}

/// librdkafka's log lines (syslog levels) into swift-log.
private let logCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void =
    {
        rk, level, facility, line in
        guard let context = RDKafkaClientContext.of(rk) else { return }
        let logLevel: Logger.Level =
            switch level {
            case ...2: .critical
            case 3: .error
            case 4: .warning
            case 5: .notice
            case 6: .info
            default: .debug
            }
        let message = line.map { String(cString: $0) } ?? ""
        let facilityName = facility.map { String(cString: $0) } ?? ""
        context.logger.log(level: logLevel, "librdkafka: \(message)", metadata: ["kafka.facility": "\(facilityName)"])
    }

/// Client-wide errors (broker down, fatal idempotence errors) to the client's context.
private let errorCallback:
    @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
        rk, code, reason, opaque in
        guard let opaque else { return }
        let context = Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
        var error = KafkaError(rd_kafka_resp_err_t(rawValue: code), message: reason.map { String(cString: $0) })
        if error.isFatal, let rk {
            var text = [CChar](repeating: 0, count: 512)
            let underlying = rd_kafka_fatal_error(rk, &text, text.count)
            error = KafkaError(underlying, message: RDKafkaClient.text(text))
            error.isFatal = true
        }
        context.clientError(error)
    }
