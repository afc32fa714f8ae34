/// The messages of a ``KafkaConsumer``: an `AsyncSequence` that finishes after the consumer is closed.
///
/// Meant for a single iterator. Messages come in order per partition; a message of a partition revoked before
/// it was handed out is not delivered here (the partition's new owner gets it).
public struct KafkaMessageSequence: AsyncSequence, Sendable {
    public typealias Element = KafkaMessage
    public typealias Failure = Never

    let client: ConsumerClient

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(client: client)
    }

    /// Reads the consumer's buffer, waiting for the polling thread when it is empty.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let client: ConsumerClient

        /// The next message, or `nil` once the consumer is closed or the calling task is cancelled.
        public mutating func next() async -> KafkaMessage? {
            await client.next()
        }
    }
}
