import Foundation
import Glibc
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Receives NOTIFY messages on a set of channels over a dedicated connection and thread.
///
/// Run it as a `Service`. When the connection drops it reconnects, LISTENs again and yields a
/// `reconnected` notification (channel = the channel, payload `""`), since notifications sent meanwhile
/// are lost: listeners should then poll.
public final class PostgresListener: Service, Sendable {
    public let channels: [String]
    private let configuration: PostgresConfiguration
    private let logger: Logger
    private let stream: AsyncStream<PostgresNotification>
    private let continuation: AsyncStream<PostgresNotification>.Continuation
    private let stopping = Atomic<Bool>(false)
    private let listening = Atomic<Bool>(false)

    public init(configuration: PostgresConfiguration, channels: [String], logger: Logger) {
        self.configuration = configuration
        self.channels = channels
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: PostgresNotification.self, bufferingPolicy: .bufferingNewest(1024))
    }

    /// Notifications as they arrive. One consumer.
    public var notifications: AsyncStream<PostgresNotification> { stream }

    /// Whether its connection is up and has run LISTEN on every channel: from then on a NOTIFY reaches it.
    public var isListening: Bool { listening.load(ordering: .acquiring) }

    public func run() async throws {
        let done = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let thread = Thread { [self] in
            self.loop()
            done.withLock { $0?.resume(); $0 = nil }
        }
        thread.name = "gbm-pg-listener"
        await withTaskCancellationOrGracefulShutdownHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                done.withLock { $0 = c }
                thread.start()
            }
        } onCancelOrGracefulShutdown: { [self] in
            self.stopping.store(true, ordering: .relaxed)
        }
        continuation.finish()
    }

    private func loop() {
        var connection: PostgresConnection?
        let threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
        defer {
            listening.store(false, ordering: .releasing)
            try? threads.syncShutdownGracefully()
        }
        var firstConnect = true
        while !stopping.load(ordering: .relaxed) {
            if connection == nil {
                connection = connectBlocking(threads: threads)
                guard let conn = connection else {
                    Thread.sleep(forTimeInterval: 0.5)
                    continue
                }
                do {
                    for channel in channels {
                        _ = try conn.querySync(PostgresQuery(unsafeSQL: "LISTEN \(quoteIdentifier(channel))"))
                    }
                } catch {
                    logger.warning("LISTEN failed", metadata: ["error": "\(error)"])
                    connection = nil
                    continue
                }
                listening.store(true, ordering: .releasing)
                if !firstConnect {
                    for channel in channels {
                        continuation.yield(PostgresNotification(channel: channel, payload: "", processID: 0))
                    }
                }
                firstConnect = false
            }
            guard let conn = connection else { continue }
            var pfd = pollfd(fd: conn.socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 200)
            if ready < 0 { continue }
            do {
                for notification in try conn.pollNotifications() {
                    continuation.yield(notification)
                }
            } catch {
                logger.warning("listener connection lost; reconnecting", metadata: ["error": "\(error)"])
                listening.store(false, ordering: .releasing)
                connection = nil
            }
        }
    }

    private func connectBlocking(threads: NIOThreadPool) -> PostgresConnection? {
        do {
            return try PostgresConnection.connectSync(configuration, threads: threads, generation: 0)
        } catch {
            logger.debug("listener cannot connect yet", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
