import Contracts
import Foundation
import Messaging
import Postgres
import Synchronization

/// Writes the run's events into the outbox on a steady schedule, a transaction at a time, as a service's requests
/// would: event `i` is probe `k<i % keys>`, sequence `i / keys`, so that every key has its own ordered sequence.
///
/// A transaction that fails is written again, unless it had committed after all (the connection was lost during the
/// commit, as when PostgreSQL restarts): its first event's id is looked up first, so no event is written twice.
final class OutboxWriter: Sendable {
    private let pool: PostgresPool
    private let runID: String
    private let events: Int
    private let keys: Int
    private let perTransaction: Int
    private let state = Mutex((written: 0, retried: 0))

    init(pool: PostgresPool, runID: String, events: Int, keys: Int, perTransaction: Int) {
        self.pool = pool
        self.runID = runID
        self.events = events
        self.keys = keys
        self.perTransaction = perTransaction
    }

    /// Events committed so far.
    var written: Int { state.withLock { $0.written } }
    /// Transactions that failed and were written again (or found committed).
    var retriedTransactions: Int { state.withLock { $0.retried } }

    static func key(_ index: Int) -> String { "k" + String(index).leftPadded(to: 4) }

    func write(over duration: Duration) async throws {
        let schema = FaultRunSettings.outboxSchema
        let outbox = Outbox(schema: schema, source: .reporting, signal: OutboxSignal(announcingTo: pool, schema: schema))
        let transactions = (events + perTransaction - 1) / perTransaction
        let start = ContinuousClock.now
        for transaction in 0..<transactions {
            let due = start + duration * transaction / transactions
            if due > .now { try await Task.sleep(until: due) }
            let range = transaction * perTransaction..<min(events, (transaction + 1) * perTransaction)
            let batch = try range.map { index in
                try CloudEvent(
                    payload: ProbeSent(
                        id: Self.key(index % keys), sequence: Int64(index / keys), sentAt: Date(), note: runID),
                    id: "\(runID)-\(index)")
            }
            try await commit(batch, outbox: outbox)
            state.withLock { $0.written = range.upperBound }
        }
    }

    private func commit(_ batch: [CloudEvent], outbox: Outbox) async throws {
        var retried = false
        while true {
            do {
                try await pool.transaction { try await outbox.append(batch, on: $0) }
                return
            } catch {
                if !retried { state.withLock { $0.retried += 1 } }
                retried = true
            }
            // Did it commit before the error? Ask until the database answers.
            while true {
                if let committed = try? await isWritten(batch[0].id) {
                    if committed { return }
                    break
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private func isWritten(_ eventID: String) async throws -> Bool {
        let schema = FaultRunSettings.outboxSchema
        return try await pool.query("""
            SELECT EXISTS (SELECT FROM \(identifier: schema).outbox WHERE ce_id = \(eventID))
                OR EXISTS (SELECT FROM \(identifier: schema).outbox_published WHERE ce_id = \(eventID)) AS written
            """).rows.first?.decode("written", as: Bool.self) ?? false
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
