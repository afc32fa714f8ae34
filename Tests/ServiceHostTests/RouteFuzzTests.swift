import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import ServiceHost
import ServiceKit
import TestSupport
import Testing

/// Every documented route of every service, driven from its own `/openapi.json` with generated and mutated bodies,
/// queries, path values and tokens: no answer is a 5xx, and a 4xx leaves every table of the service's schema exactly
/// as it was. The generator is seeded, so a failure names the seed, method and path that reproduce it.
@Suite("Route fuzzing from the OpenAPI documents")
struct RouteFuzzTests {
    @Test(arguments: allServices.map(\.executableName))
    func noRouteAnswers5xxAndNoRefusedRequestWrites(executable: String) async throws {
        let env = try TestEnvironment.current()
        var definition = try #require(allServices.first { $0.executableName == executable })
        definition.schema = uniqueName("fuzz")
        let configuration = try HostConfiguration(definition: definition, environment: EnvironmentReader([
            "GBM_PG_HOST": env.postgresHost, "GBM_PG_PORT": String(env.postgresPort), "GBM_PG_DATABASE": env.postgresDatabase,
            "GBM_DB_USER": env.postgresAdminUser, "GBM_DB_PASSWORD": env.postgresAdminPassword,
            "GBM_KAFKA_BROKERS": env.kafkaBrokers, "GBM_KAFKA_GROUP": uniqueName("gbm-fuzz"), "GBM_LOG_LEVEL": "critical",
        ]))
        let host = try await ServiceHost.assemble(definition, configuration: configuration)
        let pool = host.context.pool
        let schema = definition.schema
        defer { Task { _ = try? await pool.query("DROP SCHEMA \(identifier: schema) CASCADE"); await pool.close() } }
        let document = try JSONDecoder().decode(JSONValue.self, from: definition.openAPI.jsonData())
        let paths = document.objectValue?["paths"]?.objectValue ?? [:]
        let seed = UInt64(executable.utf8.reduce(7) { ($0 &* 31) &+ UInt64($1) })
        let failures = LockedValue<[String]>([])
        let statuses = LockedValue<[Int: Int]>([:])
        try await host.application(withServices: false).test(.router) { client in
            var fuzz = Fuzzer(seed: seed)
            for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
                for (method, operation) in (item.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                    guard let httpMethod = HTTPRequest.Method(method.uppercased()) else { continue }
                    for round in 0..<24 {
                        let request = fuzz.request(path: path, operation: operation, round: round)
                        let before = try await Self.fingerprint(schema: schema, pool: pool)
                        let status = try await client.execute(
                            uri: request.uri, method: httpMethod, headers: request.headers,
                            body: request.body.map { ByteBuffer(bytes: $0) }) { $0.status }
                        statuses.withLock { $0[status.code, default: 0] += 1 }
                        if status.code >= 500 {
                            failures.withLock { $0.append("\(status.code) for \(method) \(request.uri) (seed \(seed), round \(round))") }
                        } else if status.code >= 400 {
                            let after = try await Self.fingerprint(schema: schema, pool: pool)
                            if after != before {
                                failures.withLock { $0.append("\(status.code) wrote for \(method) \(request.uri) (seed \(seed))") }
                            }
                        }
                    }
                }
            }
        }
        let found = failures.current
        if !paths.isEmpty {
            let seen = statuses.current
            #expect(seen[400, default: 0] + seen[422, default: 0] > 0, "the fuzzer reached the routes' validation: \(seen)")
            #expect(seen.keys.contains { (200..<300).contains($0) || $0 == 404 || $0 == 409 }, "and past it: \(seen)")
        }
        #expect(found.isEmpty, "\(found.prefix(20).joined(separator: "\n"))")
    }

    /// A digest of every row of every table of `schema`.
    static func fingerprint(schema: String, pool: PostgresPool) async throws -> String {
        let tables = try await pool.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = \(schema) AND tablename <> 'schema_migrations' ORDER BY 1")
        var parts: [String] = []
        for row in tables.rows {
            let table = try row.decode("tablename", as: String.self)
            let digest = try await pool.query(PostgresQuery(unsafeSQL: """
                SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS d FROM \(quoteIdentifier(schema)).\(quoteIdentifier(table)) t
                """))
            parts.append(table + ":" + (try digest.first!.decode("d", as: String.self)))
        }
        return parts.joined(separator: ",")
    }
}

/// Requests generated from an OpenAPI operation: a body that follows the schema, or breaks it in one place; odd
/// query and path values; every role's token, none, or a forged one.
struct Fuzzer {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    struct Request {
        var uri: String
        var headers: HTTPFields
        var body: [UInt8]?
    }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
    mutating func pick<T>(_ values: [T]) -> T { values[int(0...values.count - 1)] }

    static let signer = TokenSigner(configuration: AuthConfiguration())
    static let tokens: [String?] = [
        nil, "not-a-token",
        signer.sign(Principal(subject: "fuzz-ministry", role: .ministry, department: .miit), ttl: .seconds(3600)),
        signer.sign(Principal(subject: "fuzz-region", role: .regionOfficial, regionCode: DivisionCode(rawValue: "330000")), ttl: .seconds(3600)),
        signer.sign(Principal(subject: "fuzz-body", role: .certificationBody), ttl: .seconds(3600)),
        signer.sign(Principal(subject: "fuzz-enterprise", role: .enterprise,
                              enterpriseCode: UnifiedSocialCreditCode(rawValue: "91330106MA2GL2XQ3Q")), ttl: .seconds(3600)),
        signer.sign(Principal(subject: "fuzz-consumer", role: .consumer), ttl: .seconds(3600)),
    ]

