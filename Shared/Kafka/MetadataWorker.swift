import CLibRDKafka
import Foundation

/// Answers metadata requests on a client's handle from one thread of its own, started by the first request and
/// kept until the client is destroyed.
///
/// For a readiness probe, which asks every few seconds: a new client per question would start librdkafka's threads
/// and connections each time, and the producer's polling thread must not block on the request, since it serves
/// delivery reports. Requests waiting while one is answered share the next answer: a burst of probes is one request
/// to the broker.
final class MetadataWorker: @unchecked Sendable {
    typealias Reply = @Sendable (Result<[String: Int], KafkaError>) -> Void

    private enum Phase { case idle, running, stopping, stopped }

    private let rk: OpaquePointer
    private let threadName: String
    /// Guards everything below; the worker thread waits on it for requests, `stop()` for the thread's end.
    private let condition = NSCondition()
    private var phase = Phase.idle
    private var requests: [(timeoutMs: Int32, reply: Reply)] = []

    init(rk: OpaquePointer, threadName: String) {
        self.rk = rk
        self.threadName = threadName
    }

    /// Queues a request for the partition count of every topic; `reply` is called once, on the worker's thread (or at
    /// once with `_DESTROY` when the client is being destroyed).
    func partitionCounts(timeoutMs: Int32, reply: @escaping Reply) {
        condition.lock()
        switch phase {
        case .stopping, .stopped:
            condition.unlock()
            reply(.failure(.clientClosed("producer")))
            return
        case .idle:
            phase = .running
            RDKafkaClient.startThread(name: threadName) { [self] in run() }
        case .running:
            break
        }
        requests.append((timeoutMs, reply))
        condition.signal()
        condition.unlock()
    }

    /// Stops the worker and waits until it no longer uses the handle (a request in flight finishes within its
    /// timeout); requests still queued fail with `_DESTROY`. Call before destroying the handle.
    func stop() {
        condition.lock()
        let started = phase != .idle
        if phase == .idle || phase == .running { phase = started ? .stopping : .stopped }
        condition.broadcast()
        while phase == .stopping { condition.wait() }
        let abandoned = requests
        requests.removeAll()
        condition.unlock()
        for request in abandoned { request.reply(.failure(.clientClosed("producer"))) }
    }

    private func run() {
        condition.lock()
        while true {
            while requests.isEmpty && phase == .running { condition.wait() }
            if phase != .running {
                phase = .stopped
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = requests
            requests.removeAll()
            condition.unlock()
            let result = Result { () throws(KafkaError) in
                try RDKafkaClient.partitionCounts(rk, timeoutMs: batch.map(\.timeoutMs).min() ?? 1_000)
            }
            for request in batch { request.reply(result) }
            condition.lock()
        }
    }
}
