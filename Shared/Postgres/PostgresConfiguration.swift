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
        params.append(("options", options))
        return params
    }
}
