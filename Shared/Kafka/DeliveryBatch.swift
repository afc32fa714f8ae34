import Synchronization

/// The outcomes of one `send` call: filled in by delivery reports on the producer's thread, awaited once.
///
/// One counter and one continuation serve the whole batch, so publishing thousands of records costs one
/// suspension, not thousands of tasks.
final class DeliveryBatch: Sendable {
    typealias Outcome = Result<KafkaDeliveryReport, KafkaError>

    private struct State {
        var results: [Outcome?]
        var remaining: Int
        var continuation: CheckedContinuation<[Outcome], Never>?
    }

    /// The records, for the topic names in their delivery reports.
    let records: [KafkaProducerRecord]
    private let state: Mutex<State>

    init(records: [KafkaProducerRecord]) {
        self.records = records
        self.state = Mutex(State(results: Array(repeating: nil, count: records.count), remaining: records.count))
    }

    /// Records the outcome of record `index`; the first outcome wins. Resumes the waiter after the last one.
    func complete(_ index: Int, _ result: Outcome) {
        let finished = state.withLock { state -> (CheckedContinuation<[Outcome], Never>, [Outcome])? in
            guard state.results[index] == nil else { return nil }
            state.results[index] = result
            state.remaining -= 1
            guard state.remaining == 0, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, state.results.map { $0! })
        }
        if let (continuation, results) = finished {
            continuation.resume(returning: results)
        }
    }

    /// Fails every record that has no outcome yet (the client was destroyed before reporting it).
    func failUnfinished(_ error: KafkaError) {
        let unfinished = state.withLock { state in
            state.results.indices.filter { state.results[$0] == nil }
        }
        for index in unfinished {
            complete(index, .failure(error))
        }
    }

    /// Waits until every record has an outcome and returns them in record order.
    func results() async -> [Outcome] {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [Outcome]? in
                if state.remaining == 0 { return state.results.map { $0! } }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// The per-message opaque of one produced record: which batch and which slot its delivery report fills.
final class DeliveryTicket {
    let batch: DeliveryBatch
    let index: Int

    init(batch: DeliveryBatch, index: Int) {
        self.batch = batch
        self.index = index
    }
}
