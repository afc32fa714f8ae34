import Foundation
import Metrics

/// The process metrics Prometheus's client libraries export under these names (CPU, memory, file descriptors,
/// start time), read from `/proc/self` when `/metrics` is scraped. On a system without `/proc` they stay absent.
public struct ProcessMetrics: Sendable {
    private let cpu = Gauge(label: "process_cpu_seconds_total")
    private let resident = Gauge(label: "process_resident_memory_bytes")
    private let virtual = Gauge(label: "process_virtual_memory_bytes")
    private let openFDs = Gauge(label: "process_open_fds")
    private let maxFDs = Gauge(label: "process_max_fds")
    private let startTime = Gauge(label: "process_start_time_seconds")
    private let threads = Gauge(label: "process_threads")

    public init() {}

    /// Reads `/proc/self` and records what it finds.
    public func collect() {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            // Fields after the command name, which may hold spaces: state is field 3, so index i is field i + 3.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
            if let utime = field(14), let stime = field(15), ticks > 0 { cpu.record((utime + stime) / ticks) }
            if let count = field(20) { threads.record(count) }
            if let size = field(23) { virtual.record(size) }
            if let pages = field(24) { resident.record(pages * pageSize) }
            if let started = field(22), ticks > 0, let boot = Self.bootTime() { startTime.record(boot + started / ticks) }
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            openFDs.record(entries.count)
        }
        #if os(Linux)
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 { maxFDs.record(Double(limit.rlim_cur)) }
        #endif
    }

    /// Seconds since the epoch at which the machine booted (`btime` of `/proc/stat`).
    private static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) }
    }
}
