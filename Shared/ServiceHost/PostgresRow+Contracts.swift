import Contracts
import Postgres

/// Result columns as the contract's values: the one place a stored date, enumeration or identifier is read back.
extension PostgresRow {
    /// A `date` column as a calendar date.
    public func calendarDate(_ column: String) throws -> CalendarDate {
        let text = try decode(column, as: String.self)
        guard let date = CalendarDate(text) else {
            throw PostgresError(kind: .decoding, message: "column \(column): \(text) is not a date")
        }
        return date
    }

    /// A column holding a stored enumeration value.
    public func enumeration<Value: RawRepresentable>(_ column: String, as type: Value.Type) throws -> Value
    where Value.RawValue == String {
        let text = try decode(column, as: String.self)
        guard let value = Value(rawValue: text) else {
            throw PostgresError(kind: .decoding, message: "column \(column): unknown value \(text)")
        }
        return value
    }

    /// A stored identifier (validated when it was written, and again here).
    public func identifier<Identifier: ValidatedIdentifier>(_ column: String, as type: Identifier.Type) throws -> Identifier {
        try Identifier(validating: try decode(column, as: String.self))
    }

    /// A stored credit code.
    public func creditCode(_ column: String) throws -> UnifiedSocialCreditCode {
        try identifier(column, as: UnifiedSocialCreditCode.self)
    }
}
