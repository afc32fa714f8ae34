import Contracts
import Foundation
import Postgres

/// A programme's budget: slices that claims draw from, and the ledger of every movement.
///
/// The sum of the slices' capacities is the budget and no slice's `used` exceeds its capacity (a CHECK), so the
/// programme never commits more than its budget, however many claims race. A claim reserves in one slice (chosen
/// from its id, so concurrent claims spread over the slices instead of queueing on one row); when that slice has
/// no room it tries the slice with the most room, and when none has room on its own but together they do, it locks
/// every slice (in slice order, so two rebalancers cannot deadlock) and moves the free capacity into one.
/// A reservation is released from the slice it was made in, so a slice's `used` is always the sum of its
/// reservations.
struct BudgetLedger: Sendable {
    let programmeID: UUID

    enum Reservation: Equatable {
        /// Reserved in `slice`; `sliceFull` when that slice has no room left (then the programme may be used up).
        case reserved(slice: Int, sliceFull: Bool)
        /// Not enough budget left: `available` is what is left.
        case noRoom(available: Fen)
        /// The programme does not take claims (not open, or closing).
        case notAccepting
    }

    struct Usage: Sendable, Equatable, Encodable {
        var budget: Fen
        /// Reserved for approved and held claims, not yet paid.
        var reserved: Fen
        /// Paid and not clawed back.
        var paid: Fen
        /// Budget still free.
        var available: Fen
        var released: Fen
        var clawedBack: Fen
    }

    enum EntryKind: String {
        case reserved, released, paid
        case clawedBack = "clawed-back"
        case toppedUp = "topped-up"
    }

    /// Splits `budget` into `count` slices, none accepting claims until the programme opens.
    func create(budget: Fen, slices count: Int, on connection: PostgresConnection) async throws {
        let count = max(1, min(count, 64))
        let share = budget.rawValue / Int64(count)
        let capacities = (0..<count).map { $0 == 0 ? budget.rawValue - share * Int64(count - 1) : share }
        try await connection.query("""
            INSERT INTO budget_slice (programme_id, slice, capacity, used)
            SELECT \(programmeID), ordinality - 1, capacity, 0 FROM unnest(\(capacities)::bigint[]) WITH ORDINALITY AS t(capacity, ordinality)
            """)
    }

