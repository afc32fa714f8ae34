/// One rejected input field inside a ``Problem``: which field and why, in words a caller can act on.
///
/// `field` is a path into the request: `name`, `address.city`, `items[2].quantity`; a query parameter or header is
/// named as it was sent.
public struct FieldError: Codable, Hashable, Sendable, CustomStringConvertible {
    /// Where the bad value is, as a dotted path with `[index]` for array elements.
    public var field: String
    /// What is wrong with it, e.g. "is required", "must be a string", "must be a 6-digit GB/T 2260 code".
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
