import Foundation
import Glibc
import HummingbirdTesting
import ServiceHost
import Subsidy
import Testing

/// A client that opens a connection and sends nothing cannot hold one of the server's sockets for ever.
@Suite struct IdleConnectionTests {
    /// Connects to `port` on loopback and reads until the server closes the connection (true) or `limit` passes
    /// (false): waiting for the condition, not sleeping a fixed time.
    static func serverCloses(port: Int, within limit: Int32, after request: String? = nil) -> (closed: Bool, reply: String) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return (false, "") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return (false, "") }
        var timeout = timeval(tv_sec: Int(limit), tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let request { _ = Array(request.utf8).withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) } }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { return (true, String(decoding: reply, as: UTF8.self)) }
            if count < 0 { return (false, String(decoding: reply, as: UTF8.self)) }
            reply += buffer[0..<count]
        }
    }

    /// ``serverCloses(port:within:after:)`` on a thread of its own: a blocking `recv` must not hold one of the few
    /// cooperative threads the server's own handlers need.
    static func offPool(port: Int, within limit: Int32, after request: String? = nil) async -> (closed: Bool, reply: String) {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: serverCloses(port: port, within: limit, after: request)) }.start()
        }
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
        let definition = SubsidyService.definition
        var configuration = try hostConfiguration(for: definition)
        configuration.http.idleTimeout = .milliseconds(300)
        let host = try await ServiceHost.assemble(definition, configuration: configuration)
        try await host.application(withServices: false).test(.live) { client in
            let port = try #require(client.port)
            #expect(await Self.offPool(port: port, within: 30).closed, "a silent connection stayed open for 30 s")
            // A connection that asked for something is answered, then closed once it falls idle.
            let asked = await Self.offPool(port: port, within: 30, after: "GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n")
            #expect(asked.closed)
            #expect(asked.reply.hasPrefix("HTTP/1.1 200"))
        }
        await host.context.pool.close()
    }
}
