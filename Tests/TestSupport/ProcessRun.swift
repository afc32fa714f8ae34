import Foundation

/// What a program run by ``runProgram(_:_:environment:)`` left: its exit status and what it wrote.
public struct ProgramRun: Sendable {
    public var status: Int32
    public var output: String
    public var errors: String
}

/// Runs `executable` with `arguments` to its end, off the cooperative pool, its standard output and error in files (a
/// pipe could fill and block it); the environment is this process's unless given.
public func runProgram(
    _ executable: URL, _ arguments: [String], environment: [String: String]? = nil
) async throws -> ProgramRun {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("program-out")).path
    let errors = output + ".err"
    _ = FileManager.default.createFile(atPath: output, contents: nil)
    _ = FileManager.default.createFile(atPath: errors, contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: output)
        try? FileManager.default.removeItem(atPath: errors)
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = environment ?? ProcessInfo.processInfo.environment
    process.standardOutput = FileHandle(forWritingAtPath: output)
    process.standardError = FileHandle(forWritingAtPath: errors)
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do { try process.run() } catch { continuation.resume(throwing: error) }
    }
    return ProgramRun(status: status, output: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "",
                      errors: (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
}
