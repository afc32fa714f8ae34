import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Queries bind parameters and decode typed rows")
struct PostgresQueryTests {
    @Test func roundTripsEveryTypeTheServicesUse() async throws {
        let pool = try adminPool()
        defer { Task { await pool.close() } }
        let id = UUID()
        let now = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let tags = ["保温", "门窗", "with \"quote\"", "back\\slash", "a,b", ""]
        let bytes = PostgresBytes([0, 1, 2, 254, 255])
        let json = PostgresJSONB(text: #"{"name": "外墙保温材料", "fen": 12345}"#)
        let missing: String? = nil
        let result = try await pool.query("""
            SELECT \(id) AS id, \("外墙保温材料") AS name, \(Int64(9_007_199_254_740_993)) AS big,
                   \(true) AS flag, \(now) AS at, \(tags) AS tags, \(bytes) AS bytes, \(json) AS doc,
                   \(missing) AS missing, \(PostgresDate(year: 2023, month: 11, day: 30)) AS due
            """)
        let row = try #require(result.first)
        #expect(try row.decode("id", as: UUID.self) == id)
        #expect(try row.decode("name", as: String.self) == "外墙保温材料")
        #expect(try row.decode("big", as: Int64.self) == 9_007_199_254_740_993)
        #expect(try row.decode("flag", as: Bool.self))
        #expect(abs(try row.decode("at", as: Date.self).timeIntervalSince(now)) < 0.000_001)
        #expect(try row.decode("tags", as: [String].self) == tags)
        #expect(try row.decode("bytes", as: PostgresBytes.self) == bytes)
        let doc = try row.decode("doc", as: PostgresJSONB.self)
        struct Doc: Decodable, Equatable { var name: String; var fen: Int64 }
        #expect(try doc.decode(Doc.self) == Doc(name: "外墙保温材料", fen: 12345))
        #expect(try row.decode("missing", as: String?.self) == nil)
        #expect(try row.decode("due", as: PostgresDate.self) == PostgresDate(year: 2023, month: 11, day: 30))
    }

    @Test func decodingANullIntoANonOptionalNamesTheColumn() async throws {
        let pool = try adminPool()
        defer { Task { await pool.close() } }
        let row = try #require(try await pool.query("SELECT NULL::text AS reason").first)
        #expect {
            _ = try row.decode("reason", as: String.self)
        } throws: { error in
            (error as? PostgresError)?.message.contains("reason") == true
        }
    }

    @Test func valuesAreNeverSplicedIntoTheStatement() async throws {
        let scratch = try await ScratchSchema.make()
        defer { Task { await scratch.tearDown() } }
        let (pool, schema) = (scratch.pool, scratch.name)
        try await pool.query("CREATE TABLE \(identifier: schema).note (body text)")
        let hostile = "x'); DROP TABLE \(schema).note; --"
        try await pool.query("INSERT INTO \(identifier: schema).note (body) VALUES (\(hostile))")
        let rows = try await pool.query("SELECT body FROM \(identifier: schema).note")
        #expect(try rows.rows.map { try $0.decode("body", as: String.self) } == [hostile])
    }

    @Test func serverErrorsCarryTheirSQLState() async throws {
        let scratch = try await ScratchSchema.make()
        defer { Task { await scratch.tearDown() } }
        let (pool, schema) = (scratch.pool, scratch.name)
        try await pool.query("CREATE TABLE \(identifier: schema).code (value text PRIMARY KEY)")
        try await pool.query("INSERT INTO \(identifier: schema).code VALUES (\("A"))")
        await #expect {
            try await pool.query("INSERT INTO \(identifier: schema).code VALUES (\("A"))")
        } throws: { error in
            let error = error as? PostgresError
            return error?.isUniqueViolation == true && error?.constraint == "code_pkey"
        }
    }
}

@Suite("Statement planning")
struct PostgresPlanningTests {
    @Test func reusableStatementsArePreparedAndPlannedWithValuesOnesAreNot() async throws {
        let pool = try adminPool(maxConnections: 1)
        defer { Task { await pool.close() } }
        let marker = uniqueName("plan")
        try await pool.withConnection { connection in
            let reusable: PostgresQuery = "SELECT \(marker)::text AS reusable"
            let withValues: PostgresQuery = "SELECT \(marker)::text AS planned_each_time"
            #expect(try await connection.query(reusable).first?.decode("reusable", as: String.self) == marker)
            #expect(try await connection.query(withValues.plannedWithValues).first?
                .decode("planned_each_time", as: String.self) == marker)
            let prepared = try await connection.query("SELECT statement FROM pg_prepared_statements")
                .rows.map { try $0.decode("statement", as: String.self) }
            #expect(prepared.contains { $0.contains("AS reusable") })
            #expect(!prepared.contains { $0.contains("AS planned_each_time") })
        }
    }
}

@Suite("Timestamp parameters")
struct PostgresTimestampParameterTests {
    @Test func timestampsAreSentAsTheInstantTheyAre() async throws {
        let pool = try adminPool()
        defer { Task { await pool.close() } }
        let instants: [Double] = [0, 0.000_001, 1_000_000_000.5, -86_400.25, 1_703_980_799.999_999, 253_402_300_799]
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            let row = try #require(try await pool.query(
                "SELECT (extract(epoch FROM \(date)) * 1000000)::int8 AS micros").first)
            #expect(try row.decode("micros", as: Int64.self) == Int64((seconds * 1_000_000).rounded()), "\(seconds)")
        }
    }
}
