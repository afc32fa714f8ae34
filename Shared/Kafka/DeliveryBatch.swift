import Synchronization

/// The outcomes of one `send` call: filled in by delivery reports on the producer's thread, awaited once.
///
/// One counter and one continuation serve the whole batch, so publishing thousands of records costs one
/// suspension, not thousands of tasks. Each record's per-message opaque is the address of its slot in one
/// buffer, which leads back to the batch and gives the record's index: nothing is allocated per record.
/// Reports carry only partition and offset; the caller adds the topic names from its own records, so the
/// producer's thread never touches their strings.
final class DeliveryBatch: @unchecked Sendable {
    /// What a delivery report says of one record.
    enum Outcome {
        case delivered(partition: Int32, offset: Int64)
        case failed(KafkaError)
    }

    /// The outcomes so far, compactly: a batch of thousands of records makes a few flat arrays, not an array
    /// of enums as wide as an error, copied twice.
    struct Outcomes: Sendable {
        static let pending = Int64.min
        /// The offset of each delivered record; `pending` until its report arrives. Failed records keep
        /// `pending` here and are in `failures`.
        var offsets: [Int64]
        var partitions: [Int32]
        var failures: [Int: KafkaError] = [:]

        init(count: Int) {
            offsets = Array(repeating: Self.pending, count: count)
            partitions = Array(repeating: -1, count: count)
        }

        func hasOutcome(_ index: Int) -> Bool { offsets[index] != Self.pending || failures[index] != nil }

        /// Record `index`'s outcome; every record must have one.
        subscript(index: Int) -> Outcome {
            if let error = failures[index] { return .failed(error) }
            return .delivered(partition: partitions[index], offset: offsets[index])
        }
    }

    private struct State {
        var outcomes: Outcomes
        var remaining: Int
        var continuation: CheckedContinuation<Outcomes, Never>?
    }

    let count: Int
    /// One slot per record, each holding this batch's (unretained) address; written once, in `init`.
    private let slots: UnsafeMutablePointer<UnsafeMutableRawPointer>
    private let state: Mutex<State>

    init(count: Int) {
        self.count = count
        self.state = Mutex(State(outcomes: Outcomes(count: count), remaining: count))
        self.slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: UnsafeMutableRawPointer(bitPattern: 1)!, count: max(count, 1))
        let address = Unmanaged.passUnretained(self).toOpaque()
        for index in 0..<count { slots[index] = address }
    }

    deinit {
        slots.deallocate()
    }

    /// The per-message opaque of record `index`. The batch must outlive every report that carries it: the
    /// producer keeps it registered until `results()` has returned.
    func opaque(for index: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(slots + index)
    }

    /// The batch and record index an opaque from `opaque(for:)` stands for.
    static func resolve(_ opaque: UnsafeMutableRawPointer) -> (batch: DeliveryBatch, index: Int) {
        let slot = opaque.assumingMemoryBound(to: UnsafeMutableRawPointer.self)
        let batch = Unmanaged<DeliveryBatch>.fromOpaque(slot.pointee).takeUnretainedValue()
        return (batch, slot - batch.slots)
    }

    /// Records the outcome of record `index`; the first outcome wins. Resumes the waiter after the last one.
    func complete(_ index: Int, _ outcome: Outcome) {
        let finished = state.withLock { state -> (CheckedContinuation<Outcomes, Never>, Outcomes)? in
            guard !state.outcomes.hasOutcome(index) else { return nil }
            switch outcome {
            case .delivered(let partition, let offset):
                state.outcomes.partitions[index] = partition
                // An offset librdkafka could not tell (-1001, RD_KAFKA_OFFSET_INVALID) is never `pending`.
                state.outcomes.offsets[index] = offset
            case .failed(let error):
                state.outcomes.failures[index] = error
            }
            state.remaining -= 1
            guard state.remaining == 0, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, state.outcomes)
        }
        if let (continuation, outcomes) = finished {
            continuation.resume(returning: outcomes)
        }
    }

    /// Fails every record that has no outcome yet (the client was destroyed before reporting it).
    func failUnfinished(_ error: KafkaError) {
        let unfinished = state.withLock { state in
            (0..<count).filter { !state.outcomes.hasOutcome($0) }
        }
        for index in unfinished {
            complete(index, .failed(error))
        }
    }

    /// Waits until every record has an outcome and returns them.
    func results() async -> Outcomes {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Outcomes? in
                if state.remaining == 0 { return state.outcomes }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
