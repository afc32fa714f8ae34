/// One Kafka record header. Values are raw bytes; `nil` is a header present without a value.
public struct KafkaHeader: Sendable, Hashable {
    /// The header name, e.g. `ce_type`.
    public var key: String
    /// The header value, or `nil` for a header without a value.
    public var value: [UInt8]?

    /// Creates a header with raw bytes (or no value).
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }

    /// Creates a header whose value is the UTF-8 encoding of `string`.
    public init(key: String, string: String) {
        self.key = key
        self.value = Array(string.utf8)
    }
}