    static let oddStrings = [
        "", " ", "0", "-1", "1e400", "9223372036854775808", "null", "true", "330000", "2023-02-30", "9999-12-31",
        "../../etc/passwd", "%00", "'; DROP TABLE x; --", String(repeating: "长", count: 5_000), "\u{0}", "🏠",
        "00000000-0000-0000-0000-000000000000", "CGBM-2023-SD-001234", "91330106MA2GL2XQ3Q",
    ]

    mutating func request(path: String, operation: JSONValue, round: Int) -> Request {
        var uri = path.split(separator: "/").map { part -> String in
            guard part.hasPrefix("{") else { return String(part) }
            let value = chance(50) ? UUID().uuidString.lowercased() : pick(Self.oddStrings)
            return value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? "x"
        }.joined(separator: "/")
        uri = "/" + uri
        var query: [String] = []
        for parameter in operation.objectValue?["parameters"]?.arrayValue ?? [] {
            guard parameter.objectValue?["in"]?.stringValue == "query", let name = parameter.objectValue?["name"]?.stringValue,
                  chance(60) else { continue }
            let value = chance(50) ? render(generate(parameter.objectValue?["schema"] ?? .null, depth: 0)) : pick(Self.oddStrings)
            query.append(name + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        if !query.isEmpty { uri += "?" + query.joined(separator: "&") }
        var headers: HTTPFields = [:]
        if let token = pick(Self.tokens) { headers[.authorization] = "Bearer " + token }
        var body: [UInt8]?
        let content = operation.objectValue?["requestBody"]?.objectValue?["content"]?.objectValue
        if let schema = content?["application/json"]?.objectValue?["schema"] {
            headers[.contentType] = "application/json"
            var value = generate(schema, depth: 0)
            if round > 0 { value = mutate(value, depth: 0) }
            body = chance(5) ? Array(pick(["{", "[]", "\"x\"", "{\"a\":\u{0}}"]).utf8) : Array(value.serialized().utf8)
        } else if content != nil {
            headers[.contentType] = "text/csv"
            body = Array(pick(["", "payment_id,status,bank_reference,reason\n", "a,b\n\u{0}", String(repeating: "x,", count: 2_000)]).utf8)
        } else if chance(20) {
            body = Array("{\"unexpected\":true}".utf8)
            headers[.contentType] = "application/json"
        }
        return Request(uri: uri, headers: headers, body: body)
    }

    /// A value that follows `schema` (the subset the services write: objects, arrays, enums, formats, bounds).
    mutating func generate(_ schema: JSONValue, depth: Int) -> JSONValue {
        let object = schema.objectValue ?? [:]
        if let values = object["enum"]?.arrayValue, !values.isEmpty { return pick(values) }
        switch object["type"]?.stringValue {
        case "object":
            var members: [String: JSONValue] = [:]
            let required = Set((object["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            for (name, property) in object["properties"]?.objectValue ?? [:] where required.contains(name) || chance(50) {
                members[name] = depth > 4 ? .null : generate(property, depth: depth + 1)
            }
            return .object(members)
        case "array":
            let count = depth > 4 ? 0 : int(1...3)
            return .array((0..<count).map { _ in generate(object["items"] ?? .null, depth: depth + 1) })
        case "integer":
            let low = object["minimum"].flatMap(Self.integer) ?? 0
            let high = object["maximum"].flatMap(Self.integer) ?? 1_000_000
            return .integer(low + Int64(next() % UInt64(max(1, min(high - low, 1_000_000)))))
        case "boolean":
            return .bool(chance(50))
        case "string":
            switch object["format"]?.stringValue {
            case "date": return .string(pick(["2023-07-08", "2023-01-01", "2022-12-31"]))
            case "date-time": return .string("2023-07-08T02:00:00Z")
            case "uuid": return .string(UUID().uuidString.lowercased())
            default: return .string(pick(["330100", "91330106MA2GL2XQ3Q", "CGBM-2023-SD-001234", "测试", "abc"]))
            }
        default:
            return .null
        }
    }

    /// `value` broken in one place: a wrong type, null, an out-of-range number, a NUL, a huge string, a missing or
    /// extra field.
    mutating func mutate(_ value: JSONValue, depth: Int) -> JSONValue {
        switch value {
        case .object(var members) where !members.isEmpty && chance(80) && depth < 5:
            let key = pick(members.keys.sorted())
            switch int(0...2) {
            case 0: members[key] = nil
            case 1: members["unexpected\(int(0...9))"] = .string("x")
            default: members[key] = mutate(members[key]!, depth: depth + 1)
            }
            return .object(members)
        case .array(var items) where !items.isEmpty && chance(70) && depth < 5:
            let index = int(0...items.count - 1)
            items[index] = mutate(items[index], depth: depth + 1)
            return .array(items)
        default:
            return pick([.null, .bool(true), .integer(-1), .integer(Int64.max), .integer(Int64.min), .number(1e300),
                         .number(0.5), .string(""), .string("\u{0}"), .string(String(repeating: "长", count: 20_000)),
                         .array([]), .object([:]), .string("9999-12-31"), .string("2023-02-29")])
        }
    }

    static func integer(_ value: JSONValue) -> Int64? {
        if case .integer(let number) = value { return number }
        return nil
    }

    func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        case .bool(let flag): String(flag)
        default: value.serialized()
        }
    }
}
