/// How to reach PostgreSQL, as one login role.
public struct PostgresConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    public var password: String
    /// The schema unqualified names resolve to (each service sets its own).
    public var searchPath: String?
    /// The most connections the pool opens at once.
    public var maxConnections: Int
    /// How long a caller waits for a free connection before failing.
    public var acquireTimeout: Duration
    public var connectTimeoutSeconds: Int
    public var applicationName: String
    /// The longest a statement may run before the server cancels it (`statement_timeout`, SQLSTATE 57014), so a
    /// runaway query cannot hold a connection, its locks and its caller for ever; `nil` for the server's setting.
    public var statementTimeout: Duration? = .seconds(30)
    /// The longest a statement waits for a lock (`lock_timeout`, SQLSTATE 55P03); `nil` for the server's setting.
    public var lockTimeout: Duration? = .seconds(20)
    /// The longest a session may sit in an open transaction doing nothing before the server ends it
    /// (`idle_in_transaction_session_timeout`), releasing its locks; `nil` for the server's setting.
    public var idleInTransactionSessionTimeout: Duration? = .seconds(60)

    public init(
        host: String = "127.0.0.1", port: Int = 5432, database: String, user: String, password: String,
        searchPath: String? = nil, maxConnections: Int = 10, acquireTimeout: Duration = .seconds(10),
        connectTimeoutSeconds: Int = 5, applicationName: String = "gbm"
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.searchPath = searchPath
        self.maxConnections = maxConnections
        self.acquireTimeout = acquireTimeout
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.applicationName = applicationName
    }

    /// libpq connection keywords and values.
    var connectionParameters: [(String, String)] {
        var params: [(String, String)] = [
            ("host", host), ("port", String(port)), ("dbname", database), ("user", user),
            ("password", password), ("connect_timeout", String(connectTimeoutSeconds)),
            ("application_name", applicationName), ("client_encoding", "UTF8"),
            ("keepalives", "1"), ("keepalives_idle", "30"),
        ]
        // No parallel workers: starting them cost 5-10 ms per query, more than the services' queries take.
        var options = "-c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=iso_8601 -c extra_float_digits=3"
            + " -c max_parallel_workers_per_gather=0"
        if let searchPath { options += " -c search_path=\(searchPath)" }
        for (name, timeout) in [
            ("statement_timeout", statementTimeout), ("lock_timeout", lockTimeout),
            ("idle_in_transaction_session_timeout", idleInTransactionSessionTimeout),
        ] {
            if let timeout { options += " -c \(name)=\(Self.milliseconds(timeout))" }
        }
        params.append(("options", options))
        return params
    }

    /// `duration` in whole milliseconds (at least 1: PostgreSQL reads 0 as "no timeout").
    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
