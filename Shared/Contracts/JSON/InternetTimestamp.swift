import Foundation

/// A `Date` that encodes as an RFC 3339 UTC timestamp with milliseconds (as the events carry them), formatted
/// without Foundation's ISO 8601 formatter, which is slow to create and would be created once per value.
@propertyWrapper
public struct InternetTimestamp: Codable, Sendable, Equatable {
    public var wrappedValue: Date

    public init(wrappedValue: Date) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = InternetDateTime.date(from: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 timestamp")
        }
        wrappedValue = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(InternetDateTime.string(from: wrappedValue))
    }
}
