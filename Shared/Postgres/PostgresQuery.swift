/// A statement and its parameters. Written as string interpolation, every interpolated value becomes a
/// bound parameter (`$1`, `$2`, …): values are never spliced into the SQL text.
///
/// ```swift
/// let rows = try await pool.query("SELECT name FROM enterprise WHERE credit_code = \(code)")
/// ```
/// Identifiers that cannot be parameters (a schema name) go through `\(identifier: name)`, which quotes them.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    public var sql: String
    public var binds: [PostgresBind]
    /// How the server plans the statement; see `plannedWithValues`.
    public var planning: Planning = .reusable

    /// Statements are prepared once per connection and PostgreSQL may settle on one generic plan for every
    /// value (`reusable`, the default), which saves planning a statement each time it runs. A statement whose best
    /// plan depends on its values (optional filters written `$n IS NULL OR …`, whose absent ones only a plan
    /// made with the values drops; a search text whose selectivity decides between indexes) is instead planned
    /// afresh with its values every time (`withValues`).
    public enum Planning: Sendable {
        case reusable
        case withValues
    }

    public init(unsafeSQL sql: String, binds: [PostgresBind] = [], planning: Planning = .reusable) {
        self.sql = sql
        self.binds = binds
        self.planning = planning
    }

    /// This statement, planned afresh with its values every time it runs.
    public var plannedWithValues: PostgresQuery {
        var copy = self
        copy.planning = .withValues
        return copy
    }

    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [PostgresBind] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// A value, sent as a bound parameter.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(PostgresBind(value))
            sql += "$\(binds.count)"
        }

        /// An optional value: `nil` is sent as SQL NULL.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(PostgresBind(value))
            sql += "$\(binds.count)"
        }

        /// A value carried by its raw value (a validated identifier, a stored enumeration), bound as that raw value.
        public mutating func appendInterpolation<Value: RawRepresentable & Sendable>(_ value: Value)
        where Value.RawValue: PostgresEncodable {
            appendInterpolation(value.rawValue)
        }

        /// An optional value carried by its raw value: `nil` is sent as SQL NULL.
        public mutating func appendInterpolation<Value: RawRepresentable & Sendable>(_ value: Value?)
        where Value.RawValue: PostgresEncodable {
            appendInterpolation(value?.rawValue)
        }

        /// A quoted identifier (schema, table or channel name).
        public mutating func appendInterpolation(identifier: String) {
            sql += quoteIdentifier(identifier)
        }

        /// Trusted SQL text written by the program itself, never by a caller.
        public mutating func appendInterpolation(unescaped fragment: String) {
            sql += fragment
        }
    }
}

/// One bound parameter in PostgreSQL's text format, with its type OID.
public struct PostgresBind: Sendable {
    public var type: UInt32
    public var text: String?

    public init<Value: PostgresEncodable>(_ value: Value) {
        self.type = Value.postgresType
        self.text = value.postgresText
    }
}

/// Quotes an identifier the way PostgreSQL's `quote_ident` does.
public func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
