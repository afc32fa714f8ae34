import Contracts
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// The scheduled job that expires certificates whose expiry date has passed (in Asia/Shanghai), one event each.
///
/// It runs every `interval` until graceful shutdown. Each sweep takes due certificates in small batches with
/// `FOR UPDATE SKIP LOCKED`, so replicas running the job together never expire one certificate twice.
public struct CertificateExpiryJob: Service {
    let context: CatalogueContext
    let interval: Duration
    let batchSize: Int

    public init(context: CatalogueContext, interval: Duration = .seconds(60), batchSize: Int = 200) {
        self.context = context
        self.interval = interval
        self.batchSize = batchSize
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let expired = try await expireDue()
                if expired > 0 {
                    context.logger.info("certificates expired", metadata: ["certificate.count": "\(expired)"])
                }
            } catch {
                context.logger.warning("certificate expiry sweep failed", metadata: ["error": "\(error)"])
            }
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Expires every certificate (valid or suspended) whose last day of validity is before today; returns how many.
    @discardableResult
    public func expireDue() async throws -> Int {
        let register = CertificateRegister(context: context)
        var total = 0
        while true {
            let today = context.clock.today
            let count = try await context.pool.transaction { connection in
                let due = try await connection.query("""
                    SELECT number FROM certificates
                    WHERE status IN ('valid', 'suspended') AND expires_on < \(today.description)::date
                    ORDER BY expires_on, number LIMIT \(batchSize) FOR UPDATE SKIP LOCKED
                    """)
                for row in due.rows {
                    let number = try row.identifier("number", as: CertificateNumber.self)
                    _ = try await register.apply(
                        .expire, to: number, reason: "有效期届满未续证 (expiry date passed without renewal)",
                        actor: .system, on: connection)
                }
                return due.rows.count
            }
            total += count
            if count < batchSize { return total }
        }
    }
}
