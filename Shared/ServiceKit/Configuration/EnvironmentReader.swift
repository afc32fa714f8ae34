import Foundation
import Logging

/// Typed access to configuration variables: the one place services read the environment.
///
/// An unset or empty variable takes its default; a set but invalid one is an error naming the variable and the
/// reason, never a silent fallback. Tests pass a dictionary instead of the process environment.
public struct EnvironmentReader: Sendable {
    /// The raw variables.
    public let values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    /// The variables of this process.
    public static var process: EnvironmentReader {
        EnvironmentReader(ProcessInfo.processInfo.environment)
    }

    /// The trimmed value of `name`, or nil when it is unset or blank.
    public func string(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    /// The value of `name`, or `defaultValue` when it is unset.
    public func string(_ name: String, default defaultValue: String) -> String {
        string(name) ?? defaultValue
    }

    /// The value of `name`, which must be set.
    public func requiredString(_ name: String) throws(ConfigurationError) -> String {
        guard let value = string(name) else { throw ConfigurationError(variable: name, reason: "is required but not set") }
        return value
    }

    /// An integer, optionally limited to `range`.
    public func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>? = nil) throws(ConfigurationError) -> Int {
        guard let text = string(name) else { return defaultValue }
        let expectation = range.map { "an integer in \($0.lowerBound)...\($0.upperBound)" } ?? "an integer"
        guard let value = Int(text), range?.contains(value) ?? true else {
            throw ConfigurationError(variable: name, reason: "must be \(expectation), got \"\(text)\"")
        }
        return value
    }

    /// A boolean: `true/false`, `1/0`, `yes/no`, `on/off`.
    public func bool(_ name: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let text = string(name) else { return defaultValue }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ConfigurationError(variable: name, reason: "must be true or false, got \"\(text)\"")
        }
    }

    /// A duration given in whole milliseconds (variables named `…_MS`).
    public func milliseconds(_ name: String, default defaultValue: Duration) throws(ConfigurationError) -> Duration {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text), value >= 0 else {
            throw ConfigurationError(variable: name, reason: "must be a whole number of milliseconds, got \"\(text)\"")
        }
        return .milliseconds(value)
    }

    /// A swift-log level: trace, debug, info, notice, warning, error, critical.
    public func logLevel(_ name: String, default defaultValue: Logger.Level) throws(ConfigurationError) -> Logger.Level {
        guard let text = string(name) else { return defaultValue }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(variable: name, reason: "must be one of \(levels), got \"\(text)\"")
        }
        return level
    }

    /// Bytes given as standard base64, at least `minimumByteCount` long (exactly, when `exactByteCount` is set).
    public func base64(
        _ name: String,
        default defaultValue: Data,
        minimumByteCount: Int = 0,
        exactByteCount: Int? = nil
    ) throws(ConfigurationError) -> Data {
        guard let text = string(name) else { return defaultValue }
        guard let data = Data(base64Encoded: text) else {
            throw ConfigurationError(variable: name, reason: "must be base64 (e.g. the output of `openssl rand -base64 32`)")
        }
        if let exactByteCount, data.count != exactByteCount {
            throw ConfigurationError(variable: name, reason: "must decode to exactly \(exactByteCount) bytes, got \(data.count)")
        }
        if data.count < minimumByteCount {
            throw ConfigurationError(variable: name, reason: "must decode to at least \(minimumByteCount) bytes, got \(data.count)")
        }
        return data
    }
}
