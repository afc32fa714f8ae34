/// An error from the database layer, with PostgreSQL's SQLSTATE where the server sent one.
///
/// Callers decide what to do from the classification (`isSerializationFailure`, `isUniqueViolation`, …),
/// never from message text.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The connection could not be opened or was lost.
        case connection
        /// The server rejected the statement (see `sqlState`).
        case server
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// The pool is closed or did not hand out a connection in time.
        case pool
    }

    public var kind: Kind
    public var message: String
    /// The five-character SQLSTATE code, e.g. `23505`.
    public var sqlState: String?
    public var detail: String?
    public var constraint: String?
    public var column: String?
    public var table: String?

    public init(
        kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil,
        constraint: String? = nil, column: String? = nil, table: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.constraint = constraint
        self.column = column
        self.table = table
    }

    public var isSerializationFailure: Bool { sqlState == "40001" }
    public var isDeadlock: Bool { sqlState == "40P01" }
    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    public var isCheckViolation: Bool { sqlState == "23514" }
    public var isInsufficientPrivilege: Bool { sqlState == "42501" }
    /// Lost or refused connections, including the server shutting down (class 08 and 57P01–57P03).
    public var isConnectionFailure: Bool {
        kind == .connection || (sqlState?.hasPrefix("08") ?? false)
            || ["57P01", "57P02", "57P03"].contains(sqlState ?? "")
    }
    /// Whether running the whole transaction again may succeed.
    public var isTransient: Bool { isSerializationFailure || isDeadlock }
    /// Whether the database, not the work, failed, so the same work will succeed once it is back: a lost or
    /// refused connection (libpq's connection status, class 08), no pooled connection within the acquire
    /// timeout, the server shutting down or an administrator ending the session (class 57P), a serialization
    /// failure or deadlock (40001, 40P01), or the server out of resources (class 53).
    ///
    /// A cancelled statement (57014, e.g. `statement_timeout`) is not among them: the same statement would
    /// run as long again.
    public var isInfrastructureFailure: Bool {
        guard !isConnectionFailure, kind != .pool, !isTransient else { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("57P") || sqlState.hasPrefix("53")
    }

    public var description: String {
        var text = "PostgreSQL \(kind.rawValue) error"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let detail { text += " (\(detail))" }
        return text
    }
}
