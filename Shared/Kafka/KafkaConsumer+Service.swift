import ServiceLifecycle

extension KafkaConsumer: Service {
    /// Runs until graceful shutdown (or cancellation), then closes the consumer, which finishes ``messages``.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
