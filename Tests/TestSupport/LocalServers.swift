import Foundation

/// A free TCP port on the loopback interface.
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { ptr -> Int32 in
            guard bind(fd, ptr, len) == 0 else { return -1 }
            return getsockname(fd, ptr, &len)
        }
    }
    guard bound == 0 else { throw LocalServerError(message: "no free port") }
    return Int(UInt16(bigEndian: addr.sin_port))
}

public struct LocalServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Runs a command to completion (posix_spawn + waitpid), its output to a file rather than a pipe: a server
/// the command starts in the background would otherwise hold the pipe open.
@discardableResult
func run(_ arguments: [String]) throws -> String {
    let outputPath = "/tmp/gbm-run-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv: [UnsafeMutablePointer<CChar>?] = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
    guard spawned == 0 else { throw LocalServerError(message: "cannot run \(arguments[0]): errno \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    guard status == 0 else {
        throw LocalServerError(message: "\(arguments.joined(separator: " ")) failed (\(status)): \(text)")
    }
    return text
}

/// A private PostgreSQL 15 cluster for a test that stops or restarts the server, so that it disturbs no other test.
public final class LocalPostgresServer: @unchecked Sendable {
    public let port: Int
    public let directory: String
    public let password = "private-superuser"
    private static let bin = "/usr/lib/postgresql/15/bin"

    /// - Parameter tls: a server certificate and key to serve TLS with (`ssl = on`); plain connections only without.
    public init(tls: TestCertificates? = nil) throws {
        port = try freeLoopbackPort()
        directory = "/tmp/gbm-pg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pwfile = "\(directory)/pw"
        try password.write(toFile: pwfile, atomically: true, encoding: .utf8)
        try run(["chown", "-R", "postgres:postgres", directory])
        try run(["runuser", "-u", "postgres", "--", "\(Self.bin)/initdb", "-D", "\(directory)/data", "-U", "postgres",
                 "--pwfile=\(pwfile)", "-A", "scram-sha-256", "--locale=C.UTF-8", "--encoding=UTF8"])
        var conf = "\nlisten_addresses = '127.0.0.1'\nport = \(port)\nunix_socket_directories = '\(directory)'\nfsync = off\n"
        if let tls {
            // The server reads its key only when the postgres user owns it and no one else may read it.
            for (source, name) in [(tls.serverCertificate, "server.crt"), (tls.serverKey, "server.key")] {
                try FileManager.default.copyItem(atPath: source, toPath: "\(directory)/data/\(name)")
            }
            try run(["chown", "postgres:postgres", "\(directory)/data/server.crt", "\(directory)/data/server.key"])
            try run(["chmod", "600", "\(directory)/data/server.key"])
            conf += "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n"
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(directory)/data/postgresql.conf"))
        handle.seekToEndOfFile()
        handle.write(Data(conf.utf8))
        try handle.close()
        try start()
    }

    public func start() throws {
        try run(["runuser", "-u", "postgres", "--", "\(Self.bin)/pg_ctl", "-D", "\(directory)/data", "-l",
                 "\(directory)/log", "-w", "start"])
    }

    public func stop() throws {
        try run(["runuser", "-u", "postgres", "--", "\(Self.bin)/pg_ctl", "-D", "\(directory)/data", "-m", "fast", "-w", "stop"])
    }

    public func restart() throws {
        try stop()
        try start()
    }

    /// Stops the server and removes its files.
    public func destroy() {
        try? stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A private Tansu broker for a test that pauses or stops the broker.
public final class LocalTansuBroker: @unchecked Sendable {
    public let port: Int
    public var bootstrapServers: String { "127.0.0.1:\(port)" }
    private let pid: pid_t

    /// Starts Tansu on a free port and returns once *that* process listens there.
    ///
    /// A free port can be taken between choosing it and Tansu binding it, by another test's broker among others: then
    /// the port accepts connections while this broker has exited, and a test pausing "its" broker would pause nothing.
    /// So readiness is the listening socket being this process's own, and a broker that exits is started again on
    /// another port.
    public init() throws {
        // deploy/local/infra.sh installs Tansu into the project's virtual environment and exports its path.
        guard let binary = ProcessInfo.processInfo.environment["GBM_TANSU_BIN"], !binary.isEmpty else {
            throw LocalServerError(message: "GBM_TANSU_BIN is not set: run the tests through deploy/local/test.sh")
        }
        for _ in 0..<5 {
            let port = try freeLoopbackPort()
            let child = try Self.spawn(binary, port: port)
            for _ in 0..<100 {
                var status: Int32 = 0
                if waitpid(child, &status, WNOHANG) == child { break }  // it exited: try another port
                if Self.listens(pid: child, port: port) {
                    self.port = port
                    self.pid = child
                    return
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            kill(child, SIGKILL)
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1 && errno == EINTR {}
        }
        throw LocalServerError(message: "tansu did not start")
    }

    private static func spawn(_ binary: String, port: Int) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [binary, "broker", "--listener-url", "tcp://127.0.0.1:\(port)",
                         "--advertised-listener-url", "tcp://127.0.0.1:\(port)", "--storage-engine", "memory://tansu/"]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        guard posix_spawn(&child, binary, &actions, nil, argv, environ) == 0 else {
            throw LocalServerError(message: "cannot start tansu")
        }
        return child
    }

    /// Whether `pid` holds the socket listening on 127.0.0.1:`port` (from /proc/net/tcp and /proc/<pid>/fd).
    static func listens(pid: pid_t, port: Int) -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return false }
        let local = String(format: "0100007F:%04X", port)
        let inodes = table.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 9, fields[1] == local, fields[3] == "0A" else { return nil }  // 0A: LISTEN
            return String(fields[9])
        }
        guard !inodes.isEmpty,
              let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return false }
        return descriptors.contains { descriptor in
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(descriptor)")) ?? ""
            return inodes.contains { target == "socket:[\($0)]" }
        }
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Freezes the broker (SIGSTOP): connections stay open but nothing is answered; data survives.
    public func pause() { kill(pid, SIGSTOP) }
    public func resume() { kill(pid, SIGCONT) }

    /// The broker process's state letter from `/proc/<pid>/stat` ("T" once a pause has taken effect, "S"/"R" while
    /// it runs), or "gone".
    public var processState: String {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return "gone" }
        return String(stat[stat.index(after: close)...].split(separator: " ").first ?? "?")
    }

    /// Whether this broker's own process still holds the listening socket on its port.
    public var holdsItsPort: Bool { Self.listens(pid: pid, port: port) }

    /// Stops the broker: SIGTERM, then SIGKILL if it has not gone within two seconds.
    public func stop() {
        kill(pid, SIGCONT)
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<20 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
}
