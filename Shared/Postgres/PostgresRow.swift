/// The rows a statement returned, and how many rows it changed.
public struct PostgresQueryResult: Sendable {
    public var rows: [PostgresRow]
    /// Rows inserted, updated or deleted (`PQcmdTuples`), 0 for other statements.
    public var affectedRows: Int

    public var first: PostgresRow? { rows.first }
    public var isEmpty: Bool { rows.isEmpty }
}

/// The column names of a result, shared by all its rows.
final class PostgresColumns: Sendable {
    let names: [String]
    let index: [String: Int]

    init(names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        self.index = index
    }
}

/// One result row in text format; decode columns by name or position.
public struct PostgresRow: Sendable {
    let columns: PostgresColumns
    let values: [String?]

    public var columnNames: [String] { columns.names }

    /// Decodes a non-NULL column; a NULL or a missing column is an error naming the column.
    public func decode<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws(PostgresError) -> Value {
        guard let text = try raw(column) else {
            throw PostgresError(kind: .decoding, message: "column \(column) is NULL, expected \(Value.self)")
        }
        do {
            return try Value(postgresText: text)
        } catch {
            throw PostgresError(kind: .decoding, message: "column \(column): \(error.message)")
        }
    }

    /// Decodes a column that may be NULL.
    public func decode<Value: PostgresDecodable>(_ column: String, as type: Value?.Type) throws(PostgresError) -> Value? {
        guard let text = try raw(column) else { return nil }
        do {
            return try Value(postgresText: text)
        } catch {
            throw PostgresError(kind: .decoding, message: "column \(column): \(error.message)")
        }
    }

    public func decode<Value: PostgresDecodable>(_ position: Int, as type: Value.Type = Value.self) throws(PostgresError) -> Value {
        guard position < values.count else {
            throw PostgresError(kind: .decoding, message: "no column at position \(position)")
        }
        guard let text = values[position] else {
            throw PostgresError(kind: .decoding, message: "column \(position) is NULL, expected \(Value.self)")
        }
        return try Value(postgresText: text)
    }

    /// The column's text, `nil` for NULL.
    public func raw(_ column: String) throws(PostgresError) -> String? {
        guard let i = columns.index[column] else {
            throw PostgresError(kind: .decoding, message: "no column named \(column)")
        }
        return values[i]
    }
}