    /// Lets claims draw (open) or stops them (closed, or not yet open). Locks every slice, so it waits for the
    /// reservations in flight and none starts after it on the old flag.
    func setAccepting(_ accepting: Bool, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE budget_slice SET accepting = \(accepting) WHERE programme_id = \(programmeID)
            """)
    }

    /// Reserves `amount` for `claim` (or loan subsidy), preferring `slice` (taken modulo the slice count); the caller
    /// stores the slice on its row.
    func reserve(_ amount: Fen, for claim: UUID, preferring slice: Int, at time: Date,
                 on connection: PostgresConnection) async throws -> Reservation {
        let reservation = try await draw(amount, preferring: slice, on: connection)
        if case .reserved = reservation {
            try await record(.reserved, amount, claim: claim, at: time, on: connection)
        }
        return reservation
    }

    private func draw(_ amount: Fen, preferring preferred: Int, on connection: PostgresConnection) async throws -> Reservation {
        let a = amount.rawValue
        let direct = try await connection.query("""
            UPDATE budget_slice SET used = used + \(a)
            WHERE programme_id = \(programmeID) AND accepting AND capacity - used >= \(a)
              AND slice = \(preferred) % (SELECT count(*) FROM budget_slice WHERE programme_id = \(programmeID))
            RETURNING slice, capacity - used AS free
            """)
        if let row = direct.first {
            return .reserved(slice: try row.decode("slice", as: Int.self), sliceFull: try row.decode("free", as: Int64.self) == 0)
        }
        let roomiest = try await connection.query("""
            UPDATE budget_slice SET used = used + \(a)
            WHERE programme_id = \(programmeID) AND accepting AND capacity - used >= \(a) AND slice = (
                SELECT slice FROM budget_slice WHERE programme_id = \(programmeID) AND accepting AND capacity - used >= \(a)
                ORDER BY capacity - used DESC LIMIT 1)
            RETURNING slice, capacity - used AS free
            """)
        if let row = roomiest.first {
            return .reserved(slice: try row.decode("slice", as: Int.self), sliceFull: try row.decode("free", as: Int64.self) == 0)
        }
        // Not enough left even together (as committed now; claims in flight only make it less): no need to lock.
        let left = try await available(on: connection)
        if left < amount { return .noRoom(available: left) }
        // Rebalance: every slice locked in order; the free capacity moved into the roomiest one.
        let slices = try await connection.query("""
            SELECT slice, capacity, used, accepting FROM budget_slice WHERE programme_id = \(programmeID)
            ORDER BY slice FOR UPDATE
            """)
        var free: [(slice: Int, free: Int64)] = []
        for row in slices.rows {
            guard try row.decode("accepting", as: Bool.self) else { return .notAccepting }
            free.append((try row.decode("slice", as: Int.self),
                         try row.decode("capacity", as: Int64.self) - row.decode("used", as: Int64.self)))
        }
        let total = free.map(\.free).reduce(0, +)
        guard total >= a, let target = free.max(by: { $0.free < $1.free }) else { return .noRoom(available: Fen(total)) }
        try await connection.query("""
            UPDATE budget_slice SET capacity = CASE WHEN slice = \(target.slice) THEN capacity + \(total - target.free)
                ELSE used END
            WHERE programme_id = \(programmeID)
            """)
        try await connection.query("""
            UPDATE budget_slice SET used = used + \(a) WHERE programme_id = \(programmeID) AND slice = \(target.slice)
            """)
        return .reserved(slice: target.slice, sliceFull: total == a)
    }

    /// Budget still free across the slices (read without locks: a figure, not a promise).
    func available(on connection: PostgresConnection) async throws -> Fen {
        let rows = try await connection.query("""
            SELECT coalesce(sum(capacity - used), 0)::bigint AS free FROM budget_slice WHERE programme_id = \(programmeID)
            """)
        return Fen(try rows.first?.decode("free", as: Int64.self) ?? 0)
    }

    /// Gives a claim's reservation (or, clawed back, its payment) back to the budget, in the slice it was made in.
    func giveBack(_ amount: Fen, slice: Int, claim: UUID, as kind: EntryKind, at time: Date,
                  on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE budget_slice SET used = used - \(amount.rawValue)
            WHERE programme_id = \(programmeID) AND slice = \(slice)
            """)
        try await record(kind, amount, claim: claim, at: time, on: connection)
    }

    /// Records that a reserved amount was paid (it stays committed).
    func paid(_ amount: Fen, claim: UUID, at time: Date, on connection: PostgresConnection) async throws {
        try await record(.paid, amount, claim: claim, at: time, on: connection)
    }

    /// Raises the budget by `amount`, spread over the slices.
    func topUp(_ amount: Fen, at time: Date, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE budget_slice s SET capacity = capacity + share.amount
            FROM (SELECT slice, (\(amount.rawValue) / n) + CASE WHEN slice = 0 THEN \(amount.rawValue) % n ELSE 0 END AS amount
                  FROM budget_slice, (SELECT count(*) AS n FROM budget_slice WHERE programme_id = \(programmeID)) c
                  WHERE programme_id = \(programmeID)) share
            WHERE s.programme_id = \(programmeID) AND s.slice = share.slice
            """)
        try await record(.toppedUp, amount, claim: nil, at: time, on: connection)
    }

    /// The programme's money: what the ledger says, checked against the slices.
    func usage(budget: Fen, on connection: PostgresConnection) async throws -> Usage {
        let rows = try await connection.query("""
            SELECT kind, coalesce(sum(amount), 0)::bigint AS total FROM ledger_entry
            WHERE programme_id = \(programmeID) GROUP BY kind
            """)
        var totals: [String: Int64] = [:]
        for row in rows.rows { totals[try row.decode("kind", as: String.self)] = try row.decode("total", as: Int64.self) }
        func total(_ kind: EntryKind) -> Int64 { totals[kind.rawValue] ?? 0 }
        let paid = total(.paid) - total(.clawedBack)
        let reserved = total(.reserved) - total(.released) - total(.paid)
        return Usage(
            budget: budget, reserved: Fen(reserved), paid: Fen(paid), available: try await available(on: connection),
            released: Fen(total(.released)), clawedBack: Fen(total(.clawedBack)))
    }

    private func record(_ kind: EntryKind, _ amount: Fen, claim: UUID?, at time: Date,
                        on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO ledger_entry (programme_id, claim_id, kind, amount, recorded_at)
            VALUES (\(programmeID), \(claim), \(kind.rawValue), \(amount.rawValue), \(time))
            """)
    }
}
