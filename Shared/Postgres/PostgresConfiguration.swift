/// How to reach PostgreSQL, as one login role.
///
/// Its descriptions (`description`, `debugDescription`, `dump`) never show the password: a configuration may be logged.
public struct PostgresConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
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
    /// libpq's `sslmode`: `disable`, `allow`, `prefer` (libpq's default, when `nil`), `require`, `verify-ca` or
    /// `verify-full` (TLS, and the server's certificate checked against ``sslRootCert`` and the host name).
    public var sslMode: SSLMode?
    /// libpq's `sslrootcert`: a PEM file of the CA certificate(s) the server's certificate must chain to.
    public var sslRootCert: String?

    /// libpq's `sslmode` values.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

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
        if let sslMode { params.append(("sslmode", sslMode.rawValue)) }
        if let sslRootCert { params.append(("sslrootcert", sslRootCert)) }
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

    public var description: String {
        var parts = ["host=\(host)", "port=\(port)", "dbname=\(database)", "user=\(user)", "password=<redacted>"]
        if let searchPath { parts.append("search_path=\(searchPath)") }
        if let sslMode { parts.append("sslmode=\(sslMode.rawValue)") }
        if let sslRootCert { parts.append("sslrootcert=\(sslRootCert)") }
        parts.append("pool=\(maxConnections)")
        return "PostgresConfiguration(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "host": host, "port": port, "database": database, "user": user, "password": "<redacted>",
            "searchPath": searchPath as Any, "maxConnections": maxConnections, "sslMode": sslMode?.rawValue as Any,
            "sslRootCert": sslRootCert as Any,
        ])
    }

    /// `duration` in whole milliseconds (at least 1: PostgreSQL reads 0 as "no timeout").
    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
