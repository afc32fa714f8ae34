import Foundation

/// The one JSON encoding every event payload uses, producers and consumers alike.
///
/// - keys are the Swift property names (camelCase), sorted, so the same payload always gives the same bytes;
/// - `Date` is RFC 3339 in UTC with milliseconds (`2023-05-01T08:00:00.000Z`);
/// - `CalendarDate` is `YYYY-MM-DD`; `Fen` is a plain integer; typed identifiers are their string form;
/// - `nil` optionals are left out rather than written as `null`.
public enum ContractJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(InternetDateTime.string(from: date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = InternetDateTime.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an RFC 3339 date-time")
            }
            return date
        }
        return decoder
    }

    /// Encodes a value with `encoder()`, as bytes.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try encoder().encode(value))
    }

    /// Decodes a value with `decoder()`.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decoder().decode(type, from: Data(bytes))
    }
}
