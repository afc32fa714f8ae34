/// A configuration variable that is set but unusable, or required but missing: names the variable and the reason,
/// so the operator reading the crash log knows what to fix.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The environment variable, e.g. `GBM_HTTP_PORT`.
    public var variable: String
    /// What is wrong with it, e.g. "must be an integer in 1...65535, got \"http\"".
    public var reason: String

    public init(variable: String, reason: String) {
        self.variable = variable
        self.reason = reason
    }

    public var description: String { "\(variable) \(reason)" }
}
