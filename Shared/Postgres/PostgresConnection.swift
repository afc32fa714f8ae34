import CLibPQ
import Foundation
import NIOPosix

/// One libpq connection. Every libpq call runs on the pool's dedicated threads, never on the cooperative pool.
///
/// A connection is used by one task at a time: the pool hands it out exclusively.
public final class PostgresConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private let threads: NIOThreadPool
    /// When the pool created it; connections older than the last observed server failure are discarded.
    let generation: Int
    private(set) var broken = false
    /// Statements prepared on this connection, by SQL text and parameter types: a statement the service runs
    /// again is bound and executed without being parsed and planned again.
    private var prepared: [PreparedKey: String] = [:]
    private var preparedCount = 0
    static let preparedLimit = 512
    /// Work to run once the open transaction has committed; dropped, never run, when it rolls back.
    private var commitHooks: [@Sendable () -> Void] = []
    /// The `BEGIN` of the pool's transaction on this connection, not sent yet: it goes to the server in one
    /// pipeline with the transaction's first statement, saving a round trip per transaction.
    private var pendingBegin: String?
    /// Whether the current transaction's `BEGIN` has been carried out by the server.
    private(set) var transactionBegun = false

    private struct PreparedKey: Hashable {
        var sql: String
        var types: [Oid]
    }

    private init(handle: OpaquePointer, threads: NIOThreadPool, generation: Int) {
        self.handle = handle
        self.threads = threads
        self.generation = generation
    }

    /// Opens a connection (blocking work done on `threads`).
    static func connect(
        _ configuration: PostgresConfiguration, threads: NIOThreadPool, generation: Int
    ) async throws -> PostgresConnection {
        try await threads.runIfActive {
            try connectSync(configuration, threads: threads, generation: generation)
        }
    }

    /// Opens a connection on the calling thread, which must not be one of the cooperative pool's.
    static func connectSync(
        _ configuration: PostgresConfiguration, threads: NIOThreadPool, generation: Int
    ) throws -> PostgresConnection {
        let params = configuration.connectionParameters
        let keys = params.map { strdup($0.0) }
        let values = params.map { strdup($0.1) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keyPointers: [UnsafePointer<CChar>?] = keys.map { UnsafePointer($0) } + [nil]
        var valuePointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        guard let conn = PQconnectdbParams(&keyPointers, &valuePointers, 0) else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(conn)
            throw PostgresError(kind: .connection, message: message)
        }
        // Server NOTICEs (e.g. "drop cascades to …") are not errors; libpq would print them to stderr.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        return PostgresConnection(handle: conn, threads: threads, generation: generation)
    }

    deinit {
        PQfinish(handle)
    }

    /// Runs one statement with bound parameters (extended protocol).
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresQueryResult {
        try await threads.runIfActive { try self.querySync(query) }
    }

    /// Runs SQL text that may hold several statements and no parameters (simple protocol): migrations.
    public func execute(_ sql: String) async throws {
        try await threads.runIfActive {
            try self.sendPendingBegin()
            guard let result = PQexec(self.handle, sql) else { throw self.connectionError() }
            defer { PQclear(result) }
            try self.check(result)
        }
    }

    func querySync(_ query: PostgresQuery) throws -> PostgresQueryResult {
        if query.binds.isEmpty {
            // BEGIN, COMMIT, DDL, maintenance: one simple-protocol message, nothing worth preparing.
            try sendPendingBegin()
            return try finish(PQexec(handle, query.sql))
        }
        let types = query.binds.map { $0.type }
        let values: [UnsafeMutablePointer<CChar>?] = query.binds.map { bind in bind.text.map { strdup($0) } }
        defer { values.forEach { free($0) } }
        var valuePointers: [UnsafePointer<CChar>?] = values.map { $0.map { UnsafePointer($0) } }
        if let begin = pendingBegin {
            pendingBegin = nil
            switch try pipelined(begin: begin, query, types: types, values: &valuePointers) {
            case .done(let result):
                return result
            case .staleStatement:
                // Nothing but the BEGIN took effect: undo it, prepare afresh below, after beginning again.
                prepared[PreparedKey(sql: query.sql, types: types)] = nil
                _ = try finish(PQexec(handle, "ROLLBACK"))
                transactionBegun = false
                pendingBegin = begin
                try sendPendingBegin()
            }
        }
        if query.planning == .withValues {
            // The unnamed statement: parsed and planned with these values, then forgotten.
            var types = types
            let result = types.withUnsafeMutableBufferPointer { typesBuffer in
                valuePointers.withUnsafeMutableBufferPointer { valuesBuffer in
                    PQexecParams(handle, query.sql, Int32(typesBuffer.count), typesBuffer.baseAddress,
                                 valuesBuffer.baseAddress, nil, nil, 0)
                }
            }
            return try finish(result)
        }
        let key = PreparedKey(sql: query.sql, types: types)
        for attempt in 0..<2 {
            let name = try statement(for: key)
            let result = valuePointers.withUnsafeMutableBufferPointer { valuesBuffer in
                PQexecPrepared(handle, name, Int32(types.count), valuesBuffer.baseAddress, nil, nil, 0)
            }
            do {
                return try finish(result)
            } catch let error as PostgresError where attempt == 0 && Self.invalidatesStatement(error) {
                // The statement went stale (a table it reads changed shape) or is gone: prepare it afresh.
                prepared[key] = nil
            }
        }
        throw PostgresError(kind: .server, message: "statement could not be prepared again")
    }

    // MARK: - Transactions begun with their first statement

    /// Starts a transaction with `sql` (a `BEGIN`), sent with the first statement that follows.
    func beginTransaction(_ sql: String) {
        pendingBegin = sql
        transactionBegun = false
    }

    /// Commits the transaction; one that never sent a statement has nothing to commit.
    func commitTransaction() async throws {
        if pendingBegin != nil {
            pendingBegin = nil
            return
        }
        try await query("COMMIT")
    }

    /// Rolls the transaction back (nothing to do when it never sent a statement); errors are ignored, as the
    /// connection is discarded when it is no longer usable.
    func rollbackTransaction() async {
        if pendingBegin != nil {
            pendingBegin = nil
            return
        }
        if isUsable { _ = try? await query("ROLLBACK") }
    }

    /// Forgets a transaction the borrower left unfinished (the pool lends the connection afresh).
    func resetTransactionState() {
        pendingBegin = nil
        transactionBegun = false
        commitHooks.removeAll()
    }

    private func sendPendingBegin() throws {
        guard let begin = pendingBegin else { return }
        pendingBegin = nil
        _ = try finish(PQexec(handle, begin))
        transactionBegun = true
    }

    private enum PipelineOutcome {
        case done(PostgresQueryResult)
        /// The prepared statement went stale; only the BEGIN took effect.
        case staleStatement
    }

    /// Sends `begin`, then `query` (prepared first if this connection has not prepared it yet), in one libpq
    /// pipeline, and reads their results.
    private func pipelined(
        begin: String, _ query: PostgresQuery, types: [Oid], values: inout [UnsafePointer<CChar>?]
    ) throws -> PipelineOutcome {
        guard PQenterPipelineMode(handle) == 1 else { throw connectionError() }
        let key = PreparedKey(sql: query.sql, types: types)
        var preparing: String?
        var sent = PQsendQueryParams(handle, begin, 0, nil, nil, nil, nil, 0) == 1
        var types = types
        let count = Int32(types.count)
        if query.planning == .withValues {
            sent = sent && types.withUnsafeMutableBufferPointer { typesBuffer in
                values.withUnsafeMutableBufferPointer { valuesBuffer in
                    PQsendQueryParams(handle, query.sql, count, typesBuffer.baseAddress, valuesBuffer.baseAddress,
                                      nil, nil, 0) == 1
                }
            }
        } else {
            let name: String
            if let existing = prepared[key] {
                name = existing
            } else {
                let deallocateFirst: Bool
                (name, deallocateFirst) = newStatementName()
                if deallocateFirst {
                    sent = sent && PQsendQueryParams(handle, "DEALLOCATE ALL", 0, nil, nil, nil, nil, 0) == 1
                }
                preparing = name
                sent = sent && types.withUnsafeMutableBufferPointer { typesBuffer in
                    PQsendPrepare(handle, name, query.sql, count, typesBuffer.baseAddress) == 1
                }
            }
            sent = sent && values.withUnsafeMutableBufferPointer { valuesBuffer in
                PQsendQueryPrepared(handle, name, count, valuesBuffer.baseAddress, nil, nil, 0) == 1
            }
        }
        sent = sent && PQpipelineSync(handle) == 1
        guard sent else {
            broken = true
            throw connectionError()
        }
        // Each statement's result is followed by a null; the sync point ends the pipeline.
        var results: [OpaquePointer] = []
        defer { results.forEach { PQclear($0) } }
        var nulls = 0
        while true {
            guard let result = PQgetResult(handle) else {
                nulls += 1
                if PQstatus(handle) != CONNECTION_OK || nulls > 8 { throw connectionError() }
                continue
            }
            if PQresultStatus(result) == PGRES_PIPELINE_SYNC {
                PQclear(result)
                break
            }
            results.append(result)
        }
        guard PQexitPipelineMode(handle) == 1, let beginResult = results.first, let statementResult = results.last,
              results.count >= 2 else {
            throw connectionError()
        }
        try check(beginResult)
        transactionBegun = true
        for result in results.dropFirst().dropLast() where PQresultStatus(result) != PGRES_COMMAND_OK {
            try check(result)  // the PREPARE (or DEALLOCATE) failed: its error, not the aborted statement's
        }
        if let preparing { prepared[key] = preparing }
        do {
            try check(statementResult)
        } catch let error as PostgresError where preparing == nil && Self.invalidatesStatement(error) {
            return .staleStatement
        }
        return .done(read(statementResult))
    }

    /// Checks and reads a result, then frees it; a missing result means the connection failed.
    private func finish(_ result: OpaquePointer?) throws -> PostgresQueryResult {
        guard let result else { throw connectionError() }
        defer { PQclear(result) }
        try check(result)
        return read(result)
    }

    /// The name of the prepared statement for `key`, preparing it first if this connection has not yet.
    private func statement(for key: PreparedKey) throws -> String {
        if let name = prepared[key] { return name }
        let (name, deallocateFirst) = newStatementName()
        if deallocateFirst, let result = PQexec(handle, "DEALLOCATE ALL") { PQclear(result) }
        var types = key.types
        let result = types.withUnsafeMutableBufferPointer { typesBuffer in
            PQprepare(handle, name, key.sql, Int32(key.types.count), typesBuffer.baseAddress)
        }
        guard let result else { throw connectionError() }
        defer { PQclear(result) }
        try check(result)
        prepared[key] = name
        return name
    }

    /// The name for the next statement this connection prepares, and whether every prepared statement must be
    /// deallocated first: rarely reached (the services run a fixed set of statements), so the connection starts
    /// over rather than track use.
    private func newStatementName() -> (name: String, deallocateFirst: Bool) {
        let deallocateFirst = prepared.count >= Self.preparedLimit
        if deallocateFirst { prepared.removeAll() }
        preparedCount += 1
        return ("gbm_\(preparedCount)", deallocateFirst)
    }

    /// `0A000` "cached plan must not change result type", `26000` no such prepared statement.
    private static func invalidatesStatement(_ error: PostgresError) -> Bool {
        error.kind == .server && (error.sqlState == "26000"
            || (error.sqlState == "0A000" && error.message.contains("cached plan")))
    }

    private func read(_ result: OpaquePointer) -> PostgresQueryResult {
        let rowCount = Int(PQntuples(result))
        let fieldCount = Int(PQnfields(result))
        var names: [String] = []
        names.reserveCapacity(fieldCount)
        for f in 0..<fieldCount { names.append(String(cString: PQfname(result, Int32(f)))) }
        let columns = PostgresColumns(names: names)
        var rows: [PostgresRow] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(fieldCount)
            for f in 0..<fieldCount {
                if PQgetisnull(result, Int32(r), Int32(f)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(r), Int32(f))))
                }
            }
            rows.append(PostgresRow(columns: columns, values: values))
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresQueryResult(rows: rows, affectedRows: affected)
    }

    private func check(_ result: OpaquePointer) throws {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return
        default:
            func field(_ code: UInt8) -> String? {
                guard let p = PQresultErrorField(result, Int32(code)) else { return nil }
                return String(cString: p)
            }
            let message = field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(result))
            let error = PostgresError(
                kind: .server, message: message, sqlState: field(UInt8(ascii: "C")),
                detail: field(UInt8(ascii: "D")), constraint: field(UInt8(ascii: "n")),
                column: field(UInt8(ascii: "c")), table: field(UInt8(ascii: "t")))
            if PQstatus(handle) != CONNECTION_OK {
                broken = true
                throw PostgresError(kind: .connection, message: message, sqlState: error.sqlState)
            }
            if error.isConnectionFailure { broken = true }
            throw error
        }
    }

    private func connectionError() -> PostgresError {
        broken = true
        let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresError(kind: .connection, message: message.isEmpty ? "connection lost" : message)
    }

    /// Runs `hook` once the transaction open on this connection has committed, or now when none is open
    /// (the last statement committed by itself). A rolled-back transaction never runs its hooks.
    ///
    /// For work that must not run before others can see the transaction's writes, and must not hold the
    /// transaction up: waking this process's outbox relay, for one.
    public func afterCommit(_ hook: @escaping @Sendable () -> Void) {
        if PQtransactionStatus(handle) == PQTRANS_IDLE {
            hook()
        } else {
            commitHooks.append(hook)
        }
    }

    /// Called by the pool after its COMMIT succeeded.
    func runCommitHooks() {
        let hooks = commitHooks
        commitHooks = []
        for hook in hooks { hook() }
    }

    /// Whether libpq still considers the connection usable.
    var isUsable: Bool { !broken && PQstatus(handle) == CONNECTION_OK }

    /// The raw socket and notification access the listener needs; used on the listener's own thread only.
    func pollNotifications() throws -> [PostgresNotification] {
        guard PQconsumeInput(handle) == 1 else { throw connectionError() }
        var notifications: [PostgresNotification] = []
        while let notify = PQnotifies(handle) {
            let channel = String(cString: notify.pointee.relname)
            let payload = String(cString: notify.pointee.extra)
            notifications.append(PostgresNotification(channel: channel, payload: payload, processID: notify.pointee.be_pid))
            PQfreemem(notify)
        }
        return notifications
    }

    var socket: Int32 { PQsocket(handle) }
}

/// A NOTIFY received on a LISTENed channel.
public struct PostgresNotification: Sendable, Hashable {
    public var channel: String
    public var payload: String
    public var processID: Int32
}
