import Contracts
import Foundation
import HTTPTypes
import ServiceKit
import ServiceTestSupport
import Synchronization
import Testing
@testable import PilotManagement

/// The served OpenAPI document tells the truth: the main scenario (apply, review, approve, launch, schedule,
/// reschedule, hold, cancel, enrol, withdraw, the public views) and a few refusals, each response checked against
/// the document's schema for its operation and status, and every operation's success seen at least once.
@Suite("Pilot responses match the OpenAPI document")
struct PilotSchemaConformanceTests {
    @Test func everyResponseOfTheMainScenarioMatchesItsDocumentedSchema() async throws {
        let harness = try await PilotHarness.make(today: "2023-03-01")
        let document = harness.host.definition.openAPI
        let checker = try ResponseChecker(document: document)
        let leader = creditCode(41), store = creditCode(42)
        try await harness.registerEnterprise(leader, name: "江苏绿材科技有限公司", chainLeader: true, cluster: "宿迁绿色建材产业集群")
        try await harness.registerEnterprise(store, name: "乡镇建材门店", kind: .store)
        try await harness.run { client in
            let api = CheckedClient(client: client, checker: checker)
            let region = Tokens.region("320000")
            let ministry = Tokens.ministry("MIIT")

            // The application: drafted, revised, its document and safety plan, submitted, reviewed, approved.
            let created = try await api.send(.post, "/applications", token: region,
                                             json: client.applicationJSON("320000", safety: false), expect: .created)
            let id = created.id
            try await api.send(.put, "/applications/\(id)/work-plan", token: region, json: """
                {"title":"江苏省绿色建材下乡实施方案（修订）","summary":"全省启动会、专场和巡展","plannedActivities":80,
                 "targetedSales":60000000000,"subsidyFunds":2500000000}
                """, expect: .ok)
            try await api.send(.put, "/applications/\(id)/document?fileName=plan.pdf", token: region,
                               bytes: Array("%PDF-1.7 江苏 work plan".utf8), expect: .ok)
            try await api.send(.put, "/applications/\(id)/safety-plan", token: region, json: PilotClient.safetyPlan, expect: .ok)
            try await api.send(.post, "/applications/\(id)/submission", token: region, expect: .ok)
            try await api.send(.post, "/applications/\(id)/submission", token: region, expect: .conflict)
            try await api.send(.post, "/applications/\(id)/reviews", token: Tokens.ministry("MOHURD"),
                               json: #"{"opinion":"concur","comment":"同意"}"#, expect: .ok)
            try await api.send(.post, "/applications/\(id)/reviews", token: ministry, json: #"{"opinion":"concur"}"#,
                               expect: .conflict)
            try await api.send(.post, "/applications/\(id)/reviews", token: Tokens.ministry("SAMR"),
                               json: #"{"opinion":"concur"}"#, expect: .ok)
            let approved = try await api.send(.post, "/applications/\(id)/reviews", token: ministry,
                                              json: #"{"opinion":"concur"}"#, expect: .ok)
            #expect(approved.json["status"] as? String == "approved")
            try await api.send(.get, "/applications", token: ministry, expect: .ok)
            try await api.send(.get, "/applications?regionCode=320000&status=approved", token: region, expect: .ok)
            try await api.send(.get, "/applications/\(id)", token: region, expect: .ok)
            try await api.send(.get, "/applications/\(id)/document", token: ministry, expect: .ok)
            try await api.send(.get, "/applications/\(UUID())", token: ministry, expect: .notFound)

            // The campaign: launch meeting, activities rescheduled, held and cancelled.
            try await api.send(.post, "/regions/320000/launch-meeting", token: region,
                               json: #"{"heldOn":"2023-02-20","placeCode":"320100","attendance":300}"#, expect: .created)
            let first = try await api.send(.post, "/regions/320000/activities", token: region,
                                           json: client.activityJSON(place: "320102001"), expect: .created)
            let second = try await api.send(.post, "/regions/320000/activities", token: region, json: client.activityJSON(
                type: "online-campaign", level: "village", place: "320102001001", safety: nil), expect: .created)
            try await api.send(.post, "/regions/320000/activities", token: region,
                               json: client.activityJSON(level: "province", place: "320000"), expect: .unprocessableContent)
            try await api.send(.put, "/activities/\(first.id)/schedule", token: region,
                               json: #"{"startsOn":"2023-06-17","endsOn":"2023-06-18","reason":"天气原因"}"#, expect: .ok)
            try await api.send(.get, "/public/activities?regionCode=320000", expect: .ok)
            try await api.send(.get, "/public/calendar.ics?regionCode=320000", expect: .ok)
            harness.clock.set("2023-06-18")
            try await api.send(.post, "/activities/\(first.id)/outcome", token: region, json: """
                {"attendance":500,"enterprisesPresent":30,"productsShown":200,"sales":123456789,"onlinePageViews":0}
                """, expect: .ok)
            try await api.send(.post, "/activities/\(second.id)/cancellation", token: region,
                               json: #"{"reason":"平台维护"}"#, expect: .ok)
            try await api.send(.post, "/activities/\(second.id)/cancellation", token: region,
                               json: #"{"reason":"再次取消"}"#, expect: .conflict)
            try await api.send(.get, "/activities?regionCode=320000&from=2023-01-01&to=2023-12-31&limit=50", token: ministry, expect: .ok)
            try await api.send(.get, "/activities?status=dreaming", token: ministry, expect: .unprocessableContent)
            try await api.send(.get, "/activities/\(first.id)", token: region, expect: .ok)

            // Participants and the industrial chain.
            let enrolled = try await api.send(.post, "/regions/320000/participants", token: region, json: """
                {"creditCode":"\(leader)","pledgedDiscountBasisPoints":800,"salesZone":"线下旗舰店绿色建材专区"}
                """, expect: .created)
            let storeReply = try await api.send(.post, "/regions/320000/participants", token: region, json: """
                {"creditCode":"\(store)","pledgedDiscountBasisPoints":300,"isChainLeader":false,"industrialCluster":"宿迁绿色建材产业集群"}
                """, expect: .created)
            try await api.send(.post, "/regions/320000/participants", token: region,
                               json: #"{"creditCode":"\#(leader)","pledgedDiscountBasisPoints":800}"#, expect: .conflict)
            try await api.send(.get, "/regions/320000/participants?status=enrolled", token: region, expect: .ok)
            try await api.send(.get, "/regions/320000/industrial-chain", token: ministry, expect: .ok)
            // What the schema forbids and `Decodable` would let through: an unknown member, a null optional one.
            let stray = try await api.send(.post, "/participants/\(storeReply.id)/withdrawal", token: region,
                                           json: #"{"reason":"退出活动","reasonCode":7}"#, expect: .unprocessableContent)
            #expect(stray.fields == ["reasonCode"])
            let unnamed = try await api.send(.post, "/participants/\(storeReply.id)/withdrawal", token: region,
                                             json: #"{"reason":"退出活动","":null}"#, expect: .unprocessableContent)
            #expect(unnamed.fields == ["body"])
            let nullTitle = try await api.send(.post, "/regions/320000/launch-meeting", token: region, json: """
                {"heldOn":"2023-02-21","placeCode":"320100","attendance":1,"title":null,"safetyPlan":{"persons":[]}}
                """, expect: .unprocessableContent)
            #expect(nullTitle.fields == ["safetyPlan", "title"])
            try await api.send(.post, "/participants/\(storeReply.id)/withdrawal", token: region,
                               json: #"{"reason":"退出活动"}"#, expect: .ok)
            try await api.send(.get, "/regions/320000/participants", token: region, expect: .ok)
            #expect(!enrolled.id.isEmpty)

            // Regions, in private and in public, and refusals of every kind.
            try await api.send(.get, "/regions", token: ministry, expect: .ok)
            try await api.send(.get, "/regions?status=approved&batchYear=2023", token: region, expect: .ok)
            try await api.send(.get, "/regions/320000", token: region, expect: .ok)
            try await api.send(.get, "/regions/320000", token: Tokens.region("330000"), expect: .forbidden)
            try await api.send(.get, "/regions/320000", expect: .unauthorized)
            try await api.send(.get, "/regions/3200x", token: ministry, expect: .unprocessableContent)
            try await api.send(.get, "/regions/320500", token: ministry, expect: .notFound)
            try await api.send(.get, "/regions?status=dreaming", token: ministry, expect: .unprocessableContent)
            try await api.send(.get, "/public/regions?batchYear=2023", expect: .ok)
            try await api.send(.get, "/campaign", expect: .ok)
        }
        for (from, link) in checker.linkTargets() where !checker.operationIds.contains(link) {
            Issue.record("\(from) links to \(link), which no operation is")
        }
        let missing = checker.uncoveredOperations()
        #expect(missing.isEmpty, "operations whose success the scenario never saw: \(missing)")
    }
}

/// Sends requests through the harness's client, which checks every response against the document (media type and
/// schema: ``ContractCheckingClient``); here the status must also be documented for the operation by its number
/// (not only by `default`), and each success is remembered for the coverage check.
private struct CheckedClient {
    let client: PilotClient
    let checker: ResponseChecker

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil, bytes: [UInt8]? = nil,
        expect status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Reply {
        let reply = try await client.send(method, uri, token: token, json: json, bytes: bytes)
        #expect(reply.status == status, "\(method) \(uri): \(reply.text)", sourceLocation: sourceLocation)
        if let problem = checker.record(method: method.rawValue, uri: uri, status: reply.status.code) {
            Issue.record("\(method) \(uri) \(reply.status.code): \(problem)", sourceLocation: sourceLocation)
        }
        return reply
    }
}

/// The document's operations and links; remembers which operations answered with their success.
private final class ResponseChecker: Sendable {
    let contract: ResponseContract
    let paths: [String: JSONValue]
    private let covered = Mutex<Set<String>>([])

    init(document: OpenAPIDocument) throws {
        contract = ResponseContract(document)
        paths = try JSONDecoder().decode(JSONValue.self, from: document.jsonData()).objectValue?["paths"]?.objectValue ?? [:]
    }

    /// Remembers a success; says what is wrong when the operation does not document `status` by its number.
    func record(method: String, uri: String, status: Int) -> String? {
        guard let (template, operation) = contract.operation(method: method, path: String(uri.prefix { $0 != "?" })) else {
            return "no documented operation"
        }
        let key = "\(method.uppercased()) \(template)"
        guard operation["responses"]?.objectValue?[String(status)] != nil else {
            return "status \(status) is not documented for \(key)"
        }
        if (200..<300).contains(status) { _ = covered.withLock { $0.insert(key) } }
        return nil
    }

    /// Every operation's `operationId`.
    var operationIds: Set<String> {
        Set(paths.values.flatMap { ($0.objectValue ?? [:]).values.compactMap { $0.objectValue?["operationId"]?.stringValue } })
    }

    /// The `operationId`s responses link to, with the operation they link from.
    func linkTargets() -> [(String, String)] {
        paths.flatMap { path, item in
            (item.objectValue ?? [:]).flatMap { method, operation in
                (operation.objectValue?["responses"]?.objectValue ?? [:]).values.flatMap { response in
                    (response.objectValue?["links"]?.objectValue ?? [:]).values.compactMap { link in
                        link.objectValue?["operationId"]?.stringValue.map { ("\(method) \(path)", $0) }
                    }
                }
            }
        }
    }

    /// Documented operations no response has shown a success of, as `"GET /regions"`, sorted.
    func uncoveredOperations() -> [String] {
        let all = paths.flatMap { path, item in (item.objectValue ?? [:]).keys.map { "\($0.uppercased()) \(path)" } }
        let seen = covered.withLock { $0 }
        return all.filter { !seen.contains($0) }.sorted()
    }
}
