/// A small DSL for the JSON Schemas (draft 2020-12) of event payloads, declared beside each payload type:
///
/// ```swift
/// static var schema: JSONSchema {
///     .object([
///         .required("certificateNumber", .certificateNumber, "The certificate's number."),
///         .required("expiresOn", .date, "Last day of validity."),
///         .optional("factoryName", .text(maxLength: 200), "Factory where the product is made."),
///     ])
/// }
/// ```
///
/// It covers what payloads need — strings with formats, patterns and enumerations, integers (money is integer
/// fen), booleans, arrays and closed objects (`additionalProperties: false`) — and nothing more, so the validator
/// and the compatibility check can understand every keyword it writes.
public struct JSONSchema: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case string(format: Format?, pattern: String?, minLength: Int?, maxLength: Int?, allowed: [String]?)
        case integer(minimum: Int64?, maximum: Int64?)
        case boolean
        case array(items: JSONSchema, minItems: Int?, uniqueItems: Bool)
        case object([Property])
    }

    /// The string formats the validator checks.
    public enum Format: String, Sendable, Hashable {
        case date
        case dateTime = "date-time"
        case uuid
    }

    /// A member of an object schema.
    public struct Property: Sendable, Hashable {
        public var name: String
        public var schema: JSONSchema
        public var isRequired: Bool

        public init(name: String, schema: JSONSchema, isRequired: Bool) {
            self.name = name
            self.schema = schema
            self.isRequired = isRequired
        }

        /// A property every instance has.
        public static func required(_ name: String, _ schema: JSONSchema, _ description: String? = nil) -> Property {
            Property(name: name, schema: description.map { schema.described($0) } ?? schema, isRequired: true)
        }

        /// A property that may be left out (Swift `nil`); when present it is never `null`.
        public static func optional(_ name: String, _ schema: JSONSchema, _ description: String? = nil) -> Property {
            Property(name: name, schema: description.map { schema.described($0) } ?? schema, isRequired: false)
        }
    }

    public var kind: Kind
    public var description: String?

    public init(kind: Kind, description: String? = nil) {
        self.kind = kind
        self.description = description
    }

    /// The same schema with a description (replacing any it had).
    public func described(_ text: String) -> JSONSchema {
        JSONSchema(kind: kind, description: text)
    }

    // MARK: building blocks

    public static func string(
        format: Format? = nil, pattern: String? = nil, minLength: Int? = nil, maxLength: Int? = nil
    ) -> JSONSchema {
        JSONSchema(kind: .string(format: format, pattern: pattern, minLength: minLength, maxLength: maxLength, allowed: nil))
    }

    /// Free text that must not be empty.
    public static func text(maxLength: Int) -> JSONSchema {
        .string(minLength: 1, maxLength: maxLength)
    }

    /// One of the raw values of a string enumeration, in declaration order.
    public static func enumeration<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> JSONSchema
    where E.RawValue == String {
        JSONSchema(kind: .string(format: nil, pattern: nil, minLength: nil, maxLength: nil, allowed: type.allCases.map(\.rawValue)))
    }

    public static func integer(minimum: Int64? = nil, maximum: Int64? = nil) -> JSONSchema {
        JSONSchema(kind: .integer(minimum: minimum, maximum: maximum))
    }

    public static let boolean = JSONSchema(kind: .boolean)

    public static func array(of items: JSONSchema, minItems: Int? = nil, uniqueItems: Bool = false) -> JSONSchema {
        JSONSchema(kind: .array(items: items, minItems: minItems, uniqueItems: uniqueItems))
    }

    /// A closed object: only the listed properties are allowed.
    public static func object(_ properties: [Property]) -> JSONSchema {
        JSONSchema(kind: .object(properties))
    }

    // MARK: the contract's common value schemas

    /// `YYYY-MM-DD` (`CalendarDate`).
    public static let date = string(format: .date)
    /// RFC 3339 date-time, UTC with milliseconds (`Date`).
    public static let dateTime = string(format: .dateTime)
    /// A lower-case UUID string.
    public static let uuid = string(format: .uuid, pattern: "^[0-9a-f-]{36}$")
    /// Money: a non-negative integer number of fen (分).
    public static let fen = integer(minimum: 0)
    /// A count of things or people.
    public static let count = integer(minimum: 0)
    /// A rate in basis points (1/10 000; 1 500 = 15 %).
    public static let basisPoints = integer(minimum: 0, maximum: 10_000)
    /// A unified social credit code (GB 32100-2015); the check character is checked by the Swift type.
    public static let creditCode = string(pattern: "^[0-9A-HJ-NPQRTUWXY]{18}$")
    /// A GB/T 2260 division code, or a 9-/12-digit statistical code for a town or village.
    public static let divisionCode = string(pattern: "^[1-8][0-9]{5}([0-9]{3}([0-9]{3})?)?$")
    /// A keyed hash naming a consumer (`ConsumerRef`).
    public static let consumerRef = string(pattern: "^[0-9a-f]{64}$")
    /// A SHA-256 digest in lower-case hex (of a document).
    public static let sha256 = string(pattern: "^[0-9a-f]{64}$")
    /// A green building material certificate number.
    public static let certificateNumber = string(pattern: "^[A-Z0-9][A-Z0-9-]{3,39}$")
    /// A campaign year.
    public static let year = integer(minimum: 2022, maximum: 2100)
}
