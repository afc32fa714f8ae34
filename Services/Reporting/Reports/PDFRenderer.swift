import Foundation
import ServiceKit
import Synchronization

/// Turns a printable report (``SummaryReportHTML``) into PDF with WeasyPrint (Debian's `weasyprint`; the image
/// installs it with a CJK font, which it embeds, so the Chinese text renders in any reader). The document references
/// nothing outside itself. At most two renderings run at once; one that takes longer than `timeout` is stopped.
struct PDFRenderer: Sendable {
    /// The WeasyPrint executable: a path, or a name looked up on `PATH` (`GBM_PDF_RENDERER`, default `weasyprint`).
    var executable: String
    var timeout: Duration = .seconds(60)

    static let variable = "GBM_PDF_RENDERER"
    private static let running = Mutex(0)
    static let concurrency = 2

    /// Why a report could not be rendered: a 503 for the client (the service itself is fine).
    struct Unavailable: Error, ProblemConvertible {
        var reason: String
        var problem: Problem {
            Problem(status: .serviceUnavailable, code: "pdf-renderer-unavailable", title: "PDF rendering unavailable",
                    detail: "The printable report could not be rendered as PDF: \(reason). GET …/html gives the same document.")
        }
    }

    /// The PDF of `html`.
    func render(_ html: String) async throws -> Data {
        guard let path = resolve() else { throw Unavailable(reason: "\(executable) is not installed") }
        // Wait for a turn (a rendering takes about a second; a client that gives up cancels the wait).
        let deadline = ContinuousClock.now + timeout
        while !Self.running.withLock({ count in
            guard count < Self.concurrency else { return false }
            count += 1
            return true
        }) {
            guard ContinuousClock.now < deadline else { throw Unavailable(reason: "every renderer stayed busy for \(timeout)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        defer { Self.running.withLock { $0 -= 1 } }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gbm-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("report.html")
        let output = directory.appendingPathComponent("report.pdf")
        try Data(html.utf8).write(to: input)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--quiet", "--encoding", "utf-8", input.path, output.path]
        process.currentDirectoryURL = directory
        // Its messages go to a file: a pipe nobody reads while it runs could fill and stop it.
        let errorsPath = directory.appendingPathComponent("errors.txt").path
        _ = FileManager.default.createFile(atPath: errorsPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errorsPath)
        process.standardOutput = FileHandle.nullDevice
        let status: Int32 = try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                    do { try process.run() } catch {
                        process.terminationHandler = nil
                        continuation.resume(returning: -1)
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            if first == nil, process.isRunning { process.terminate() }
            group.cancelAll()
            return first ?? -2
        }
        let message = String(decoding: (FileManager.default.contents(atPath: errorsPath) ?? Data()).prefix(500), as: UTF8.self)
        switch status {
        case 0: break
        case -1: throw Unavailable(reason: "\(path) could not be started")
        case -2: throw Unavailable(reason: "rendering took longer than \(timeout)")
        default: throw Unavailable(reason: "\(executable) exited with status \(status): \(message)")
        }
        return try Data(contentsOf: output)
    }

    /// The executable's path, if it exists.
    func resolve() -> String? {
        if executable.contains("/") { return FileManager.default.isExecutableFile(atPath: executable) ? executable : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
