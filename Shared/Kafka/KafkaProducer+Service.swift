import ServiceLifecycle

extension KafkaProducer: Service {
    /// Runs until graceful shutdown (or cancellation), then flushes and destroys the producer.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
